package com.openplatform.availability.time;

import com.openplatform.availability.records.RawRecord;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Watermarks for one partition of an unbounded standards or bindings input. They carry no event
 * time, so the partition first holds the watermark back, until its backlog at the start is read
 * (the record that ends it, or nothing more for {@code quiet}: an empty partition, or one whose
 * last offset is a transaction marker), and from then on declares itself idle for good. An operator
 * that joins them with the events thus judges and alerts nothing on standards and bindings only
 * partly read, and afterwards follows the events' watermark alone.
 *
 * <p>Idle, not the end of time: a two-input operator whose events input goes idle too (no traffic
 * for a while) must keep its watermark where it is. Had this input declared the end of time, the
 * operator's watermark would jump there and fire every timer, releasing the weeks it holds for
 * re-judgement.
 */
public final class UpdateStreamWatermarks implements WatermarkGenerator<RawRecord> {
    static final Duration FIRST_FETCH = Duration.ofSeconds(10);
    static final Duration STALLED_BACKLOG = Duration.ofSeconds(30);

    private final long quietNanos;
    private final long stalledNanos;
    private final LongSupplier nanoClock;
    private long lastRecordNanos;
    private boolean sawRecord;
    private boolean caughtUp;

    public UpdateStreamWatermarks(Duration quiet) {
        this(quiet, System::nanoTime);
    }

    UpdateStreamWatermarks(Duration quiet, LongSupplier nanoClock) {
        this.quietNanos = Math.max(quiet.toNanos(), FIRST_FETCH.toNanos());
        this.stalledNanos = Math.max(quietNanos, STALLED_BACKLOG.toNanos());
        this.nanoClock = nanoClock;
        this.lastRecordNanos = nanoClock.getAsLong();
    }

    @Override
    public void onEvent(RawRecord update, long eventTimestamp, WatermarkOutput output) {
        lastRecordNanos = nanoClock.getAsLong();
        sawRecord = true;
        if (update.isBacklogEnd()) {
            caughtUp = true;
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long silence = nanoClock.getAsLong() - lastRecordNanos;
        if (!caughtUp && silence >= (sawRecord ? stalledNanos : quietNanos)) {
            caughtUp = true;
        }
        if (caughtUp) {
            output.markIdle();
        }
    }
}
