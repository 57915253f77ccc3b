package com.openplatform.availability.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.openplatform.availability.records.RawRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class UpdateStreamWatermarksTest {
    private static final Duration QUIET = Duration.ofSeconds(20);

    private final List<String> calls = new ArrayList<>();
    private final WatermarkOutput output =
            new WatermarkOutput() {
                @Override
                public void emitWatermark(Watermark watermark) {
                    calls.add("watermark " + watermark.getTimestamp());
                }

                @Override
                public void markIdle() {
                    calls.add("idle");
                }

                @Override
                public void markActive() {
                    calls.add("active");
                }
            };
    private long now = 1_000_000L;
    private final UpdateStreamWatermarks generator = new UpdateStreamWatermarks(QUIET, () -> now);

    private static RawRecord update(boolean backlogEnd) {
        return new RawRecord(new byte[] {'{', '}'}, 2, backlogEnd);
    }

    @Test
    void holdsTheWatermarkWhileTheBacklogIsReadThenStaysIdleForGood() {
        generator.onEvent(update(false), 0L, output);
        generator.onPeriodicEmit(output);
        assertEquals(List.of(), calls, "no watermark and not idle: downstream waits");

        generator.onEvent(update(true), 0L, output);
        generator.onPeriodicEmit(output);
        generator.onEvent(update(false), 0L, output);
        generator.onPeriodicEmit(output);

        assertEquals(List.of("idle", "idle"), calls);
    }

    @Test
    void aPartitionWithNothingToReadIsCaughtUpOnceQuietForTheTimeout() {
        now += QUIET.toNanos() - 1;
        generator.onPeriodicEmit(output);
        assertEquals(List.of(), calls);

        now += 1;
        generator.onPeriodicEmit(output);

        assertEquals(List.of("idle"), calls);
    }

    @Test
    void aShortIdleTimeoutStillLeavesTimeForTheFirstFetch() {
        UpdateStreamWatermarks quick = new UpdateStreamWatermarks(Duration.ofSeconds(1), () -> now);
        now += UpdateStreamWatermarks.FIRST_FETCH.toNanos() - 1;
        quick.onPeriodicEmit(output);
        assertEquals(List.of(), calls);

        now += 1;
        quick.onPeriodicEmit(output);

        assertEquals(List.of("idle"), calls);
    }

    @Test
    void aBacklogWhoseEndNeverShowsIsTakenAsReadOnceStalledLongerThanAnyFetch() {
        generator.onEvent(update(false), 0L, output);
        now += QUIET.toNanos();
        generator.onPeriodicEmit(output);
        now += UpdateStreamWatermarks.STALLED_BACKLOG.toNanos() - QUIET.toNanos() - 1;
        generator.onPeriodicEmit(output);
        assertEquals(List.of(), calls, "a pause in the middle of a backlog is no end");

        now += 1;
        generator.onPeriodicEmit(output);

        assertEquals(List.of("idle"), calls);
    }
}
