package com.openplatform.availability.records;

import java.util.Arrays;
import java.util.Objects;

/**
 * One record of an update input (standards, bindings) as read, before parsing: its bytes, or only
 * the first of them when the file reader cut a line far over the record limit, and its size; and
 * whether it ends its input's backlog: it was the last record of its Kafka partition when the job
 * started. The update inputs' watermark is held until every partition's backlog is read, so nothing
 * is judged or alerted on standards and bindings only partly known.
 */
public class RawRecord {
    /** Records larger than this are rejected unread (docs/reference.md §3). */
    public static final int MAX_RECORD_BYTES = 64 * 1024;

    /**
     * How much of a record over the limit is kept (file reader, dead-letter file): enough to see
     * what it was, never the whole of a line of any length.
     */
    public static final int MAX_KEPT_BYTES = MAX_RECORD_BYTES + 1024;

    private byte[] raw;
    private long size;
    private boolean backlogEnd;

    public RawRecord() {}

    public RawRecord(byte[] raw, long size) {
        this(raw, size, false);
    }

    public RawRecord(byte[] raw, long size, boolean backlogEnd) {
        this.raw = raw;
        this.size = size;
        this.backlogEnd = backlogEnd;
    }

    /** A record read whole. */
    public static RawRecord of(byte[] raw) {
        return new RawRecord(raw, raw.length);
    }

    /** Whether {@link #getRaw()} holds only the first bytes of the record. */
    public boolean isTruncated() {
        return raw.length < size;
    }

    public byte[] getRaw() {
        return raw;
    }

    public void setRaw(byte[] raw) {
        this.raw = raw;
    }

    public long getSize() {
        return size;
    }

    public void setSize(long size) {
        this.size = size;
    }

    public boolean isBacklogEnd() {
        return backlogEnd;
    }

    public void setBacklogEnd(boolean backlogEnd) {
        this.backlogEnd = backlogEnd;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawRecord
                && ((RawRecord) o).size == size
                && ((RawRecord) o).backlogEnd == backlogEnd
                && Arrays.equals(((RawRecord) o).raw, raw);
    }

    @Override
    public int hashCode() {
        return Objects.hash(size, backlogEnd, Arrays.hashCode(raw));
    }

    @Override
    public String toString() {
        return "RawRecord{" + raw.length + " of " + size + " bytes}";
    }
}
