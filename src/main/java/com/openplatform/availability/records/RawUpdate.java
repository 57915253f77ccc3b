package com.openplatform.availability.records;

/**
 * A standards or bindings record as read, before parsing, with whether it ends its input's backlog:
 * it was the last record of its Kafka partition when the job started. The update inputs' watermark
 * is held until every partition's backlog is read, so nothing is judged or alerted on standards and
 * bindings only partly known.
 */
public class RawUpdate {
    private byte[] value;
    private boolean backlogEnd;

    public RawUpdate() {}

    public RawUpdate(byte[] value, boolean backlogEnd) {
        this.value = value;
        this.backlogEnd = backlogEnd;
    }

    /** A record of an input without a backlog to wait for (files, which end). */
    public static RawUpdate of(byte[] value) {
        return new RawUpdate(value, false);
    }

    public byte[] getValue() {
        return value;
    }

    public void setValue(byte[] value) {
        this.value = value;
    }

    public boolean isBacklogEnd() {
        return backlogEnd;
    }

    public void setBacklogEnd(boolean backlogEnd) {
        this.backlogEnd = backlogEnd;
    }
}
