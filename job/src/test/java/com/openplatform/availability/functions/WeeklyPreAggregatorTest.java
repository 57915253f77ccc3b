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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openplatform.availability.records.CallbackEvent;
import com.openplatform.availability.records.FailureReason;
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
                        new WeeklyPreAggregator(WEEKS, TIMEOUT, maxEntries));
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
                out.add(((StreamRecord<?>) o).getValue());
            } else if (o instanceof Watermark) {
                out.add(((Watermark) o).getTimestamp());
            }
        }
        return out;
    }

    private List<WeeklyCounts> emittedCounts() {
        return harness.extractOutputValues();
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
                        new WeeklyPreAggregator(WEEKS, TIMEOUT, 1000));
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
