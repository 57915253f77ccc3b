package com.openplatform.availability.time;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness watermarks ({@code max event time - out-of-orderness - 1}) that are
 * emitted periodically, and also at once whenever they cross a week's end or a week's end plus the
 * allowed lateness.
 *
 * <p>Only those crossings decide whether a window fires or an event is too late, so emitting them
 * at the event that causes them makes both decisions depend on the order of a split's records
 * alone, not on when the periodic emission happened to run: a replayed file gives the same results.
 */
public final class WeekAlignedWatermarks<T> implements WatermarkGenerator<T> {
    private final CalendarWeeks weeks;
    private final long outOfOrderness;
    private final long allowedLateness;

    private long maxTimestamp;
    private long emitted = Long.MIN_VALUE;
    private long nextCrossing = Long.MIN_VALUE;

    public WeekAlignedWatermarks(
            CalendarWeeks weeks, Duration outOfOrderness, Duration allowedLateness) {
        this.weeks = weeks;
        this.outOfOrderness = outOfOrderness.toMillis();
        this.allowedLateness = allowedLateness.toMillis();
        this.maxTimestamp = Long.MIN_VALUE + this.outOfOrderness + 1;
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        if (eventTimestamp <= maxTimestamp) {
            return;
        }
        maxTimestamp = eventTimestamp;
        if (current() >= nextCrossing) {
            emit(output);
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (current() > emitted) {
            emit(output);
        }
    }

    private long current() {
        return maxTimestamp - outOfOrderness - 1;
    }

    private void emit(WatermarkOutput output) {
        emitted = current();
        output.emitWatermark(new Watermark(emitted));
        nextCrossing = nextCrossingAfter(emitted);
    }

    /** The smallest watermark above {@code watermark} that fires a window or ends a lateness. */
    private long nextCrossingAfter(long watermark) {
        // A window fires at watermark >= end - 1; its lateness ends at end - 1 + allowedLateness.
        long nextFiring = weeks.endOf(watermark + 1) - 1;
        long nextLatenessEnd = weeks.endOf(watermark + 1 - allowedLateness) - 1 + allowedLateness;
        return Math.min(nextFiring, nextLatenessEnd);
    }
}
