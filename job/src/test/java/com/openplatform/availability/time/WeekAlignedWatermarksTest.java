package com.openplatform.availability.time;

import static com.openplatform.availability.testing.TestData.SHANGHAI;
import static com.openplatform.availability.testing.TestData.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WeekAlignedWatermarksTest {
    private static final Duration OUT_OF_ORDERNESS = Duration.ofMinutes(5);
    private static final Duration LATENESS = Duration.ofDays(1);
    private static final long WEEK_START = at(SHANGHAI, "2026-11-16T00:00");
    private static final long WEEK_END = at(SHANGHAI, "2026-11-23T00:00");

    private final CollectingOutput output = new CollectingOutput();
    private WeekAlignedWatermarks<String> generator;

    @BeforeEach
    void createGenerator() {
        generator =
                new WeekAlignedWatermarks<>(
                        new CalendarWeeks(SHANGHAI), OUT_OF_ORDERNESS, LATENESS);
    }

    /** The event timestamp that makes the watermark {@code watermark}. */
    private static long eventFor(long watermark) {
        return watermark + OUT_OF_ORDERNESS.toMillis() + 1;
    }

    /** Feeds an event; returns the watermarks it emitted at once. */
    private List<Long> onEvent(long timestamp) {
        int before = output.watermarks.size();
        generator.onEvent("event", timestamp, output);
        return List.copyOf(output.watermarks.subList(before, output.watermarks.size()));
    }

    private List<Long> onPeriodicEmit() {
        int before = output.watermarks.size();
        generator.onPeriodicEmit(output);
        return List.copyOf(output.watermarks.subList(before, output.watermarks.size()));
    }

    /** Starts in the middle of the week, with that watermark already emitted. */
    private void startMidWeek() {
        onEvent(eventFor(WEEK_START + Duration.ofDays(2).toMillis()));
        output.watermarks.clear();
    }

    @Test
    void watermarkIsTheMaxTimestampMinusTheOutOfOrdernessMinusOne() {
        long t = at(SHANGHAI, "2026-11-18T10:00");

        assertEquals(List.of(t - OUT_OF_ORDERNESS.toMillis() - 1), onEvent(t));
    }

    @Test
    void nothingIsEmittedBeforeTheFirstEvent() {
        assertEquals(List.of(), onPeriodicEmit());
    }

    @Test
    void advanceWithinTheWeekWaitsForThePeriodicEmit() {
        startMidWeek();
        long t = at(SHANGHAI, "2026-11-20T08:00");

        assertEquals(List.of(), onEvent(t));
        assertEquals(List.of(t - OUT_OF_ORDERNESS.toMillis() - 1), onPeriodicEmit());
        assertEquals(List.of(), onPeriodicEmit());
    }

    @Test
    void crossingTheWeekEndMinusOneIsEmittedAtOnce() {
        startMidWeek();

        assertEquals(List.of(), onEvent(eventFor(WEEK_END - 2)));
        assertEquals(List.of(WEEK_END - 1), onEvent(eventFor(WEEK_END - 1)));
    }

    @Test
    void jumpingPastTheWeekEndIsEmittedAtOnceWithTheNewWatermark() {
        startMidWeek();
        long farAhead = WEEK_END + Duration.ofHours(3).toMillis();

        assertEquals(List.of(farAhead), onEvent(eventFor(farAhead)));
    }

    @Test
    void crossingTheEndOfTheAllowedLatenessIsEmittedAtOnce() {
        startMidWeek();
        onEvent(eventFor(WEEK_END - 1));
        long latenessEnd = WEEK_END - 1 + LATENESS.toMillis();

        assertEquals(List.of(), onEvent(eventFor(latenessEnd - 1)));
        assertEquals(List.of(latenessEnd), onEvent(eventFor(latenessEnd)));
    }

    @Test
    void nextWeekEndIsACrossingAgainAfterTheLatenessEnd() {
        startMidWeek();
        onEvent(eventFor(WEEK_END - 1 + LATENESS.toMillis()));
        long nextWeekEnd = WEEK_END + Duration.ofDays(7).toMillis();

        assertEquals(List.of(), onEvent(eventFor(nextWeekEnd - 2)));
        assertEquals(List.of(nextWeekEnd - 1), onEvent(eventFor(nextWeekEnd - 1)));
    }

    @Test
    void latenessLongerThanAWeekStillFindsTheNearestCrossing() {
        generator =
                new WeekAlignedWatermarks<>(
                        new CalendarWeeks(SHANGHAI), OUT_OF_ORDERNESS, Duration.ofDays(10));
        startMidWeek();
        // The week before ended at WEEK_START; its 10-day lateness ends mid next week.
        long previousLatenessEnd = WEEK_START - 1 + Duration.ofDays(10).toMillis();
        onEvent(eventFor(WEEK_END - 1));

        assertEquals(List.of(), onEvent(eventFor(previousLatenessEnd - 1)));
        assertEquals(List.of(previousLatenessEnd), onEvent(eventFor(previousLatenessEnd)));
    }

    @Test
    void olderEventsNeverLowerTheWatermark() {
        startMidWeek();
        long t = at(SHANGHAI, "2026-11-20T08:00");
        onEvent(t);
        onPeriodicEmit();

        assertEquals(List.of(), onEvent(t - Duration.ofDays(3).toMillis()));
        assertEquals(List.of(), onEvent(WEEK_START - Duration.ofDays(30).toMillis()));
        assertEquals(List.of(), onPeriodicEmit());
    }

    @Test
    void emittedWatermarksOnlyEverIncrease() {
        long[] timestamps = {
            at(SHANGHAI, "2026-11-18T10:00"),
            WEEK_END + 10,
            at(SHANGHAI, "2026-11-17T10:00"),
            WEEK_END + LATENESS.toMillis() + 400_000,
            WEEK_END - 5,
            WEEK_END + Duration.ofDays(9).toMillis()
        };
        for (long t : timestamps) {
            onEvent(t);
            onPeriodicEmit();
        }

        for (int i = 1; i < output.watermarks.size(); i++) {
            assertTrue(
                    output.watermarks.get(i) > output.watermarks.get(i - 1),
                    "not increasing: " + output.watermarks);
        }
    }

    @Test
    void weekEndIsLocalInDaylightSavingZones() {
        java.time.ZoneId berlin = java.time.ZoneId.of("Europe/Berlin");
        generator =
                new WeekAlignedWatermarks<>(new CalendarWeeks(berlin), OUT_OF_ORDERNESS, LATENESS);
        onEvent(at(berlin, "2026-10-21T12:00"));
        long weekEnd = at(berlin, "2026-10-26T00:00");

        assertEquals(List.of(), onEvent(eventFor(weekEnd - 2)));
        assertEquals(List.of(weekEnd - 1), onEvent(eventFor(weekEnd - 1)));
    }

    /** A {@link WatermarkOutput} that remembers what was emitted. */
    private static final class CollectingOutput implements WatermarkOutput {
        final List<Long> watermarks = new ArrayList<>();

        @Override
        public void emitWatermark(Watermark watermark) {
            watermarks.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
    }
}
