package com.openplatform.availability.functions;

import static com.openplatform.availability.functions.FunctionTestSupport.MID_WEEK;
import static com.openplatform.availability.functions.FunctionTestSupport.MONDAY;
import static com.openplatform.availability.functions.FunctionTestSupport.TIMEOUT;
import static com.openplatform.availability.functions.FunctionTestSupport.WEEKS;
import static com.openplatform.availability.functions.FunctionTestSupport.WEEK_END;
import static com.openplatform.availability.functions.FunctionTestSupport.WEEK_START;
import static com.openplatform.availability.functions.FunctionTestSupport.days;
import static com.openplatform.availability.functions.FunctionTestSupport.event;
import static com.openplatform.availability.functions.FunctionTestSupport.keyedStateEntries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openplatform.availability.records.AlertKind;
import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.BurnRules;
import com.openplatform.availability.records.CallbackEvent;
import com.openplatform.availability.records.DeliveryStatus;
import com.openplatform.availability.records.FailureReason;
import com.openplatform.availability.records.HourlyCounts;
import com.openplatform.availability.records.InWeekCounts;
import com.openplatform.availability.records.StandardUpdate;
import com.openplatform.availability.records.WarningRule;
import com.openplatform.availability.records.WeekToDateRow;
import com.openplatform.availability.records.WeeklyCounts;
import com.openplatform.availability.testing.InWeekData;
import com.openplatform.availability.testing.TestData;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

// Flink's harnesses declare close() throws Exception, InterruptedException included.
@SuppressWarnings("try")
class EvaluateWeekToDateTest {
    private static final long DEV = 100234L;
    private static final long OTHER_DEV = 555L;
    private static final long H = HourlyCounts.HOUR_MILLIS;
    private static final String DEFAULT_STANDARD = "0.99";
    private static final BurnRules RULES =
            new BurnRules(new BigDecimal("14.4"), new BigDecimal("6"), 100);

    private KeyedTwoInputStreamOperatorTestHarness<
                    Long, InWeekCounts, StandardUpdate, WeekToDateRow>
            harness;

    /** Whether the harness keeps its state in RocksDB, as the job does, instead of the heap. */
    private boolean onRocksDb;

    @BeforeEach
    void open() throws Exception {
        harness = unopened();
        harness.open();
    }

