package com.openplatform.availability.functions;

import static com.openplatform.availability.functions.FunctionTestSupport.HOLD_WEEKS;
import static com.openplatform.availability.functions.FunctionTestSupport.MID_WEEK;
import static com.openplatform.availability.functions.FunctionTestSupport.MONDAY;
import static com.openplatform.availability.functions.FunctionTestSupport.RELEASE;
import static com.openplatform.availability.functions.FunctionTestSupport.WEEKS;
import static com.openplatform.availability.functions.FunctionTestSupport.WEEK_END;
import static com.openplatform.availability.functions.FunctionTestSupport.WEEK_START;
import static com.openplatform.availability.functions.FunctionTestSupport.counts;
import static com.openplatform.availability.functions.FunctionTestSupport.days;
import static com.openplatform.availability.functions.FunctionTestSupport.keyedStateEntries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openplatform.availability.records.StandardUpdate;
import com.openplatform.availability.records.WeeklyCounts;
import com.openplatform.availability.records.WeeklyResult;
import java.math.BigDecimal;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JudgeWeeklyAvailabilityTest {
    private static final long DEV = 100234L;
    private static final long OTHER_DEV = 555L;
    private static final String DEFAULT_STANDARD = "0.995";

    private KeyedBroadcastOperatorTestHarness<Long, WeeklyCounts, StandardUpdate, WeeklyResult>
            harness;

    @BeforeEach
    void open() throws Exception {
        harness = unopened();
        harness.open();
    }

    private static KeyedBroadcastOperatorTestHarness<
                    Long, WeeklyCounts, StandardUpdate, WeeklyResult>
            unopened() throws Exception {
        return new KeyedBroadcastOperatorTestHarness<>(
                new JudgeWeeklyAvailability.Operator(
                        new JudgeWeeklyAvailability(
                                WEEKS, new BigDecimal(DEFAULT_STANDARD), HOLD_WEEKS)),
                WeeklyCounts::getDeveloperId,
                Types.LONG,
                1,
                1,
                0);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    /**
     * Full counts of the week under test, as the weekly window emits them: just before the
     * watermark that closes the week.
     */
    private void judge(long developerId, long valid, long total) throws Exception {
        judge(counts(developerId, MID_WEEK, valid, total));
    }

    private void judge(WeeklyCounts week) throws Exception {
        harness.processElement(week, week.getWeekEndMillis() - 1);
        harness.watermark(week.getWeekEndMillis() - 1);
    }

    private void standard(long developerId, String standard, long effectiveFrom, long version)
            throws Exception {
        harness.processBroadcastElement(
                new StandardUpdate(developerId, new BigDecimal(standard), effectiveFrom, version),
                0L);
    }

    private void standard(long developerId, String standard, long version) throws Exception {
        standard(developerId, standard, StandardUpdate.BEGINNING_OF_TIME, version);
    }

    private List<WeeklyResult> results() {
        return harness.extractOutputValues();
    }

    private WeeklyResult onlyResult() {
        List<WeeklyResult> results = results();
        assertEquals(1, results.size(), results::toString);
        return results.get(0);
    }

    private static void assertJudged(
            WeeklyResult result, long developerId, String standard, boolean satisfied) {
        assertEquals(developerId, result.developerId(), result::toString);
        assertEquals(0, new BigDecimal(standard).compareTo(result.getStandard()), result::toString);
        assertEquals(satisfied, result.isSatisfied(), result::toString);
    }

    @Test
    void defaultStandardAppliesWhenNoneIsKnown() throws Exception {
        judge(DEV, 994, 1000);

        WeeklyResult result = onlyResult();
        assertJudged(result, DEV, DEFAULT_STANDARD, false);
        assertEquals(MONDAY, result.getWeekStart());
        assertEquals(new BigDecimal("0.9940000000"), result.getAvailability());
        assertEquals(1000, result.getCounts().getTotalCount());
    }

    @Test
    void platformStandardOfDeveloperZeroAppliesWhenTheDeveloperHasNone() throws Exception {
        standard(0, "0.99", 1);

        judge(DEV, 994, 1000);

        assertJudged(onlyResult(), DEV, "0.99", true);
    }

    @Test
    void ownStandardBeatsThePlatformStandard() throws Exception {
        standard(0, "0.99", 5);
        standard(DEV, "0.999", 1);

        judge(DEV, 998, 1000);
        judge(OTHER_DEV, 998, 1000);

        assertJudged(results().get(0), DEV, "0.999", false);
        assertJudged(results().get(1), OTHER_DEV, "0.99", true);
    }

    @Test
    void standardArrivingAfterTheWeekWasJudgedRejudgesIt() throws Exception {
        judge(DEV, 994, 1000);
        assertFalse(onlyResult().isSatisfied());

        standard(DEV, "0.99", 1);

        assertEquals(2, results().size());
        WeeklyResult corrected = results().get(1);
        assertJudged(corrected, DEV, "0.99", true);
        assertEquals(MONDAY, corrected.getWeekStart());
        assertEquals(1000, corrected.getCounts().getTotalCount());
    }

    @Test
    void lateStandardGivesTheSameResultAsAnEarlyOne() throws Exception {
        judge(DEV, 994, 1000);
        standard(DEV, "0.99", 1);
        WeeklyResult late = results().get(1);

        harness.close();
        open();
        standard(DEV, "0.99", 1);
        judge(DEV, 994, 1000);

        assertEquals(onlyResult(), late);
    }

    @Test
    void platformStandardArrivingLaterRejudgesOnlyDevelopersWithoutTheirOwn() throws Exception {
        standard(DEV, "0.995", 1);
        judge(DEV, 994, 1000);
        judge(OTHER_DEV, 994, 1000);

        standard(0, "0.99", 1);

        assertEquals(3, results().size(), results()::toString);
        assertJudged(results().get(2), OTHER_DEV, "0.99", true);
    }

    @Test
    void standardUpdateThatDoesNotChangeAHeldWeekEmitsNothing() throws Exception {
        standard(DEV, "0.99", 1);
        judge(DEV, 994, 1000);

        standard(DEV, "0.99", 2);
        standard(0, "0.5", 1);
        standard(OTHER_DEV, "0.5", 1);
        standard(DEV, "0.99", 1);

        assertEquals(1, results().size(), results()::toString);
    }

    @Test
    void olderVersionArrivingLaterEmitsNothing() throws Exception {
        standard(DEV, "0.99", 5);
        judge(DEV, 994, 1000);

        standard(DEV, "0.999", 4);

        assertEquals(1, results().size(), results()::toString);
    }

    @Test
    void standardEffectiveFromTheWeekEndDoesNotApplyToTheWeek() throws Exception {
        judge(DEV, 994, 1000);

        standard(DEV, "0.99", WEEK_END, 1);

        assertEquals(1, results().size(), results()::toString);

        standard(DEV, "0.99", WEEK_END - 1, 2);

        assertEquals(2, results().size(), results()::toString);
        assertJudged(results().get(1), DEV, "0.99", true);
    }

    @Test
    void standardEffectiveAfterTheWeekIsNotUsedForFirstJudgement() throws Exception {
        standard(DEV, "0.9", 1);
        standard(DEV, "0.999", WEEK_END + days(1), 2);

        judge(DEV, 995, 1000);

        assertJudged(onlyResult(), DEV, "0.9", true);
    }

    @Test
    void lateCountsOfAJudgedWeekEmitAnUpdatedResult() throws Exception {
        judge(DEV, 995, 1000);
        assertTrue(onlyResult().isSatisfied());

        judge(DEV, 995, 1001);

        assertEquals(2, results().size());
        WeeklyResult updated = results().get(1);
        assertJudged(updated, DEV, DEFAULT_STANDARD, false);
        assertEquals(1001, updated.getCounts().getTotalCount());
        assertEquals(1, harness.numEventTimeTimers(), "one release timer per week");
    }

    @Test
    void rejudgementUsesTheLatestCountsOfTheWeek() throws Exception {
        judge(DEV, 995, 1000);
        judge(DEV, 990, 1000);

        standard(DEV, "0.99", 1);

        WeeklyResult rejudged = results().get(2);
        assertEquals(10, rejudged.getCounts().failedCount());
        assertJudged(rejudged, DEV, "0.99", true);
    }

    @Test
    void eachWeekIsJudgedAgainstItsOwnStandard() throws Exception {
        standard(DEV, "0.9", 1);
        standard(DEV, "0.999", WEEK_END, 2);
        WeeklyCounts nextWeek = counts(DEV, MID_WEEK + days(7), 995, 1000);

        judge(DEV, 995, 1000);
        judge(nextWeek);

        assertJudged(results().get(0), DEV, "0.9", true);
        assertJudged(results().get(1), DEV, "0.999", false);
    }

    @Test
    void weekIsHeldForRejudgementUntilEightWeeksAfterItsEnd() throws Exception {
        judge(DEV, 994, 1000);

        harness.watermark(RELEASE - 1);
        standard(DEV, "0.99", 1);

        assertEquals(2, results().size());
        assertEquals(1, harness.numEventTimeTimers());
    }

    @Test
    void weekIsReleasedOnceTheWatermarkPassesEightWeeksAfterItsEnd() throws Exception {
        judge(DEV, 994, 1000);
        assertEquals(1, harness.numEventTimeTimers());

        harness.watermark(RELEASE);
        standard(DEV, "0.99", 1);

        assertEquals(1, results().size(), "a released week is not re-judged");
        assertEquals(0, harness.numEventTimeTimers());
    }

    @Test
    void noKeyedStateRemainsOnceEveryHeldWeekIsReleased() throws Exception {
        judge(DEV, 994, 1000);
        assertEquals(1, keyedStateEntries(harness));

        harness.watermark(RELEASE);

        assertEquals(0, harness.numEventTimeTimers());
        assertEquals(0, keyedStateEntries(harness));
    }

    @Test
    void releaseTimeIsCountedInLocalWeeks() throws Exception {
        assertEquals(WEEKS.weeksAfterEndOf(WEEK_START, HOLD_WEEKS), RELEASE);
        assertEquals(WEEK_END + days(7L * HOLD_WEEKS), RELEASE);
    }

    @Test
    void firstJudgementWaitsUntilTheStandardsInputPassesTheWeeksClose() throws Exception {
        WeeklyCounts week = counts(DEV, MID_WEEK, 994, 1000);
        harness.processElement(week, WEEK_END - 1);
        harness.processWatermark(WEEK_END - 1);
        assertEquals(List.of(), results(), "the standards input still holds the watermark");

        standard(DEV, "0.99", 1);
        harness.processBroadcastWatermark(WEEK_END - 1);

        assertJudged(onlyResult(), DEV, "0.99", true);
        assertEquals(1, keyedStateEntries(harness), "only the judged week is kept");
        assertEquals(1, harness.numEventTimeTimers(), "only the release timer is left");
    }

    @Test
    void countsOfAClosedWeekAreJudgedAsTheyComeWhenTheStandardsInputIsPastTheClose()
            throws Exception {
        standard(DEV, "0.99", 1);
        harness.processBroadcastWatermark(WEEK_END - 1);

        harness.processElement(counts(DEV, MID_WEEK, 994, 1000), WEEK_END - 1);

        assertJudged(onlyResult(), DEV, "0.99", true);
        assertEquals(1, keyedStateEntries(harness), "only the judged week is kept");
        assertEquals(1, harness.numEventTimeTimers(), "only the release timer");
    }

    @Test
    void countsOfAClosedWeekAreJudgedAsTheyComeWhenTheStandardsInputIsIdle() throws Exception {
        harness.getTwoInputOperator().processWatermarkStatus2(WatermarkStatus.IDLE);

        harness.processElement(counts(DEV, MID_WEEK, 994, 1000), WEEK_END - 1);

        assertJudged(onlyResult(), DEV, DEFAULT_STANDARD, false);
        assertEquals(1, harness.numEventTimeTimers(), "only the release timer");
    }

    @Test
    void countsJudgedAsTheyComeReplaceEarlierCountsOfTheWeekStillWaiting() throws Exception {
        harness.processElement(counts(DEV, MID_WEEK, 994, 1000), WEEK_END - 1);
        harness.getTwoInputOperator().processWatermarkStatus2(WatermarkStatus.IDLE);

        harness.processElement(counts(DEV, MID_WEEK, 995, 1001), WEEK_END - 1);
        harness.processWatermark(WEEK_END - 1);

        assertEquals(1001, onlyResult().getCounts().getTotalCount(), "no stale result after it");
        assertEquals(1, keyedStateEntries(harness), "only the judged week is kept");
    }

    @Test
    void countsWaitForTheWatermarkWhileTheStandardsInputIsBeforeTheClose() throws Exception {
        harness.processBroadcastWatermark(WEEK_END - 2);
        harness.processElement(counts(DEV, MID_WEEK, 994, 1000), WEEK_END - 1);
        assertEquals(List.of(), results());

        standard(DEV, "0.99", 1);
        harness.watermark(WEEK_END - 1);

        assertJudged(onlyResult(), DEV, "0.99", true);
    }

    @Test
    void countsOfAWeekNotYetClosedWaitEvenWhenTheStandardsInputIsIdle() throws Exception {
        harness.getTwoInputOperator().processWatermarkStatus2(WatermarkStatus.IDLE);

        harness.processElement(counts(DEV, MID_WEEK, 994, 1000), WEEK_END - 2);

        assertEquals(List.of(), results());
        harness.processWatermark(WEEK_END - 1);
        assertJudged(onlyResult(), DEV, DEFAULT_STANDARD, false);
    }

    @Test
    void countsWaitingForTheWeeksCloseSurviveASnapshotAndRestore() throws Exception {
        WeeklyCounts week = counts(DEV, MID_WEEK, 994, 1000);
        harness.processElement(week, WEEK_END - 1);
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = unopened();
        harness.initializeState(snapshot);
        harness.open();
        harness.watermark(WEEK_END - 1);

        assertJudged(onlyResult(), DEV, DEFAULT_STANDARD, false);
        assertEquals(1, harness.numEventTimeTimers(), "only the release timer is left");
    }

    @Test
    void lateCountsForAWeekStillWaitingReplaceTheEarlierOnes() throws Exception {
        harness.processElement(counts(DEV, MID_WEEK, 990, 1000), WEEK_END - 1);
        harness.processElement(counts(DEV, MID_WEEK, 995, 1000), WEEK_END - 1);

        harness.watermark(WEEK_END - 1);

        assertEquals(5, onlyResult().getCounts().failedCount());
    }
}
