package com.openplatform.availability.functions;

import static com.openplatform.availability.functions.FunctionTestSupport.HOLD_WEEKS;
import static com.openplatform.availability.functions.FunctionTestSupport.MID_WEEK;
import static com.openplatform.availability.functions.FunctionTestSupport.MONDAY;
import static com.openplatform.availability.functions.FunctionTestSupport.RELEASE;
import static com.openplatform.availability.functions.FunctionTestSupport.WEEKS;
import static com.openplatform.availability.functions.FunctionTestSupport.WEEK_END;
import static com.openplatform.availability.functions.FunctionTestSupport.counts;
import static com.openplatform.availability.functions.FunctionTestSupport.days;
import static com.openplatform.availability.functions.FunctionTestSupport.keyedStateEntries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.DeliveryStatus;
import com.openplatform.availability.records.FailureReason;
import com.openplatform.availability.records.WechatBinding;
import com.openplatform.availability.records.WeeklyCounts;
import com.openplatform.availability.records.WeeklyResult;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PlanAlertsTest {
    private static final long DEV = 100234L;
    private static final String STANDARD = "0.995";
    private static final String PRIMARY = "oX3f-primary";
    private static final String BACKUP = "oX3f-backup";
    private static final String LEFT = "oX3f-left";

    /** A binding made after a breach gets it while the watermark is below this. */
    private static final long CATCH_UP_END = WEEK_END + days(7);

    private KeyedTwoInputStreamOperatorTestHarness<Long, WeeklyResult, WechatBinding, AlertRequest>
            harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new PlanAlerts.Operator(new PlanAlerts(WEEKS, HOLD_WEEKS)),
                        WeeklyResult::developerId,
                        WechatBinding::getDeveloperId,
                        Types.LONG);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static WeeklyResult week(long valid, long total) {
        return week(MID_WEEK, valid, total);
    }

    private static WeeklyResult week(long anyTimeInWeek, long valid, long total) {
        WeeklyCounts counts = counts(DEV, anyTimeInWeek, valid, total);
        String monday = WEEKS.mondayOf(anyTimeInWeek).toString();
        return WeeklyResult.judge(counts, monday, new BigDecimal(STANDARD));
    }

    private static WeeklyResult breach() {
        return week(990, 1000);
    }

    private static WeeklyResult satisfied() {
        return week(995, 1000);
    }

    /** A result as it arrives; it is acted on once the watermark closes its week. */
    private void arrives(WeeklyResult result) throws Exception {
        harness.processElement1(result, result.getCounts().getWeekEndMillis() - 1);
    }

    /** A result of a week that the watermark has closed: acted on at once. */
    private void result(WeeklyResult result) throws Exception {
        long close = result.getCounts().getWeekEndMillis() - 1;
        if (currentWatermark < close) {
            watermark(close);
        }
        arrives(result);
    }

    private void bind(String openId, boolean bound, long version) throws Exception {
        harness.processElement2(
                new WechatBinding(
                        DEV, openId, bound, "primary", WechatBinding.ACCOUNT_TYPE_ISV, version),
                Long.MIN_VALUE);
    }

    private long currentWatermark = Long.MIN_VALUE;

    private void watermark(long timestamp) throws Exception {
        currentWatermark = timestamp;
        harness.processBothWatermarks(new Watermark(timestamp));
    }

    private List<AlertRequest> alerts() {
        return harness.extractOutputValues();
    }

    private Set<String> alertedOpenIds() {
        return alerts().stream().map(AlertRequest::getOpenId).collect(Collectors.toSet());
    }

    @Test
    void breachedWeekIsAlertedOncePerBoundOpenId() throws Exception {
        bind(PRIMARY, true, 1);
        bind(BACKUP, true, 1);
        bind(LEFT, false, 1);

        result(breach());

        assertEquals(Set.of(PRIMARY, BACKUP), alertedOpenIds());
        assertEquals(2, alerts().size());
        for (AlertRequest alert : alerts()) {
            assertEquals(DeliveryStatus.PENDING, alert.getStatus());
            assertEquals(DEV, alert.getDeveloperId());
            assertEquals(MONDAY, alert.getWeekStart());
            assertEquals(WEEK_END, alert.getWeekEndMillis());
            assertEquals(1000, alert.getTotalCount());
            assertEquals(10, alert.getFailedCount());
            assertEquals(new BigDecimal("0.9900000000"), alert.getAvailability());
            assertEquals(new BigDecimal(STANDARD), alert.getStandard());
            assertEquals(FailureReason.HTTP_ERROR, alert.getMainFailureReason());
            assertEquals("primary", alert.getRole());
            assertEquals(WechatBinding.ACCOUNT_TYPE_ISV, alert.getAccountType());
        }
    }

    @Test
    void resultIsActedOnOnlyOnceTheWatermarkClosesItsWeek() throws Exception {
        bind(PRIMARY, true, 1);
        arrives(breach());
        watermark(WEEK_END - 2);

        assertEquals(List.of(), alerts());

        watermark(WEEK_END - 1);

        assertEquals(Set.of(PRIMARY), alertedOpenIds());
    }

    @Test
    void resultIsActedOnAsItComesOnceTheBindingsArePastItsWeeksClose() throws Exception {
        bind(PRIMARY, true, 1);
        harness.processWatermark2(new Watermark(WEEK_END - 1));

        arrives(breach());

        assertEquals(Set.of(PRIMARY), alertedOpenIds());
        assertEquals(1, harness.numEventTimeTimers(), "only the week's release");
    }

    @Test
    void resultIsActedOnAsItComesOnceTheBindingsAreIdle() throws Exception {
        bind(PRIMARY, true, 1);
        harness.processWatermarkStatus2(WatermarkStatus.IDLE);

        arrives(breach());

        assertEquals(Set.of(PRIMARY), alertedOpenIds());
    }

    @Test
    void resultActedOnAsItComesReplacesAnEarlierResultOfTheWeekStillWaiting() throws Exception {
        bind(PRIMARY, true, 1);
        arrives(breach());
        harness.processWatermarkStatus2(WatermarkStatus.IDLE);

        arrives(satisfied());
        harness.processWatermark1(new Watermark(WEEK_END - 1));

        assertEquals(List.of(), alerts(), "the waiting breach was corrected before the close");
    }

    @Test
    void resultWaitsForTheWatermarkWhileTheBindingsAreBeforeItsWeeksClose() throws Exception {
        bind(PRIMARY, true, 1);
        harness.processWatermark2(new Watermark(WEEK_END - 2));

        arrives(breach());

        assertEquals(List.of(), alerts());
        harness.processWatermark1(new Watermark(WEEK_END - 1));
        harness.processWatermark2(new Watermark(WEEK_END - 1));
        assertEquals(Set.of(PRIMARY), alertedOpenIds());
    }

    @Test
    void breachCorrectedBeforeTheWeekClosesIsNeverAlerted() throws Exception {
        bind(PRIMARY, true, 1);
        arrives(breach());
        arrives(satisfied());

        watermark(WEEK_END - 1);

        assertEquals(List.of(), alerts());
        assertEquals(0, harness.numEventTimeTimers());
    }

    @Test
    void latestResultBeforeTheCloseIsTheOneAlerted() throws Exception {
        bind(PRIMARY, true, 1);
        arrives(breach());
        arrives(week(980, 1000));

        watermark(WEEK_END - 1);

        assertEquals(1, alerts().size(), alerts()::toString);
        assertEquals(20, alerts().get(0).getFailedCount());
    }

    @Test
    void breachWithNobodyBoundIsRecordedOnceAsNoRecipient() throws Exception {
        result(breach());
        result(week(980, 1000));

        assertEquals(1, alerts().size(), alerts()::toString);
        AlertRequest alert = alerts().get(0);
        assertEquals(DeliveryStatus.NO_RECIPIENT, alert.getStatus());
        assertEquals(AlertRequest.NO_OPEN_ID, alert.getOpenId());
        assertNull(alert.getRole());
    }

    @Test
    void correctionThatIsStillABreachDoesNotAlertAgain() throws Exception {
        bind(PRIMARY, true, 1);
        result(breach());

        result(week(980, 1000));
        result(week(991, 1001));

        assertEquals(1, alerts().size(), alerts()::toString);
    }

    @Test
    void breachCorrectedToSatisfiedAndBackIsNotAlertedAgain() throws Exception {
        bind(PRIMARY, true, 1);
        result(breach());
        result(satisfied());
        result(breach());

        assertEquals(1, alerts().size(), alerts()::toString);
    }

    @Test
    void satisfiedWeekEmitsNothingAndKeepsNothing() throws Exception {
        result(satisfied());

        assertEquals(List.of(), alerts());
        assertEquals(0, harness.numKeyedStateEntries());
        assertEquals(0, harness.numEventTimeTimers());
    }

    @Test
    void satisfiedWeekCorrectedToABreachIsAlertedThen() throws Exception {
        bind(PRIMARY, true, 1);
        result(satisfied());

        result(breach());

        assertEquals(Set.of(PRIMARY), alertedOpenIds());
    }

    @Test
    void openIdBoundAfterTheBreachWithinAWeekOfTheWeekEndGetsTheAlert() throws Exception {
        result(breach());
        watermark(CATCH_UP_END - 1);
        assertEquals(1, alerts().size(), alerts()::toString);

        bind(PRIMARY, true, 1);

        assertEquals(2, alerts().size(), alerts()::toString);
        assertEquals(DeliveryStatus.NO_RECIPIENT, alerts().get(0).getStatus());
        AlertRequest caughtUp = alerts().get(1);
        assertEquals(PRIMARY, caughtUp.getOpenId());
        assertEquals(DeliveryStatus.PENDING, caughtUp.getStatus());
    }

    @Test
    void openIdBoundAWeekOrMoreAfterTheWeekEndDoesNotGetTheAlert() throws Exception {
        bind(PRIMARY, true, 1);
        result(breach());
        watermark(CATCH_UP_END);

        bind(BACKUP, true, 1);

        assertEquals(Set.of(PRIMARY), alertedOpenIds());
    }

    @Test
    void rebindingAnAlertedOpenIdDoesNotAlertItAgain() throws Exception {
        bind(PRIMARY, true, 1);
        result(breach());

        bind(PRIMARY, false, 2);
        bind(PRIMARY, true, 3);

        assertEquals(1, alerts().size(), alerts()::toString);
    }

    @Test
    void unboundOpenIdIsNotAlerted() throws Exception {
        bind(PRIMARY, true, 1);
        bind(BACKUP, true, 1);
        bind(BACKUP, false, 2);

        result(breach());

        assertEquals(Set.of(PRIMARY), alertedOpenIds());
    }

    @Test
    void everyOpenIdUnboundMeansNoRecipient() throws Exception {
        bind(PRIMARY, true, 1);
        bind(PRIMARY, false, 2);

        result(breach());

        assertEquals(Set.of(AlertRequest.NO_OPEN_ID), alertedOpenIds());
        assertEquals(DeliveryStatus.NO_RECIPIENT, alerts().get(0).getStatus());
    }

    @Test
    void olderUnbindingDoesNotUndoANewerBinding() throws Exception {
        bind(PRIMARY, true, 2);
        bind(PRIMARY, false, 1);

        result(breach());

        assertEquals(Set.of(PRIMARY), alertedOpenIds());
    }

    @Test
    void olderBindingDoesNotUndoANewerUnbinding() throws Exception {
        bind(PRIMARY, false, 3);
        result(breach());

        bind(PRIMARY, true, 2);

        assertEquals(Set.of(AlertRequest.NO_OPEN_ID), alertedOpenIds());
    }

    @Test
    void breachedWeekIsHeldUntilEightWeeksAfterItsEnd() throws Exception {
        result(breach());
        assertEquals(1, harness.numEventTimeTimers());

        watermark(RELEASE - 1);

        assertEquals(1, harness.numEventTimeTimers());
        assertEquals(1, harness.numKeyedStateEntries());
    }

    @Test
    void releasedWeekNoLongerHasTimers() throws Exception {
        result(breach());

        watermark(RELEASE);

        assertEquals(0, harness.numEventTimeTimers());
    }

    @Test
    void noKeyedStateRemainsOnceTheBreachedWeekIsReleased() throws Exception {
        arrives(breach());
        watermark(WEEK_END - 1);
        assertEquals(1, alerts().size(), alerts()::toString);

        watermark(RELEASE);

        assertEquals(0, harness.numEventTimeTimers());
        assertEquals(0, keyedStateEntries(harness));
    }

    @Test
    void bindingsAreKeptAfterTheWeeksAreReleased() throws Exception {
        bind(PRIMARY, true, 1);
        result(breach());
        watermark(RELEASE);

        result(week(RELEASE + days(2), 1, 2));

        assertEquals(2, alerts().size(), alerts()::toString);
        assertEquals(PRIMARY, alerts().get(1).getOpenId());
    }
}
