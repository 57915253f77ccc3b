package com.openplatform.availability.functions;

import static com.openplatform.availability.functions.FunctionTestSupport.MID_WEEK;
import static com.openplatform.availability.functions.FunctionTestSupport.NEXT_WEEK_END;
import static com.openplatform.availability.functions.FunctionTestSupport.TIMEOUT;
import static com.openplatform.availability.functions.FunctionTestSupport.WEEKS;
import static com.openplatform.availability.functions.FunctionTestSupport.WEEK_END;
import static com.openplatform.availability.functions.FunctionTestSupport.WEEK_START;
import static com.openplatform.availability.functions.FunctionTestSupport.counted;
import static com.openplatform.availability.functions.FunctionTestSupport.days;
import static com.openplatform.availability.functions.FunctionTestSupport.event;
import static com.openplatform.availability.testing.TestData.SHANGHAI;
import static com.openplatform.availability.testing.TestData.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openplatform.availability.records.CallbackEvent;
import com.openplatform.availability.records.FailureReason;
import com.openplatform.availability.records.WeekDiagnosis;
import com.openplatform.availability.records.WeeklyCounts;
import com.openplatform.availability.testing.TestData;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WeeklyPreAggregatorTest {
    private static final long DEV_A = 11L;
    private static final long DEV_B = 22L;
    private static final long NEXT_WEEK = MID_WEEK + days(7);

    private OneInputStreamOperatorTestHarness<CallbackEvent, WeeklyCounts> harness;

    @BeforeEach
    void open() throws Exception {
        harness = harness(1000);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static OneInputStreamOperatorTestHarness<CallbackEvent, WeeklyCounts> harness(
            int maxEntries) throws Exception {
        OneInputStreamOperatorTestHarness<CallbackEvent, WeeklyCounts> harness =
                new OneInputStreamOperatorTestHarness<>(
                        new WeeklyPreAggregator(WEEKS, TIMEOUT, maxEntries, true));
        harness.open();
        return harness;
    }

    private void process(TestData.EventJson json) throws Exception {
        CallbackEvent event = event(json);
        harness.processElement(event, event.getEventTime());
    }

    /** What the operator emitted, in order: counts as themselves, watermarks as their time. */
    private List<Object> output() {
        List<Object> out = new ArrayList<>();
        for (Object o : harness.getOutput()) {
            if (o instanceof StreamRecord) {
                out.add(countsOnly((WeeklyCounts) ((StreamRecord<?>) o).getValue()));
            } else if (o instanceof Watermark) {
                out.add(((Watermark) o).getTimestamp());
            }
        }
        return out;
    }

    /** The emitted counts without their diagnosis, which has tests of its own. */
    private List<WeeklyCounts> emittedCounts() {
        return harness.extractOutputValues().stream()
                .map(WeeklyPreAggregatorTest::countsOnly)
                .toList();
    }

    private static WeeklyCounts countsOnly(WeeklyCounts counts) {
        WeeklyCounts copy =
                new WeeklyCounts(
                        counts.getDeveloperId(),
                        counts.getWeekStartMillis(),
                        counts.getWeekEndMillis());
        copy.merge(counts);
        copy.setLatencyHistogram(null);
        copy.setHourlyCounts(null);
        return copy;
    }

    @Test
    void emittedCountsCarryTheLatenciesOfResponsesAndTheCountsOfEachLocalHour() throws Exception {
        long tenOClock = at(SHANGHAI, "2026-11-18T10:00");
        process(TestData.event(DEV_A, tenOClock).latency(100));
        process(TestData.event(DEV_A, tenOClock + 59 * 60_000).latency(300).status(500));
        process(TestData.event(DEV_A, tenOClock + 60 * 60_000).latency(200).connectError());
        process(TestData.event(DEV_A, at(SHANGHAI, "2026-11-20T23:59")).latency(5000));
        process(TestData.event(DEV_A, at(SHANGHAI, "2026-11-20T23:30")).status(503));

        harness.endInput();

        WeekDiagnosis diagnosis = harness.extractOutputValues().get(0).diagnosis();
        assertEquals(
                new WeekDiagnosis(
                        120L,
                        5000L - 5000 % 64 + 32,
                        5000L - 5000 % 64 + 32,
                        tenOClock,
                        2L,
                        at(SHANGHAI, "2026-11-20T23:00"),
                        2L,
                        2L),
                diagnosis,
                "four responses (a connect error has no latency); one failure at 10:00, one at"
                        + " 11:00, two at 23:00 on Friday: the worst hour is Friday's, the peak hour"
                        + " the earliest of the two with two callbacks");
    }

    @Test
    void aWeekFlushedTwiceMergesToTheDiagnosisOfAllItsEvents() throws Exception {
        process(TestData.event(DEV_A, MID_WEEK).latency(10));
        harness.prepareSnapshotPreBarrier(1);
        process(TestData.event(DEV_A, MID_WEEK + 1).latency(20).status(500));
        process(TestData.event(DEV_A, MID_WEEK + 2).latency(30));
        harness.endInput();

        List<WeeklyCounts> partials = harness.extractOutputValues();
        WeeklyCounts week = new MergeWeeklyCounts().createAccumulator();
        for (WeeklyCounts partial : partials) {
            week = new MergeWeeklyCounts().add(partial, week);
        }

        WeekDiagnosis diagnosis = week.diagnosis();
        assertEquals(20L, diagnosis.latencyP50Ms());
        assertEquals(30L, diagnosis.latencyP99Ms());
        assertEquals(3L, diagnosis.peakHourCount());
        assertEquals(1L, diagnosis.worstHourFailed());
        assertEquals(3L, diagnosis.worstHourTotal());
    }

    @Test
    void countsOfAWeekAreEmittedBeforeTheWatermarkThatClosesIt() throws Exception {
        process(TestData.event(DEV_A, MID_WEEK));
        process(TestData.event(DEV_A, MID_WEEK + 1).latency(3001));
        process(TestData.event(DEV_B, MID_WEEK).connectError());
        process(TestData.event(DEV_A, NEXT_WEEK));

        harness.processWatermark(WEEK_END - 1);

        List<Object> out = output();
        assertEquals(3, out.size(), out::toString);
        assertEquals(
                Set.of(
                        counted(DEV_A, MID_WEEK, null, FailureReason.TIMEOUT),
                        counted(DEV_B, MID_WEEK, FailureReason.CONNECT_ERROR)),
                new HashSet<>(out.subList(0, 2)));
        assertEquals(WEEK_END - 1, out.get(2));
    }

    @Test
    void emittedCountsAreTimestampedAtTheWeekStart() throws Exception {
        process(TestData.event(DEV_A, MID_WEEK));

        harness.processWatermark(WEEK_END - 1);

        StreamRecord<? extends WeeklyCounts> record = harness.extractOutputStreamRecords().get(0);
        assertEquals(WEEK_START, record.getTimestamp());
        assertEquals(WEEK_START, record.getValue().getWeekStartMillis());
        assertEquals(WEEK_END, record.getValue().getWeekEndMillis());
    }

    @Test
    void watermarkOneMillisecondShortOfTheWeekEndFlushesNothing() throws Exception {
        process(TestData.event(DEV_A, MID_WEEK));

        harness.processWatermark(WEEK_END - 2);

        assertEquals(List.of(WEEK_END - 2), output());
    }

    @Test
    void openWeeksAreHeldAcrossWatermarksAndCountedTogether() throws Exception {
        process(TestData.event(DEV_A, MID_WEEK));
        harness.processWatermark(MID_WEEK);
        process(TestData.event(DEV_A, MID_WEEK + 1000).badReply());
        harness.processWatermark(MID_WEEK + 2000);
        process(TestData.event(DEV_A, MID_WEEK + 3000));

        assertEquals(List.of(MID_WEEK, MID_WEEK + 2000), output());

        harness.processWatermark(WEEK_END + 5);

        assertEquals(
                List.of(counted(DEV_A, MID_WEEK, null, FailureReason.BAD_RESPONSE, null)),
                emittedCounts());
    }

    @Test
    void laterWeeksStayHeldWhenAnEarlierWeekIsFlushed() throws Exception {
        process(TestData.event(DEV_A, MID_WEEK));
        process(TestData.event(DEV_A, NEXT_WEEK));

        harness.processWatermark(WEEK_END - 1);
        harness.processWatermark(WEEK_END + days(3));

        assertEquals(List.of(counted(DEV_A, MID_WEEK, (FailureReason) null)), emittedCounts());

        harness.processWatermark(NEXT_WEEK_END - 1);

        assertEquals(
                List.of(
                        counted(DEV_A, MID_WEEK, (FailureReason) null),
                        counted(DEV_A, NEXT_WEEK, (FailureReason) null)),
                emittedCounts());
    }

    @Test
    void lateEventOfAClosedWeekIsFlushedBeforeTheNextWatermark() throws Exception {
        harness.processWatermark(WEEK_END + 1000);
        process(TestData.event(DEV_A, MID_WEEK).status(502));

        harness.processWatermark(WEEK_END + 2000);

        assertEquals(
                List.of(
                        WEEK_END + 1000,
                        counted(DEV_A, MID_WEEK, FailureReason.HTTP_ERROR),
                        WEEK_END + 2000),
                output());
    }

    @Test
    void prepareSnapshotPreBarrierFlushesEveryOpenWeek() throws Exception {
        process(TestData.event(DEV_A, MID_WEEK));
        process(TestData.event(DEV_B, NEXT_WEEK));

        harness.prepareSnapshotPreBarrier(1);

        assertEquals(
                Set.of(
                        counted(DEV_A, MID_WEEK, (FailureReason) null),
                        counted(DEV_B, NEXT_WEEK, (FailureReason) null)),
                new HashSet<>(emittedCounts()));

        process(TestData.event(DEV_A, MID_WEEK).latency(5000));
        harness.processWatermark(WEEK_END - 1);

        assertEquals(counted(DEV_A, MID_WEEK, FailureReason.TIMEOUT), emittedCounts().get(2));
        assertEquals(3, emittedCounts().size());
    }

    @Test
    void snapshotHoldsNoStateSoARestoreRepeatsNothing() throws Exception {
        process(TestData.event(DEV_A, MID_WEEK));
        harness.prepareSnapshotPreBarrier(1);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        process(TestData.event(DEV_A, MID_WEEK));

        assertTrue(snapshot.getManagedOperatorState().isEmpty());
        assertTrue(snapshot.getManagedKeyedState().isEmpty());

        OneInputStreamOperatorTestHarness<CallbackEvent, WeeklyCounts> restored =
                new OneInputStreamOperatorTestHarness<>(
                        new WeeklyPreAggregator(WEEKS, TIMEOUT, 1000, true));
        restored.initializeState(snapshot);
        restored.open();
        restored.endInput();
        assertEquals(List.of(), restored.extractOutputValues());
        restored.close();
    }

    @Test
    void endOfInputFlushesEveryOpenWeek() throws Exception {
        process(TestData.event(DEV_A, MID_WEEK));
        process(TestData.event(DEV_A, NEXT_WEEK).connectError());

        harness.endInput();

        assertEquals(
                Set.of(
                        counted(DEV_A, MID_WEEK, (FailureReason) null),
                        counted(DEV_A, NEXT_WEEK, FailureReason.CONNECT_ERROR)),
                new HashSet<>(emittedCounts()));
    }

    @Test
    void exceedingTheMaxEntriesFlushesEverything() throws Exception {
        harness.close();
        harness = harness(2);

        process(TestData.event(DEV_A, MID_WEEK));
        process(TestData.event(DEV_B, MID_WEEK));
        process(TestData.event(DEV_A, MID_WEEK).status(503));

        assertEquals(List.of(), emittedCounts(), "two entries are within the limit");

        process(TestData.event(DEV_A, NEXT_WEEK));

        assertEquals(
                Set.of(
                        counted(DEV_A, MID_WEEK, null, FailureReason.HTTP_ERROR),
                        counted(DEV_B, MID_WEEK, (FailureReason) null),
                        counted(DEV_A, NEXT_WEEK, (FailureReason) null)),
                new HashSet<>(emittedCounts()));

        process(TestData.event(DEV_A, MID_WEEK));
        harness.endInput();

        assertEquals(4, emittedCounts().size());
        assertEquals(counted(DEV_A, MID_WEEK, (FailureReason) null), emittedCounts().get(3));
    }

    @Test
    void countsUseTheLocalWeekOfEachEvent() throws Exception {
        process(TestData.event(DEV_A, WEEK_START - 1));
        process(TestData.event(DEV_A, WEEK_START));

        harness.endInput();

        assertEquals(
                Set.of(WEEK_START - days(7), WEEK_START),
                new HashSet<>(
                        emittedCounts().stream().map(WeeklyCounts::getWeekStartMillis).toList()));
    }
}
