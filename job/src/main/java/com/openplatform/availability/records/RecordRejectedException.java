package com.openplatform.availability.records;

/**
 * A record that cannot be used, with the reason that goes to the dead letter. Thrown per bad
 * record, so it carries no stack trace.
 */
public final class RecordRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final RejectReason reason;

    public RecordRejectedException(RejectReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    /** A record over {@link RawRecord#MAX_RECORD_BYTES}, rejected without being read. */
    public static RecordRejectedException tooLarge(long bytes) {
        return new RecordRejectedException(
                RejectReason.TOO_LARGE,
                "record has " + bytes + " bytes, more than " + RawRecord.MAX_RECORD_BYTES);
    }

    public RejectReason getReason() {
        return reason;
    }
}
