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
import com.openplatform.availability.records.HourlyCounts;
import com.openplatform.availability.records.InWeekCounts;
import com.openplatform.availability.records.WeekDiagnosis;
import com.openplatform.availability.records.WeeklyCounts;
import com.openplatform.availability.testing.TestData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.event.WatermarkEvent;
import org.apache.flink.streaming.api.graph.StreamConfig;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.LatencyMarker;
import org.apache.flink.streaming.runtime.streamrecord.RecordAttributes;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.StreamTask;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
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
                        new WeeklyPreAggregator(WEEKS, TIMEOUT, maxEntries, false));
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
    void thousandsOfDevelopersAreCountedPerWeekAcrossAnEarlierWeeksFlush() throws Exception {
        harness.close();
        harness = harness(100_000);
        int developers = 5_000;
        for (int round = 1; round <= 3; round++) {
            for (long dev = 1; dev <= developers; dev++) {
                process(TestData.event(dev, MID_WEEK + round));
                if (dev % 3 == 0) {
                    process(TestData.event(dev, NEXT_WEEK + round));
                }
            }
        }
        harness.processWatermark(WEEK_END - 1);
        for (long dev = 1; dev <= developers; dev += 2) {
            process(TestData.event(dev, NEXT_WEEK + 4));
        }
        harness.endInput();

        Map<String, Long> totals = new HashMap<>();
        for (WeeklyCounts counts : harness.extractOutputValues()) {
            totals.merge(
                    counts.getDeveloperId() + "@" + (counts.getWeekStartMillis() < WEEK_END),
                    counts.getTotalCount(),
                    Long::sum);
        }
        Map<String, Long> expected = new HashMap<>();
        for (long dev = 1; dev <= developers; dev++) {
            expected.put(dev + "@true", 3L);
            long nextWeek = (dev % 3 == 0 ? 3 : 0) + (dev % 2 == 1 ? 1 : 0);
            if (nextWeek > 0) {
                expected.put(dev + "@false", nextWeek);
            }
        }
        assertEquals(expected, totals);
        assertEquals(
                expected.size(),
                harness.extractOutputValues().size(),
                "one partial count per (developerId, week): nothing flushed before its time");
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
                        new WeeklyPreAggregator(WEEKS, TIMEOUT, 1000, false));
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

    // The in-week counts (docs/reference.md §10).

    /** What a pre-aggregator with the in-week flag emitted, in the order it emitted it. */
    private final List<String> sequence = new ArrayList<>();

    private OneInputStreamOperatorTestHarness<CallbackEvent, WeeklyCounts> inWeekHarness()
            throws Exception {
        harness.close();
        harness = new OneInputStreamOperatorTestHarness<>(new Sequenced(sequence));
        harness.open();
        return harness;
    }

    private List<InWeekCounts> inWeek() {
        Queue<StreamRecord<InWeekCounts>> side = harness.getSideOutput(WeeklyPreAggregator.IN_WEEK);
        List<InWeekCounts> counts = new ArrayList<>();
        if (side != null) {
            side.forEach(r -> counts.add(r.getValue()));
        }
        return counts;
    }

    private static String describe(InWeekCounts counts) {
        StringBuilder text = new StringBuilder("in-week ").append(counts.getDeveloperId());
        for (int e = 0; e < counts.entries(); e++) {
            text.append(" h").append(counts.hourAt(e)).append('=');
            for (int s = 0; s < InWeekCounts.SLOTS; s++) {
                text.append(s == 0 ? "" : "/").append(counts.countAt(e, s));
            }
        }
        return text.toString();
    }

    private List<String> inWeekDescribed() {
        return inWeek().stream().map(WeeklyPreAggregatorTest::describe).toList();
    }

    @Test
    void inWeekCountsAreFlushedBeforeTheWatermarkThatPassesAnHourBoundary() throws Exception {
        inWeekHarness();
        int hour = HourlyCounts.hourOf(WEEK_START, MID_WEEK) - 1;
        harness.processWatermark(MID_WEEK - 30 * 60_000);
        process(TestData.event(DEV_A, MID_WEEK - 20 * 60_000));
        process(TestData.event(DEV_A, MID_WEEK - 10 * 60_000).status(500));
        process(TestData.event(DEV_B, MID_WEEK - 5 * 60_000).connectError());

        harness.processWatermark(MID_WEEK - 2);
        assertEquals(List.of(), inWeek(), "no hour boundary passed");

        harness.processWatermark(MID_WEEK - 1);

        // Slots: all, then connect error, timeout, HTTP error, bad response.
        String a = "in-week " + DEV_A + " h" + hour + "=2/0/0/1/0";
        String b = "in-week " + DEV_B + " h" + hour + "=1/1/0/0/0";
        assertEquals(Set.of(a, b), new HashSet<>(inWeekDescribed()));
        assertEquals(
                Set.of(a, b),
                new HashSet<>(sequence.subList(2, 4)),
                "after the first two watermarks, before the third: " + sequence);
        assertEquals(
                List.of("wm " + (MID_WEEK - 30 * 60_000), "wm " + (MID_WEEK - 2)),
                sequence.subList(0, 2));
        assertEquals(List.of("wm " + (MID_WEEK - 1)), sequence.subList(4, sequence.size()));
        assertEquals(List.of(), emittedCounts(), "the weekly counts stay until the week closes");
    }

    @Test
    void inWeekCountsHoldOnlyTheCallbacksSinceTheLastFlushPerHour() throws Exception {
        inWeekHarness();
        int hour = HourlyCounts.hourOf(WEEK_START, MID_WEEK);
        harness.processWatermark(MID_WEEK - 60_000);
        process(TestData.event(DEV_A, MID_WEEK - 30_000));
        harness.processWatermark(MID_WEEK);
        process(TestData.event(DEV_A, MID_WEEK + 60_000).badReply());
        process(TestData.event(DEV_A, MID_WEEK - 50_000).latency(TIMEOUT.toMillis() + 1));

        harness.processWatermark(MID_WEEK + 60 * 60_000 - 1);
        harness.processWatermark(MID_WEEK + 2 * 60 * 60_000 - 1);

        assertEquals(
                List.of(
                        "in-week " + DEV_A + " h" + (hour - 1) + "=1/0/0/0/0",
                        "in-week "
                                + DEV_A
                                + " h"
                                + hour
                                + "=1/0/0/0/1 h"
                                + (hour - 1)
                                + "=1/0/1/0/0"),
                inWeekDescribed(),
                "a watermark passing a boundary with nothing new counted emits nothing");
        StreamRecord<InWeekCounts> record =
                harness.getSideOutput(WeeklyPreAggregator.IN_WEEK).peek();
        assertEquals(WEEK_START, record.getTimestamp());
        assertEquals(WEEK_START, record.getValue().getWeekStartMillis());
        assertEquals(WEEK_END, record.getValue().getWeekEndMillis());
    }

    @Test
    void checkpointFlushEmitsTheInWeekCountsWithThePartialWeek() throws Exception {
        inWeekHarness();
        harness.processWatermark(MID_WEEK - 60 * 60_000);
        process(TestData.event(DEV_A, MID_WEEK));
        process(TestData.event(DEV_B, NEXT_WEEK).connectError());

        harness.prepareSnapshotPreBarrier(1);

        int hour = HourlyCounts.hourOf(WEEK_START, MID_WEEK);
        assertEquals(
                Set.of(
                        "in-week " + DEV_A + " h" + hour + "=1/0/0/0/0",
                        "in-week " + DEV_B + " h" + hour + "=1/1/0/0/0"),
                new HashSet<>(inWeekDescribed()));
        assertEquals(2, emittedCounts().size());
        assertTrue(
                sequence.indexOf("in-week " + DEV_A) < sequence.indexOf("counts " + DEV_A),
                sequence::toString);

        harness.prepareSnapshotPreBarrier(2);
        harness.endInput();
        assertEquals(2, inWeek().size(), "nothing counted since");
    }

    @Test
    void partialWeekLeavingTheBundleAndTheEndOfInputEmitTheInWeekCounts() throws Exception {
        inWeekHarness();
        harness.processWatermark(WEEK_END + 1000);
        process(TestData.event(DEV_A, MID_WEEK).status(502));
        process(TestData.event(DEV_B, NEXT_WEEK));

        harness.processWatermark(WEEK_END + 2000);
        assertEquals(
                List.of(DEV_A),
                inWeek().stream().map(InWeekCounts::getDeveloperId).toList(),
                "the late event's closed week left the bundle; no hour boundary was passed");

        harness.endInput();
        assertEquals(
                List.of(DEV_A, DEV_B),
                inWeek().stream().map(InWeekCounts::getDeveloperId).toList());
    }

    @Test
    void nothingGoesToTheInWeekOutputWhenTheInWeekEvaluationIsOff() throws Exception {
        harness.processWatermark(MID_WEEK - 60 * 60_000);
        process(TestData.event(DEV_A, MID_WEEK));
        harness.processWatermark(MID_WEEK + 60 * 60_000);
        process(TestData.event(DEV_A, MID_WEEK + 2 * 60 * 60_000));
        harness.prepareSnapshotPreBarrier(1);
        process(TestData.event(DEV_A, MID_WEEK + 3 * 60 * 60_000));
        harness.endInput();

        assertEquals(List.of(), inWeek());
        assertEquals(2, emittedCounts().size());
    }

    /** The pre-aggregator with the in-week flag, recording the order of everything it emits. */
    private static final class Sequenced extends WeeklyPreAggregator {
        private static final long serialVersionUID = 1L;

        private final transient List<String> sequence;

        Sequenced(List<String> sequence) {
            super(WEEKS, TIMEOUT, 1000, true);
            this.sequence = sequence;
        }

        @Override
        protected void setup(
                StreamTask<?, ?> containingTask,
                StreamConfig config,
                Output<StreamRecord<WeeklyCounts>> output) {
            super.setup(containingTask, config, new Recording(output, sequence));
        }
    }

    private static final class Recording implements Output<StreamRecord<WeeklyCounts>> {
        private final Output<StreamRecord<WeeklyCounts>> output;
        private final List<String> sequence;

        Recording(Output<StreamRecord<WeeklyCounts>> output, List<String> sequence) {
            this.output = output;
            this.sequence = sequence;
        }

        @Override
        public void collect(StreamRecord<WeeklyCounts> record) {
            sequence.add("counts " + record.getValue().getDeveloperId());
            output.collect(record);
        }

        @Override
        public <X> void collect(OutputTag<X> tag, StreamRecord<X> record) {
            if (record.getValue() instanceof InWeekCounts counts) {
                sequence.add(describe(counts));
            }
            output.collect(tag, record);
        }

        @Override
        public void emitWatermark(Watermark mark) {
            sequence.add("wm " + mark.getTimestamp());
            output.emitWatermark(mark);
        }

        @Override
        public void emitWatermarkStatus(WatermarkStatus status) {
            output.emitWatermarkStatus(status);
        }

        @Override
        public void emitLatencyMarker(LatencyMarker marker) {
            output.emitLatencyMarker(marker);
        }

        @Override
        public void emitRecordAttributes(RecordAttributes attributes) {
            output.emitRecordAttributes(attributes);
        }

        @Override
        public void emitWatermark(WatermarkEvent event) {
            output.emitWatermark(event);
        }

        @Override
        public void close() {
            output.close();
        }
    }
}
