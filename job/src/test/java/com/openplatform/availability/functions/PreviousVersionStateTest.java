package com.openplatform.availability.functions;

import static com.openplatform.availability.functions.FunctionTestSupport.HOLD_WEEKS;
import static com.openplatform.availability.functions.FunctionTestSupport.MID_WEEK;
import static com.openplatform.availability.functions.FunctionTestSupport.WEEKS;
import static com.openplatform.availability.functions.FunctionTestSupport.WEEK_END;
import static com.openplatform.availability.functions.FunctionTestSupport.counts;
import static com.openplatform.availability.functions.FunctionTestSupport.days;
import static com.openplatform.availability.functions.FunctionTestSupport.weeklyWindow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.openplatform.availability.records.HourlyCounts;
import com.openplatform.availability.records.LatencyHistogram;
import com.openplatform.availability.records.StandardUpdate;
import com.openplatform.availability.records.WeekDiagnosis;
import com.openplatform.availability.records.WeeklyCounts;
import com.openplatform.availability.records.WeeklyResult;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The keyed state of the weekly window and of the judge, as the previous release wrote it (its
 * {@code WeeklyCounts} and {@code WeeklyResult} POJOs), restores into this one: a savepoint taken
 * before an upgrade must not be lost. The snapshots under {@code src/test/resources/state/} were
 * written by {@link #writeSnapshots} with that release's code; this test reads them with today's.
 */
// Flink's harnesses declare close() throws Exception, InterruptedException included.
@SuppressWarnings("try")
class PreviousVersionStateTest {
    private static final long DEV = 100234L;
    private static final long NEXT_WEEK = MID_WEEK + days(7);

    /** The release whose state the committed snapshots hold. */
    private static final Path SNAPSHOTS = Path.of("job/src/test/resources/state/fb85828");

    /** Counts of the previous release recorded no latencies and no hours. */
    private static final WeekDiagnosis NO_DIAGNOSIS =
            new WeekDiagnosis(null, null, null, null, null, null, null, null);

    private static final String WINDOW = "weekly-counts-window.snapshot";
    private static final String JUDGE = "judge.snapshot";

    /**
     * Writes the snapshots with the code checked out: {@code mvn test
     * -Dtest=PreviousVersionStateTest -Dstate.snapshots.write=<directory>}. Only for a release
     * whose state later releases must restore.
     */
    @Test
    @EnabledIfSystemProperty(named = "state.snapshots.write", matches = ".+")
    void writeSnapshots() throws Exception {
        Path dir = Path.of(System.getProperty("state.snapshots.write"));
        Files.createDirectories(dir);

        try (KeyedOneInputStreamOperatorTestHarness<Long, WeeklyCounts, WeeklyCounts> window =
                weeklyWindow()) {
            window.open();
            window.processElement(counts(DEV, MID_WEEK, 990, 1000), WEEKS.startOf(MID_WEEK));
            window.processElement(counts(DEV, MID_WEEK, 5, 10), WEEKS.startOf(MID_WEEK));
            OperatorSnapshotUtil.writeStateHandle(
                    window.snapshot(1, 1), dir.resolve(WINDOW).toString());
        }

        try (KeyedBroadcastOperatorTestHarness<Long, WeeklyCounts, StandardUpdate, WeeklyResult>
                judge = judge()) {
            judge.open();
            // A judged week, held for re-judgement, and the next week waiting for its close.
            judge.processElement(counts(DEV, MID_WEEK, 994, 1000), WEEK_END - 1);
            judge.watermark(WEEK_END - 1);
            judge.processElement(counts(DEV, NEXT_WEEK, 999, 1000), WEEK_END);
            OperatorSnapshotUtil.writeStateHandle(
                    judge.snapshot(1, 1), dir.resolve(JUDGE).toString());
        }
    }

    private static KeyedBroadcastOperatorTestHarness<
                    Long, WeeklyCounts, StandardUpdate, WeeklyResult>
            judge() throws Exception {
        return new KeyedBroadcastOperatorTestHarness<>(
                new JudgeWeeklyAvailability.Operator(
                        new JudgeWeeklyAvailability(WEEKS, new BigDecimal("0.995"), HOLD_WEEKS)),
                WeeklyCounts::getDeveloperId,
                Types.LONG,
                1,
                1,
                0);
    }

    private static OperatorSubtaskState snapshot(String name) throws Exception {
        return OperatorSnapshotUtil.readStateHandle(SNAPSHOTS.resolve(name).toString());
    }

    @Test
    void weeklyWindowAccumulatorOfThePreviousReleaseRestoresAndKeepsCounting() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<Long, WeeklyCounts, WeeklyCounts> window =
                weeklyWindow()) {
            window.initializeState(snapshot(WINDOW));
            window.open();
            window.processWatermark(WEEK_END - 1);
            window.processElement(partialWithDiagnosis(), WEEKS.startOf(MID_WEEK));
            window.processWatermark(WEEK_END);

            List<WeeklyCounts> fired = window.extractOutputValues();
            assertEquals(2, fired.size(), fired::toString);
            assertEquals(counts(DEV, MID_WEEK, 995, 1010), fired.get(0));
            assertEquals(NO_DIAGNOSIS, fired.get(0).diagnosis());

            WeeklyCounts corrected = fired.get(1);
            WeekDiagnosis diagnosis = corrected.diagnosis();
            assertEquals(100L, diagnosis.latencyP50Ms(), "only the new events have latencies");
            assertEquals(
                    WEEKS.startOf(MID_WEEK) + days(2) + 10 * 3_600_000L,
                    diagnosis.peakHourStartMillis());
            WeeklyCounts expected = counts(DEV, MID_WEEK, 996, 1011);
            expected.setLatencyHistogram(corrected.getLatencyHistogram());
            expected.setHourlyCounts(corrected.getHourlyCounts());
            assertEquals(expected, corrected);
        }
    }

    /** One valid callback at Wednesday 10:00, as this release's pre-aggregation emits it. */
    private static WeeklyCounts partialWithDiagnosis() {
        WeeklyCounts partial = counts(DEV, MID_WEEK, 1, 1);
        LatencyHistogram latencies = new LatencyHistogram();
        latencies.record(100);
        HourlyCounts hours = new HourlyCounts(partial.getWeekStartMillis(), WEEK_END);
        hours.count(HourlyCounts.hourOf(partial.getWeekStartMillis(), MID_WEEK), false);
        partial.addDiagnosis(latencies, hours);
        return partial;
    }

    @Test
    void judgedAndWaitingWeeksOfThePreviousReleaseRestoreAndAreJudgedAgain() throws Exception {
        try (KeyedBroadcastOperatorTestHarness<Long, WeeklyCounts, StandardUpdate, WeeklyResult>
                judge = judge()) {
            judge.initializeState(snapshot(JUDGE));
            judge.open();

            judge.processBroadcastElement(
                    new StandardUpdate(
                            DEV, new BigDecimal("0.99"), StandardUpdate.BEGINNING_OF_TIME, 1),
                    0L);
            judge.watermark(WEEKS.endOf(NEXT_WEEK) - 1);

            List<WeeklyResult> results = judge.extractOutputValues();
            assertEquals(2, results.size(), results::toString);
            assertEquals(counts(DEV, MID_WEEK, 994, 1000), results.get(0).getCounts());
            assertEquals(counts(DEV, NEXT_WEEK, 999, 1000), results.get(1).getCounts());
            assertEquals(NO_DIAGNOSIS, results.get(0).getCounts().diagnosis());
            assertEquals(NO_DIAGNOSIS, results.get(1).getCounts().diagnosis());
        }
    }
}
