package com.openplatform.availability.records;

import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Reads the events input's records at the source (Kafka deserializer, file decoder): the strict
 * parse, then the wall-clock rule. An event further ahead of the wall clock than {@code
 * --event.max-future} is rejected {@link RejectReason#FUTURE} here, before the timestamp assigner
 * sees it: rejected records carry no event time, so one host with a wrong clock cannot move the
 * watermark years ahead and turn every later event into a LATE one.
 */
public final class CallbackRecordReader implements Serializable {
    private static final long serialVersionUID = 1L;

    private final CallbackEventParser parser = new CallbackEventParser();
    private final Duration maxFuture;
    private final long maxFutureMillis;
    private final Clock clock;

    /**
     * @param clock the wall clock; tests pass a fixed one
     */
    public CallbackRecordReader(Duration maxFuture, Clock clock) {
        this.maxFuture = maxFuture;
        this.maxFutureMillis = maxFuture.toMillis();
        this.clock = clock;
    }

    public CallbackRecord read(byte[] raw) {
        CallbackRecord record = parser.parseRecord(raw);
        if (record.isRejected()) {
            return record;
        }
        long eventTime = record.getEvent().getEventTime();
        long now = clock.millis();
        if (eventTime > now + maxFutureMillis) {
            return CallbackRecord.rejected(
                    raw,
                    new RecordRejectedException(
                            RejectReason.FUTURE,
                            "eventTime "
                                    + Instant.ofEpochMilli(eventTime)
                                    + " is more than "
                                    + maxFuture
                                    + " (--event.max-future) ahead of the wall clock "
                                    + Instant.ofEpochMilli(now)));
        }
        return record;
    }
}