    private KeyedTwoInputStreamOperatorTestHarness<
                    Long, InWeekCounts, StandardUpdate, WeekToDateRow>
            unopened() throws Exception {
        KeyedTwoInputStreamOperatorTestHarness<Long, InWeekCounts, StandardUpdate, WeekToDateRow>
                unopened =
                        new KeyedTwoInputStreamOperatorTestHarness<>(
                                new EvaluateWeekToDate(
                                        WEEKS, new BigDecimal(DEFAULT_STANDARD), RULES),
                                InWeekCounts::getDeveloperId,
                                null,
                                Types.LONG,
                                1,
                                1,
                                0);
        if (onRocksDb) {
            unopened.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        return unopened;
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static InWeekData hours() {
        return hours(DEV);
    }

    private static InWeekData hours(long developerId) {
        return InWeekData.week(developerId, WEEK_START, WEEK_END);
    }

    /** Counts as the pre-aggregator emits them: timestamped at the week's start. */
    private void feed(InWeekData counts) throws Exception {
        feed(harness, counts);
    }

    private static void feed(
            KeyedTwoInputStreamOperatorTestHarness<
                            Long, InWeekCounts, StandardUpdate, WeekToDateRow>
                    harness,
            InWeekData counts)
            throws Exception {
        InWeekCounts built = counts.build();
        harness.processElement1(built, built.getWeekStartMillis());
    }

    /** Both inputs' watermark moves to {@code timestamp}. */
    private void watermark(long timestamp) throws Exception {
        harness.processBothWatermarks(new Watermark(timestamp));
    }

    /** The evaluation stops after a checkpoint and starts again from it. */
    private void restart() throws Exception {
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();
        harness = unopened();
        harness.initializeState(snapshot);
        harness.open();
    }

    /** The watermark passes hour boundary {@code hour} of the week under test. */
    private void passed(int hour) throws Exception {
        watermark(boundary(hour) - 1);
    }

    private static long boundary(int hour) {
        return WEEK_START + hour * H;
    }

    private void standard(long developerId, String standard) throws Exception {
        harness.processElement2(
                new StandardUpdate(
                        developerId, new BigDecimal(standard), StandardUpdate.BEGINNING_OF_TIME, 1),
                0L);
    }

    private List<WeekToDateRow> rows() {
        return harness.extractOutputValues();
    }

    private List<Long> asOfs() {
        return rows().stream().map(WeekToDateRow::getAsOfMillis).toList();
    }

    private List<AlertRequest> warnings() {
        return warnings(harness);
    }

    private static List<AlertRequest> warnings(
            KeyedTwoInputStreamOperatorTestHarness<
                            Long, InWeekCounts, StandardUpdate, WeekToDateRow>
                    harness) {
        Queue<StreamRecord<AlertRequest>> side = harness.getSideOutput(EvaluateWeekToDate.WARNINGS);
        List<AlertRequest> warnings = new ArrayList<>();
        if (side != null) {
            side.forEach(r -> warnings.add(r.getValue()));
        }
        return warnings;
    }

    private AlertRequest onlyWarning() {
        List<AlertRequest> warnings = warnings();
        assertEquals(1, warnings.size(), warnings::toString);
        return warnings.get(0);
    }

    @Test
    void rowIsWrittenAtEachHourBoundaryTheWatermarkPassesAsOfThatBoundary() throws Exception {
        feed(hours().hour(0, 100, 0));
        watermark(boundary(1) - 2);
        assertEquals(List.of(), rows());

        passed(1);
        feed(hours().hour(1, 50, FailureReason.TIMEOUT, 5));
        passed(2);
        passed(3);

        assertEquals(List.of(boundary(1), boundary(2), boundary(3)), asOfs());
        WeekToDateRow first = rows().get(0);
        assertEquals(DEV, first.getDeveloperId());
        assertEquals(MONDAY, first.getWeekStart());
        assertEquals(WEEK_START, first.getWeekStartMillis());
        assertEquals(WEEK_END, first.getWeekEndMillis());
        assertEquals(100, first.getTotalCount());
        assertEquals(155, rows().get(1).getTotalCount());
        assertEquals(5, rows().get(1).getTimeoutCount());
        assertEquals(155, rows().get(2).getTotalCount());
        assertEquals(List.of(), warnings());
    }

    @Test
    void quietWeekIsEvaluatedWhileItsWindowsHoldCallbacksAndAtItsEnd() throws Exception {
        feed(hours().hour(2, 50, 0));
        for (int hour = 1; hour <= 20; hour++) {
            passed(hour);
        }
        List<Long> expected = new ArrayList<>();
        for (int hour = 3; hour <= 9; hour++) {
            expected.add(boundary(hour));
        }
        assertEquals(
                expected,
                asOfs(),
                "hour 2 lies in the windows of boundaries 3 to 8; at 9 both are empty again");
        assertNull(rows().get(6).getBurnRate1h());
        assertNull(rows().get(6).getBurnRate6h());

        watermark(WEEK_END - 1);

        assertEquals(WEEK_END, rows().get(rows().size() - 1).getAsOfMillis());
        assertEquals(50, rows().get(rows().size() - 1).getTotalCount());
        assertEquals(8, rows().size());
        assertEquals(0, keyedStateEntries(harness));
    }

    @Test
    void budgetSpentIsFoundAtItsBoundaryWhenNoCallbackFollows() throws Exception {
        // 50 of 1000 failed against a budget of 1 %: not a slow burn (50 < 6 × 0.01 × 1000), but
        // the week's budget is spent from 0.01 × 1000 × 168 h / 50 = 33.6 h on, so at boundary 34.
        feed(hours().hour(0, 950, 50));
        for (int hour = 1; hour <= 40; hour++) {
            passed(hour);
        }

        List<Long> expected = new ArrayList<>();
        for (int hour = 1; hour <= 7; hour++) {
            expected.add(boundary(hour));
        }
        expected.add(boundary(34));
        assertEquals(expected, asOfs());
        AlertRequest warning = onlyWarning();
        assertEquals(WarningRule.BUDGET_SPENT, warning.getRule());
        assertEquals(boundary(34), warning.getAsOfMillis());
        assertTrue(rows().get(6).isOnTrack());
        assertEquals(false, rows().get(7).isOnTrack());

        watermark(WEEK_END - 1);
        assertEquals(false, rows().get(8).isOnTrack(), "once spent, the week stays off track");
    }

    @Test
    void noRowIsWrittenWhileTheWeekHasNoCallbacksBeforeTheBoundary() throws Exception {
        feed(hours().hour(3, 100, 0));

        passed(1);
        passed(2);
        passed(3);
        assertEquals(List.of(), rows());

        passed(4);
        assertEquals(List.of(boundary(4)), asOfs());
    }

    @Test
    void watermarkJumpingSeveralBoundariesWritesOnlyTheLastRowButWarnsAsOfTheFirstThatBurns()
            throws Exception {
        feed(
                hours().hour(0, 100, 0)
                        .hour(1, 100, 0)
                        .hour(2, 50, 50)
                        .hour(3, 100, 0)
                        .hour(4, 100, 0)
                        .hour(5, 100, 0));

        passed(6);

        assertEquals(List.of(boundary(6)), asOfs());
        assertEquals(600, rows().get(0).getTotalCount());
        assertEquals(50, rows().get(0).getFailedCount());
        AlertRequest warning = onlyWarning();
        assertEquals(boundary(3), warning.getAsOfMillis());
        assertEquals(WarningRule.FAST_BURN, warning.getRule());
        assertEquals(AlertKind.WARNING, warning.getKind());
        assertEquals(300, warning.getTotalCount(), "the callbacks before 03:00");
        assertEquals(50, warning.getFailedCount());
        assertEquals(new BigDecimal("0.5000000000"), warning.getWindowAvailability());
        assertEquals(new BigDecimal(DEFAULT_STANDARD), warning.getStandard());
        assertEquals(FailureReason.HTTP_ERROR, warning.getMainFailureReason());
        assertEquals(DEV, warning.getDeveloperId());
        assertEquals(MONDAY, warning.getWeekStart());
        assertEquals(WEEK_END, warning.getWeekEndMillis());
        assertEquals(AlertRequest.NO_OPEN_ID, warning.getOpenId(), "addressed by PlanWarnings");
    }

    @Test
    void weekIsWarnedAtMostOnce() throws Exception {
        for (int hour = 0; hour < 10; hour++) {
            feed(hours().hour(hour, 0, 100));
            passed(hour + 1);
        }

        assertEquals(10, rows().size());
        AlertRequest warning = onlyWarning();
        assertEquals(boundary(1), warning.getAsOfMillis());
        assertEquals(WarningRule.FAST_BURN, warning.getRule());
    }

    @Test
    void weeksLastBoundaryWarnsNotButWritesTheWeeksTotals() throws Exception {
        InWeekData counts = hours();
        for (int hour = 0; hour < 167; hour++) {
            counts.hour(hour, 100, 0);
        }
        counts.hour(20, 0, FailureReason.CONNECT_ERROR, 3);
        feed(counts);
        watermark(WEEK_END - H - 1);
        feed(hours().hour(167, 0, FailureReason.BAD_RESPONSE, 100));

        watermark(WEEK_END - 1);

        assertEquals(
                List.of(WEEK_END - H, WEEK_END),
                asOfs(),
                "the watermark passed 167 boundaries at once, then the week's end");
        WeekToDateRow last = rows().get(1);
        assertEquals(167 * 100 + 3 + 100, last.getTotalCount());
        assertEquals(103, last.getFailedCount());
        assertEquals(3, last.getConnectErrorCount());
        assertEquals(100, last.getBadResponseCount());
        assertEquals(List.of(), warnings(), "the last hour burns fast, but the week is over");
    }

    @Test
    void lastRowOfTheWeekHasTheCountsOfTheWeeksWeeklyRow() throws Exception {
        OneInputStreamOperatorTestHarness<CallbackEvent, WeeklyCounts> preAggregator =
                new OneInputStreamOperatorTestHarness<>(
                        new WeeklyPreAggregator(WEEKS, TIMEOUT, 1000, true));
        preAggregator.open();
        Random random = new Random(42);
        int forwarded = 0;
        for (long watermark = WEEK_START; watermark < WEEK_END; watermark += 17 * 60_000L) {
            for (int i = 0; i < 3; i++) {
                // Up to two hours late, never before the week.
                long time = Math.max(WEEK_START, watermark - random.nextInt(7_200_000));
                TestData.EventJson json = TestData.event(DEV, time);
                switch (random.nextInt(6)) {
                    case 0 -> json.status(503);
                    case 1 -> json.connectError();
                    case 2 -> json.latency(TIMEOUT.toMillis() + 1);
                    case 3 -> json.badReply();
                    default -> {}
                }
                CallbackEvent event = event(json);
                preAggregator.processElement(event, event.getEventTime());
            }
            if (random.nextInt(10) == 0) {
                preAggregator.prepareSnapshotPreBarrier(watermark);
            }
            if (random.nextInt(10) == 0) {
                restart();
            }
            preAggregator.processWatermark(watermark);
            forwarded = forward(preAggregator, forwarded);
            watermark(watermark);
        }
        preAggregator.processWatermark(WEEK_END - 1);
        forward(preAggregator, forwarded);
        watermark(WEEK_END - 1);
        WeeklyCounts week = new MergeWeeklyCounts().createAccumulator();
        for (WeeklyCounts partial : preAggregator.extractOutputValues()) {
            week = new MergeWeeklyCounts().add(partial, week);
        }
        preAggregator.close();

        WeekToDateRow last = rows().get(rows().size() - 1);
        assertEquals(WEEK_END, last.getAsOfMillis());
        assertTrue(week.getTotalCount() > 1000, week::toString);
        assertEquals(week.getTotalCount(), last.getTotalCount());
        assertEquals(week.failedCount(), last.getFailedCount());
        assertEquals(week.getConnectErrorCount(), last.getConnectErrorCount());
        assertEquals(week.getTimeoutCount(), last.getTimeoutCount());
        assertEquals(week.getHttpErrorCount(), last.getHttpErrorCount());
        assertEquals(week.getBadResponseCount(), last.getBadResponseCount());
    }

    /** Feeds the in-week counts the pre-aggregator emitted since the last call to the harness. */
    private int forward(
            OneInputStreamOperatorTestHarness<CallbackEvent, WeeklyCounts> preAggregator,
            int forwarded)
            throws Exception {
        Queue<StreamRecord<InWeekCounts>> side =
                preAggregator.getSideOutput(WeeklyPreAggregator.IN_WEEK);
        List<StreamRecord<InWeekCounts>> all = side == null ? List.of() : new ArrayList<>(side);
        for (StreamRecord<InWeekCounts> record : all.subList(forwarded, all.size())) {
            harness.processElement1(record.getValue(), record.getTimestamp());
        }
        return all.size();
    }

    @Test
    void weekFirstSeenMidWeekIsNotEvaluatedForTheBoundariesAlreadyPassed() throws Exception {
        watermark(MID_WEEK - 1);

        feed(hours().hour(HourlyCounts.hourOf(WEEK_START, MID_WEEK) - 1, 0, 100));
        assertEquals(List.of(), rows());
        assertEquals(List.of(), warnings());

        watermark(MID_WEEK + H - 1);

        assertEquals(List.of(MID_WEEK + H), asOfs());
        AlertRequest warning = onlyWarning();
        assertEquals(MID_WEEK + H, warning.getAsOfMillis());
        assertEquals(
                WarningRule.SLOW_BURN,
                warning.getRule(),
                "the failures lie in the hour before the last");
    }

    @Test
    void stateIsReleasedOnceTheWeekEnds() throws Exception {
        feed(hours().hour(0, 100, 0));
        watermark(WEEK_END - 2);
        harness.snapshot(1, 1);
        assertEquals(1, operator().runningWeeks());
        assertEquals(1, keyedStateEntries(harness));

        watermark(WEEK_END - 1);
        harness.snapshot(2, 2);

        assertEquals(0, operator().runningWeeks());
        assertEquals(0, keyedStateEntries(harness));
        assertEquals(0, harness.numEventTimeTimers());
    }

    @Test
    void weekStartedAndEndedBetweenTwoCheckpointsNeverReachesTheKeyedState() throws Exception {
        feed(hours().hour(0, 100, 0));
        watermark(WEEK_END - 1);
        harness.snapshot(1, 1);

        assertEquals(0, keyedStateEntries(harness));
        assertEquals(0, operator().runningWeeks());
    }

    @Test
    void keyedStateHoldsTheRunningWeeksOnlyFromTheNextCheckpointOn() throws Exception {
        feed(hours().hour(0, 100, 0));
        feed(hours(OTHER_DEV).hour(0, 100, 0));
        passed(1);
        assertEquals(0, keyedStateEntries(harness));

        harness.snapshot(1, 1);

        assertEquals(2, keyedStateEntries(harness));
    }

    @Test
    void countsArrivingAfterTheWatermarkPassedTheWeekEndAreIgnored() throws Exception {
        feed(hours().hour(0, 100, 0));
        watermark(WEEK_END - 1);
        int rowsOfTheWeek = rows().size();

        feed(hours().hour(100, 0, 100));
        feed(hours(OTHER_DEV).hour(100, 0, 100));
        watermark(WEEK_END + days(1));
        harness.snapshot(1, 1);

        assertEquals(rowsOfTheWeek, rows().size());
        assertEquals(List.of(), warnings());
        assertEquals(0, operator().runningWeeks());
        assertEquals(0, keyedStateEntries(harness));
    }

    private EvaluateWeekToDate operator() {
        return (EvaluateWeekToDate) harness.getOperator();
    }

    @Test
    void failuresOfThePreviousWeekDoNotCountInTheNextWeeksWindows() throws Exception {
        InWeekData lastWeek = InWeekData.week(DEV, WEEK_START - days(7), WEEK_START);
        feed(lastWeek.hour(166, 100, 0).hour(167, 100, 0));
        feed(hours().hour(0, 100, 0));
        watermark(WEEK_START - 2 * H - 1);
        feed(InWeekData.week(DEV, WEEK_START - days(7), WEEK_START).hour(166, 0, 100));

        passed(1);

        AlertRequest warning = onlyWarning();
        assertEquals(WEEK_START - H, warning.getAsOfMillis(), "the week before warned");
        WeekToDateRow first = rows().get(rows().size() - 1);
        assertEquals(boundary(1), first.getAsOfMillis());
        assertEquals(100, first.getTotalCount());
        assertEquals(0, first.getFailedCount());
        assertEquals(new BigDecimal("0.0000"), first.getBurnRate6h());
    }

    @Test
    void restoredSnapshotContinuesExactlyAndDoesNotWarnAgain() throws Exception {
        assertRestoreContinuesExactly();
    }

    @Test
    void restoredRocksDbSnapshotContinuesExactlyAndDoesNotWarnAgain() throws Exception {
        onRocksDb = true;
        harness.close();
        open();

        assertRestoreContinuesExactly();
    }

    private void assertRestoreContinuesExactly() throws Exception {
        List<WeekToDateRow> uninterrupted = runAcrossARestore(false);
        List<AlertRequest> warningsUninterrupted = warnings();
        harness.close();
        open();

        List<WeekToDateRow> restored = runAcrossARestore(true);

        assertEquals(uninterrupted, restored);
        assertEquals(1, warningsUninterrupted.size(), warningsUninterrupted::toString);
        assertEquals(List.of(), warnings(), "the week was warned before the snapshot");
    }

    /** The rows written after the snapshot point, restoring there if {@code restore}. */
    private List<WeekToDateRow> runAcrossARestore(boolean restore) throws Exception {
        feed(hours().hour(0, 0, 100).hour(1, 100, 0));
        passed(1);
        feed(hours().hour(1, 0, 7).hour(2, 100, 0));
        if (restore) {
            assertEquals(1, warnings().size());
            restart();
        }
        int before = rows().size();
        feed(hours().hour(3, 0, 100));
        passed(2);
        passed(5);
        passed(6);
        List<WeekToDateRow> after = new ArrayList<>(rows().subList(before, rows().size()));
        assertEquals(List.of(boundary(2), boundary(5), boundary(6)), asOfsOf(after));
        assertEquals(207, after.get(0).getTotalCount(), "hour 1's late failures count from 02:00");
        assertEquals(407, after.get(2).getTotalCount());
        return after;
    }

    private static List<Long> asOfsOf(List<WeekToDateRow> rows) {
        return rows.stream().map(WeekToDateRow::getAsOfMillis).toList();
    }

    @Test
    void restoredTimerEvaluatesTheWeekAndWarnsOnce() throws Exception {
        feed(hours().hour(0, 0, 100));
        restart();

        passed(1);
        passed(2);

        assertEquals(List.of(boundary(1), boundary(2)), asOfs());
        assertEquals(boundary(1), onlyWarning().getAsOfMillis());
    }

    /**
     * What the version that kept one event-time timer per running week (commit 73fd135) had been
     * fed when it wrote {@code state/73fd135/evaluate-week-to-date.snapshot} (heap state backend):
     * a warned week, a running week with counts past its last point, an own standard.
     */
    private void historyOfThePreviousVersionsSnapshot() throws Exception {
        standard(DEV, "0.995");
        feed(hours().hour(0, 1000, 2).hour(1, 1000, 1));
        feed(hours(OTHER_DEV).hour(0, 0, 100));
        passed(1);
        feed(hours().hour(2, 500, 0).hour(3, 500, 0));
        passed(3);
        feed(hours().hour(4, 300, 1));
    }

    private void afterThePreviousVersionsSnapshot() throws Exception {
        feed(hours().hour(5, 100, 100));
        feed(hours(OTHER_DEV).hour(5, 0, 100));
        passed(6);
        watermark(WEEK_END - 1);
    }

    @Test
    void previousVersionsSnapshotRestoresAndContinuesAsIfNeverStopped() throws Exception {
        historyOfThePreviousVersionsSnapshot();
        int rowsBefore = rows().size();
        assertEquals(1, warnings().size(), "OTHER_DEV warned before the snapshot");
        afterThePreviousVersionsSnapshot();
        List<WeekToDateRow> expectedRows =
                new ArrayList<>(rows().subList(rowsBefore, rows().size()));
        List<AlertRequest> expectedWarnings = new ArrayList<>(warnings().subList(1, 2));
        harness.close();

        harness = unopened();
        harness.initializeState(
                OperatorSnapshotUtil.getResourceFilename(
                        "state/73fd135/evaluate-week-to-date.snapshot"));
        harness.open();
        afterThePreviousVersionsSnapshot();

        assertEquals(expectedRows, rows());
        assertEquals(expectedWarnings.toString(), warnings().toString());
        assertEquals(DEV, expectedWarnings.get(0).getDeveloperId());
        assertEquals(boundary(6), expectedWarnings.get(0).getAsOfMillis());
        assertEquals(0, harness.numEventTimeTimers(), "the previous version's timers are gone");
        assertEquals(0, operator().runningWeeks());
    }

    @Test
    void ownStandardBeatsThePlatformStandard() throws Exception {
        standard(0, "0.9");
        standard(DEV, "0.999");
        feed(hours().hour(0, 90, 10));
        feed(hours(OTHER_DEV).hour(0, 90, 10));

        passed(1);

        assertEquals(2, rows().size(), rows()::toString);
        for (WeekToDateRow row : rows()) {
            BigDecimal expected = new BigDecimal(row.getDeveloperId() == DEV ? "0.999" : "0.9");
            assertEquals(0, expected.compareTo(row.getStandard()), row::toString);
        }
        AlertRequest warning = onlyWarning();
        assertEquals(DEV, warning.getDeveloperId(), "10% burns a 0.1% budget, not a 10% one");
        assertEquals(0, new BigDecimal("0.999").compareTo(warning.getStandard()));
    }

    @Test
    void defaultStandardAppliesWithoutOwnOrPlatformStandard() throws Exception {
        standard(OTHER_DEV, "0.5");
        feed(hours().hour(0, 100, 0));

        passed(1);

        assertEquals(1, rows().size(), rows()::toString);
        assertEquals(new BigDecimal(DEFAULT_STANDARD), rows().get(0).getStandard());
    }

    @Test
    void standardArrivingMidWeekAppliesFromTheNextBoundary() throws Exception {
        feed(hours().hour(0, 100, 0));
        passed(1);
        standard(DEV, "0.95");
        passed(2);

        assertEquals(new BigDecimal(DEFAULT_STANDARD), rows().get(0).getStandard());
        assertEquals(0, new BigDecimal("0.95").compareTo(rows().get(1).getStandard()));
    }

    @Test
    void warningIsNotYetAddressed() throws Exception {
        feed(hours().hour(0, 0, 100));

        passed(1);

        AlertRequest warning = onlyWarning();
        assertEquals(DeliveryStatus.NO_RECIPIENT, warning.getStatus());
        assertNull(warning.getRole());
    }
}
