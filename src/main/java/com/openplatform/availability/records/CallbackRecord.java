package com.openplatform.availability.records;

/**
 * One record of the events input as the source read it: the raw bytes and either the parsed event
 * or why it was rejected. Parsing at the source lets watermarks be generated per Kafka partition.
 */
public class CallbackRecord {
    private byte[] raw;
    private CallbackEvent event;
    private RejectReason rejectReason;
    private String rejectDetail;

    public CallbackRecord() {}

    public static CallbackRecord accepted(byte[] raw, CallbackEvent event) {
        CallbackRecord record = new CallbackRecord();
        record.raw = raw;
        record.event = event;
        return record;
    }

    public static CallbackRecord rejected(byte[] raw, RecordRejectedException rejection) {
        CallbackRecord record = new CallbackRecord();
        record.raw = raw;
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
