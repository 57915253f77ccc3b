package com.openplatform.availability.records;

import java.io.Serializable;

/**
 * Reads one callback event record (docs/reference.md §3), strictly: every rule broken is a
 * rejection.
 */
public final class CallbackEventParser implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The last epoch millisecond of the year 9999: later times are surely wrong. */
    static final long MAX_EVENT_TIME = 253_402_300_799_999L;

    private static final String[] REQUIRED = {
        "eventId",
        "developerId",
        "callbackType",
        "eventTime",
        "httpStatus",
        "latencyMs",
        "responseOk"
    };

    /** Parses a record; rejected records come back with the reason instead of an event. */
    public CallbackRecord parseRecord(byte[] raw) {
        try {
            return CallbackRecord.accepted(raw, parse(raw));
        } catch (RecordRejectedException e) {
            return CallbackRecord.rejected(raw, e);
        }
    }

    public CallbackEvent parse(byte[] raw) throws RecordRejectedException {
        CallbackEvent event = FastEventScanner.tryParse(raw);
        return event != null ? event : parseWithJackson(raw);
    }

    /** The full strict reading, which decides (and explains) what the fast path leaves to it. */
    CallbackEvent parseWithJackson(byte[] raw) throws RecordRejectedException {
        CallbackEvent event = new CallbackEvent();
        RequiredFields seen = new RequiredFields(REQUIRED);
        StrictJson.readObject(
                raw,
                (field, parser) -> {
                    switch (field) {
                        case "eventId":
                            event.setEventId(StrictJson.string(parser, field, 128));
                            break;
                        case "developerId":
                            event.setDeveloperId(
                                    StrictJson.integer(parser, field, 1, Long.MAX_VALUE));
                            break;
                        case "callbackType":
                            event.setCallbackType(StrictJson.string(parser, field, 64));
                            break;
                        case "eventTime":
                            event.setEventTime(
                                    StrictJson.integer(parser, field, 0, MAX_EVENT_TIME));
                            break;
                        case "httpStatus":
                            event.setHttpStatus((int) StrictJson.integer(parser, field, 0, 599));
                            break;
                        case "latencyMs":
                            event.setLatencyMs(
                                    StrictJson.integer(parser, field, 0, Long.MAX_VALUE));
                            break;
                        case "responseOk":
                            event.setResponseOk(StrictJson.bool(parser, field));
                            break;
                        default:
                            return false;
                    }
                    seen.mark(field);
                    return true;
                });
        seen.check();
        return event;
    }
}
