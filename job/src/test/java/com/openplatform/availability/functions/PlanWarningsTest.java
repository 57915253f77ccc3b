package com.openplatform.availability.functions;

import static com.openplatform.availability.functions.FunctionTestSupport.MONDAY;
import static com.openplatform.availability.functions.FunctionTestSupport.WEEKS;
import static com.openplatform.availability.functions.FunctionTestSupport.WEEK_END;
import static com.openplatform.availability.functions.FunctionTestSupport.WEEK_START;
import static com.openplatform.availability.functions.FunctionTestSupport.days;
import static com.openplatform.availability.functions.FunctionTestSupport.keyedStateEntries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.openplatform.availability.records.AlertKind;
import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.DeliveryStatus;
import com.openplatform.availability.records.HourlyCounts;
import com.openplatform.availability.records.WarningRule;
import com.openplatform.availability.records.WechatBinding;
import com.openplatform.availability.records.WeekToDate;
import com.openplatform.availability.testing.InWeekData;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlanWarningsTest {
    private static final long DEV = 100234L;
    private static final long H = HourlyCounts.HOUR_MILLIS;
    private static final String PRIMARY = "oX3f-primary";
    private static final String BACKUP = "oX3f-backup";
    private static final String LEFT = "oX3f-left";
    private static final Duration MAX_AGE = Duration.ofHours(6);

    /** The evaluation point of the warnings under test: Wednesday 10:00. */
    private static final long AS_OF = WEEK_START + 58 * H;

    private KeyedTwoInputStreamOperatorTestHarness<Long, AlertRequest, WechatBinding, AlertRequest>
            harness;

    private long watermark = Long.MIN_VALUE;

    /** Opens the operator with the wall clock at {@code now}. */
    private void open(long now, boolean sendable) throws Exception {
        harness = unopened(now, sendable);
        harness.open();
    }

    /** The wall clock one hour after the evaluation point: warnings are sent. */
    private void open() throws Exception {
        open(AS_OF + H, true);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<
                    Long, AlertRequest, WechatBinding, AlertRequest>
            unopened(long now, boolean sendable) throws Exception {
        Clock clock = Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC);
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new PlanWarnings(WEEKS, MAX_AGE, sendable, clock)),
                AlertRequest::getDeveloperId,
                WechatBinding::getDeveloperId,
                Types.LONG);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    /** The week's warning as EvaluateWeekToDate emits it: FAST_BURN at {@link #AS_OF}. */
    private static AlertRequest warning() {
        WeekToDate week = new WeekToDate(DEV, WEEK_START, WEEK_END, WEEK_START);
        week.add(InWeekData.week(DEV, WEEK_START, WEEK_END).hour(57, 50, 50).build());
        week.advanceTo(AS_OF);
        return AlertRequest.forWarning(
                week, MONDAY, WarningRule.FAST_BURN, new BigDecimal("0.995"));
    }

    /**
     * The warning arrives, and the watermark passes its hour boundary as it does right after the
     * evaluation that emitted it.
     */
    private void warn() throws Exception {
        harness.processElement1(warning(), WEEK_START);
        if (watermark < AS_OF - 1) {
            watermark(AS_OF - 1);
        }
    }

    private void bind(String openId, boolean bound, long version) throws Exception {
        harness.processElement2(
                new WechatBinding(
                        DEV, openId, bound, "primary", WechatBinding.ACCOUNT_TYPE_ISV, version),
                Long.MIN_VALUE);
    }

    private void watermark(long timestamp) throws Exception {
        watermark = timestamp;
        harness.processBothWatermarks(new Watermark(timestamp));
    }

    private List<AlertRequest> planned() {
        return harness.extractOutputValues();
    }

    private Set<String> plannedOpenIds() {
        return planned().stream().map(AlertRequest::getOpenId).collect(Collectors.toSet());
    }

    @Test
    void warningIsAddressedOnceToEveryBoundOpenId() throws Exception {
        open();
        bind(PRIMARY, true, 1);
        bind(BACKUP, true, 1);
        bind(LEFT, false, 1);

        warn();
        warn();

        assertEquals(2, planned().size(), planned()::toString);
        assertEquals(Set.of(PRIMARY, BACKUP), plannedOpenIds());
        for (AlertRequest alert : planned()) {
            assertEquals(DeliveryStatus.PENDING, alert.getStatus());
            assertEquals(AlertKind.WARNING, alert.getKind());
            assertEquals(WarningRule.FAST_BURN, alert.getRule());
            assertEquals(AS_OF, alert.getAsOfMillis());
            assertEquals(MONDAY, alert.getWeekStart());
            assertEquals("primary", alert.getRole());
            assertEquals(WechatBinding.ACCOUNT_TYPE_ISV, alert.getAccountType());
            assertEquals(new BigDecimal("0.5000000000"), alert.getWindowAvailability());
        }
    }

    @Test
    void warningWaitsForTheBindingsReadBeforeTheWatermarkPassesItsHour() throws Exception {
        open();
        harness.processElement1(warning(), WEEK_START);
        assertEquals(List.of(), planned(), "the bindings input still holds the watermark back");

        bind(PRIMARY, true, 1);
        watermark(AS_OF - 1);

        assertEquals(Set.of(PRIMARY), plannedOpenIds(), "no NO_RECIPIENT row before the binding");
        assertEquals(0, harness.numEventTimeTimers() - 1, "only the week's release timer is left");
    }

    @Test
    void warningWithNobodyBoundIsRecordedOnceAsNoRecipient() throws Exception {
        open();

        warn();
        warn();

        assertEquals(1, planned().size(), planned()::toString);
        AlertRequest alert = planned().get(0);
        assertEquals(DeliveryStatus.NO_RECIPIENT, alert.getStatus());
        assertEquals(AlertRequest.NO_OPEN_ID, alert.getOpenId());
        assertEquals(AlertKind.WARNING, alert.getKind());
        assertNull(alert.getRole());
    }

    @Test
    void warningOlderThanTheMaxAgeIsRecordedStale() throws Exception {
        open(AS_OF + MAX_AGE.toMillis() + 1, true);
        bind(PRIMARY, true, 1);

        warn();

        assertEquals(List.of(DeliveryStatus.STALE), statuses());
    }

    @Test
    void warningExactlyTheMaxAgeOldIsSent() throws Exception {
        open(AS_OF + MAX_AGE.toMillis(), true);
        bind(PRIMARY, true, 1);

        warn();

        assertEquals(List.of(DeliveryStatus.PENDING), statuses());
    }

    @Test
    void warningThatCannotBeSentIsRecordedSkipped() throws Exception {
        open(AS_OF + H, false);
        bind(PRIMARY, true, 1);

        warn();

        assertEquals(List.of(DeliveryStatus.SKIPPED), statuses());
    }

    @Test
    void staleWarningWithNobodyBoundIsStillNoRecipient() throws Exception {
        open(AS_OF + days(30), true);

        warn();

        assertEquals(List.of(DeliveryStatus.NO_RECIPIENT), statuses());
    }

    private List<DeliveryStatus> statuses() {
        return planned().stream().map(AlertRequest::getStatus).toList();
    }

    @Test
    void openIdBoundWhileTheWeekRunsGetsTheWarningOnce() throws Exception {
        open();
        warn();
        watermark(WEEK_END - 2);

        bind(PRIMARY, true, 1);
        bind(PRIMARY, false, 2);
        bind(PRIMARY, true, 3);

        assertEquals(2, planned().size(), planned()::toString);
        assertEquals(DeliveryStatus.NO_RECIPIENT, planned().get(0).getStatus());
        AlertRequest caughtUp = planned().get(1);
        assertEquals(PRIMARY, caughtUp.getOpenId());
        assertEquals(DeliveryStatus.PENDING, caughtUp.getStatus());
        assertEquals(AS_OF, caughtUp.getAsOfMillis());
    }

    @Test
    void openIdBoundAfterTheWeekEndedDoesNotGetTheWarning() throws Exception {
        open();
        bind(PRIMARY, true, 1);
        warn();
        watermark(WEEK_END - 1);

        bind(BACKUP, true, 1);

        assertEquals(Set.of(PRIMARY), plannedOpenIds());
    }

    @Test
    void unboundOpenIdGetsNothing() throws Exception {
        open();
        bind(PRIMARY, true, 1);
        warn();

        bind(BACKUP, false, 1);
        bind(PRIMARY, false, 2);

        assertEquals(1, planned().size(), planned()::toString);
        assertEquals(PRIMARY, planned().get(0).getOpenId());
    }

    @Test
    void olderBindingDoesNotUndoANewerUnbinding() throws Exception {
        open();
        bind(PRIMARY, false, 3);
        warn();

        bind(PRIMARY, true, 2);

        assertEquals(Set.of(AlertRequest.NO_OPEN_ID), plannedOpenIds());
    }

    @Test
    void warnedWeekIsReleasedWhenItEndsAndTheBindingsAreKept() throws Exception {
        open();
        warn();
        watermark(WEEK_END - 2);
        assertEquals(1, harness.numEventTimeTimers());
        assertEquals(1, keyedStateEntries(harness));

        watermark(WEEK_END - 1);

        assertEquals(0, harness.numEventTimeTimers());
        assertEquals(0, keyedStateEntries(harness));

        bind(PRIMARY, true, 1);
        assertEquals(1, keyedStateEntries(harness), "the bindings alone");
        assertEquals(1, planned().size(), planned()::toString);
    }

    @Test
    void restoredSnapshotAddressesNobodyTwice() throws Exception {
        open();
        bind(PRIMARY, true, 1);
        warn();
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();
        harness = unopened(AS_OF + H, true);
        harness.initializeState(snapshot);
        harness.open();

        warn();
        bind(PRIMARY, true, 2);
        bind(BACKUP, true, 1);
        watermark(WEEK_END - 1);
        bind(LEFT, true, 1);

        assertEquals(1, planned().size(), planned()::toString);
        assertEquals(BACKUP, planned().get(0).getOpenId());
    }
}
