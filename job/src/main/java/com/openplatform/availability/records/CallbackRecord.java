package com.openplatform.availability.records;

/**
 * One record of the events input as the source read it: the raw bytes and either the parsed event
 * or why it was rejected. Parsing at the source lets watermarks be generated per Kafka partition. A
 * line far over the record limit holds only its first bytes, and its size.
 */
public class CallbackRecord {
    private byte[] raw;
    private long size;
    private CallbackEvent event;
    private RejectReason rejectReason;
    private String rejectDetail;

    public CallbackRecord() {}

    public static CallbackRecord accepted(byte[] raw, CallbackEvent event) {
        CallbackRecord record = new CallbackRecord();
        record.raw = raw;
        record.size = raw.length;
        record.event = event;
        return record;
    }

    public static CallbackRecord rejected(byte[] raw, RecordRejectedException rejection) {
        return rejected(raw, raw.length, rejection);
    }

    /** A line cut by the file reader: {@code prefix} of a record of {@code size} bytes. */
    public static CallbackRecord tooLarge(byte[] prefix, long size) {
        return rejected(prefix, size, RecordRejectedException.tooLarge(size));
    }

    private static CallbackRecord rejected(
            byte[] raw, long size, RecordRejectedException rejection) {
        CallbackRecord record = new CallbackRecord();
        record.raw = raw;
        record.size = size;
        record.rejectReason = rejection.getReason();
        record.rejectDetail = rejection.getMessage();
        return record;
    }

    public boolean isRejected() {
        return event == null;
    }

    public byte[] getRaw() {
        return raw;
    }

    public void setRaw(byte[] raw) {
        this.raw = raw;
    }

    /** The record's size in bytes, more than {@code getRaw().length} when it was cut. */
    public long getSize() {
        return size;
    }

    public void setSize(long size) {
        this.size = size;
    }

    public CallbackEvent getEvent() {
        return event;
    }

    public void setEvent(CallbackEvent event) {
        this.event = event;
    }

    public RejectReason getRejectReason() {
        return rejectReason;
    }

    public void setRejectReason(RejectReason rejectReason) {
        this.rejectReason = rejectReason;
    }

    public String getRejectDetail() {
        return rejectDetail;
    }

    public void setRejectDetail(String rejectDetail) {
        this.rejectDetail = rejectDetail;
    }
}
