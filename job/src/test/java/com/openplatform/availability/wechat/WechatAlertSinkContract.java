package com.openplatform.availability.wechat;

import static com.openplatform.availability.wechat.WechatTestSupport.alert;
import static com.openplatform.availability.wechat.WechatTestSupport.eventually;
import static com.openplatform.availability.wechat.WechatTestSupport.ledgerRow;
import static com.openplatform.availability.wechat.WechatTestSupport.noRecipient;
import static com.openplatform.availability.wechat.WechatTestSupport.options;
import static com.openplatform.availability.wechat.WechatTestSupport.status;
import static com.openplatform.availability.wechat.WechatTestSupport.unchecked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openplatform.availability.config.JdbcOptions;
import com.openplatform.availability.config.JobConfig;
import com.openplatform.availability.records.AlertKind;
import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.WarningRule;
import com.openplatform.availability.records.WechatBinding;
import com.openplatform.availability.sinks.SchemaMigrations;
import com.openplatform.availability.testing.TestDatabase;
import com.openplatform.availability.testkit.WechatSimulator;
import com.openplatform.availability.wechat.WechatTestSupport.LedgerRow;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.flink.api.connector.sink2.Committer.CommitRequest;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The WeChat sink's writer and committer against a real database ledger and the simulator; run on
 * PostgreSQL ({@link WechatAlertSinkTest}) and MariaDB ({@link WechatAlertSinkMariaDbTest}).
 */
abstract class WechatAlertSinkContract {
    private static final Duration DELIVERY_WAIT = Duration.ofSeconds(30);

    private WechatSimulator simulator;
    private JdbcOptions jdbc;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        simulator = WechatTestSupport.simulator();
        jdbc = database().newJdbcOptions();
        SchemaMigrations.migrate(jdbc);
    }

    /** The database server of the ledger. */
    abstract TestDatabase database();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
        simulator.close();
    }

    private WechatAlertWriter writer() throws IOException {
        WechatAlertWriter writer = new WechatAlertWriter(jdbc, new UnregisteredMetricsGroup());
        open.add(writer);
        return writer;
    }

    private WechatAlertCommitter committer(
            Duration drainTimeout, UnaryOperator<JobConfig.Builder> tweak) {
        WechatAlertCommitter committer =
                new WechatAlertCommitter(
                        jdbc,
                        options(simulator, tweak),
                        new UnregisteredMetricsGroup(),
                        0,
                        1,
                        drainTimeout);
        open.add(committer);
        return committer;
    }

    private WechatAlertCommitter committer() {
        return committer(Duration.ZERO, b -> b);
    }

    /** What the writer hands over when a checkpoint is taken. */
    private List<AlertRequest> checkpoint(WechatAlertWriter writer, AlertRequest... alerts)
            throws Exception {
        for (AlertRequest alert : alerts) {
            writer.write(alert, null);
        }
        return writer.prepareCommit();
    }

    private static List<Request> commit(WechatAlertCommitter committer, List<AlertRequest> alerts)
            throws Exception {
        List<Request> requests = new ArrayList<>();
        for (AlertRequest alert : alerts) {
            requests.add(new Request(alert));
        }
        committer.commit(new ArrayList<CommitRequest<AlertRequest>>(requests));
        return requests;
    }

    @Test
    void prepareCommitRecordsPendingAndNoRecipientRowsAndHandsOverOnlyThePendingOnes()
            throws Exception {
        AlertRequest primary = alert(100_001, "o-primary");
        AlertRequest backup = alert(100_001, "o-backup");
        AlertRequest nobody = noRecipient(100_002);

        List<AlertRequest> committables = checkpoint(writer(), primary, backup, nobody);

        assertEquals(List.of(primary, backup), committables);
        assertEquals("PENDING", status(jdbc, primary));
        assertEquals("PENDING", status(jdbc, backup));
        assertEquals("NO_RECIPIENT", status(jdbc, nobody));
        LedgerRow row = ledgerRow(jdbc, primary);
        assertEquals(0, row.attempts());
        assertNull(row.clientMsgId(), "not released before its checkpoint completed");
        assertEquals(0, simulator.sendRequests(), "nothing is sent before the commit");
    }

    @Test
    void anAlertTheLedgerRefusesIsLeftOutAndTheOthersOfItsCheckpointGoOn() throws Exception {
        AlertRequest before = alert(100_001, "o-before");
        AlertRequest refused = alert(100_002, "o-" + "x".repeat(200)); // open_id is VARCHAR(128)
        AlertRequest after = alert(100_003, "o-after");

        List<AlertRequest> committables = checkpoint(writer(), before, refused, after);

        assertEquals(List.of(before, after), committables);
        assertEquals("PENDING", status(jdbc, before));
        assertEquals("PENDING", status(jdbc, after));
        assertNull(ledgerRow(jdbc, refused), "no row for the refused alert");
    }

    @Test
    void anEmptyCheckpointHandsOverNothing() throws Exception {
        assertEquals(List.of(), writer().prepareCommit());
    }

    @Test
    void commitSendsEachAlertAndRecordsItSent() throws Exception {
        AlertRequest alert = alert(100_001, "o-primary");
        WechatAlertCommitter committer = committer();

        List<Request> requests = commit(committer, checkpoint(writer(), alert));

        LedgerRow row = ledgerRow(jdbc, alert);
        assertEquals("SENT", row.status());
        assertEquals(1, row.attempts());
        WechatSimulator.Message message = simulator.messages().get(0);
        assertEquals(Long.toString(message.msgid()), row.msgid());
        assertEquals(message.clientMsgId(), row.clientMsgId());
        assertNotNull(row.sentAt());
        assertNull(row.lastError());
        assertEquals("o-primary", message.toUser());
        assertTrue(requests.get(0).untouched(), "committed, not left to Flink to retry");
        assertEquals(1, committer.metrics().sent());
        assertEquals(1, committer.metrics().latencyCount());
    }

    @Test
    void committingTheSameCommittablesAgainSendsNothing() throws Exception {
        AlertRequest alert = alert(100_001, "o-primary");
        List<AlertRequest> committables = checkpoint(writer(), alert);
        commit(committer(), committables);

        // A restart re-commits the restored committables, in a new committer.
        commit(committer(), committables);
        commit(committer(), committables);

        assertEquals(1, simulator.messages().size());
        assertEquals(1, simulator.sendRequests());
        assertEquals(0, simulator.duplicateCount());
        assertEquals(1, ledgerRow(jdbc, alert).attempts());
    }

    @Test
    void aReplayedOrCorrectedAlertOfASentWeekIsNotSentAgain() throws Exception {
        AlertRequest alert = alert(100_001, "o-primary");
        commit(committer(), checkpoint(writer(), alert));

        // A replay of the input in a new job: the same alert, with corrected numbers.
        AlertRequest corrected = alert(100_001, "o-primary");
        corrected.setFailedCount(35);
        List<AlertRequest> again = checkpoint(writer(), corrected);
        commit(committer(), again);

        assertEquals(1, simulator.messages().size());
        assertEquals("SENT", status(jdbc, alert));
    }

    @Test
    void commitWhileWechatIsDownReturnsAtOnceAndTheAlertsGoOutWhenItIsBack() throws Exception {
        List<AlertRequest> alerts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            alerts.add(alert(100_001 + i, "o-" + i));
        }
        WechatAlertCommitter committer =
                committer(Duration.ZERO, b -> b.wechatRequestTimeout(Duration.ofMillis(500)));
        List<AlertRequest> committables = checkpoint(writer(), alerts.toArray(new AlertRequest[0]));
        simulator.down(true);

        long start = System.nanoTime();
        List<Request> requests = commit(committer, committables);
        long commitMillis = (System.nanoTime() - start) / 1_000_000;

        // One delivery attempt (3 requests with backoff), then the rest is handed over untried.
        assertTrue(commitMillis < 5_000, "commit took " + commitMillis + " ms");
        assertTrue(requests.stream().allMatch(Request::untouched), "no retryLater, no failure");
        LedgerRow first = ledgerRow(jdbc, alerts.get(0));
        assertEquals("PENDING", first.status());
        assertTrue(first.attempts() >= 1, "attempted once in the commit");
        assertTrue(first.lastError().contains("connection error"), first.lastError());
        for (AlertRequest alert : alerts) {
            LedgerRow row = ledgerRow(jdbc, alert);
            assertEquals("PENDING", row.status());
            assertNotNull(row.clientMsgId(), "released: its checkpoint completed");
        }
        assertEquals(5, committer.awaitingWechat());
        assertTrue(committer.metrics().retried() >= 3);

        simulator.down(false);

        assertTrue(
                eventually(
                        DELIVERY_WAIT,
                        unchecked(
                                () -> {
                                    for (AlertRequest alert : alerts) {
                                        if (!"SENT".equals(status(jdbc, alert))) {
                                            return false;
                                        }
                                    }
                                    return true;
                                })),
                "every alert was sent once WeChat was back");
        assertEquals(5, simulator.messages().size());
        assertEquals(0, simulator.duplicateCount());
        assertTrue(eventually(DELIVERY_WAIT, () -> committer.awaitingWechat() == 0));
        assertEquals(5, committer.metrics().sent());
    }

    @Test
    void aBreachAndAWarningOfOneWeekAndOpenIdBothWaitingForWechatAreBothSent() throws Exception {
        AlertRequest breach = alert(100_001, "o-primary");
        AlertRequest warning = alert(100_001, "o-primary");
        warning.setKind(AlertKind.WARNING);
        warning.setRule(WarningRule.BUDGET_SPENT);
        warning.setAsOfMillis(warning.getWeekStartMillis() + 3 * 86_400_000L);
        warning.setWindowAvailability(new BigDecimal("0.9700000000"));
        WechatAlertCommitter committer =
                committer(
                        Duration.ZERO,
                        b ->
                                b.wechatWarningTemplateId("tpl-warning")
                                        .wechatRequestTimeout(Duration.ofMillis(500)));
        List<AlertRequest> committables = checkpoint(writer(), breach, warning);
        simulator.down(true);

        commit(committer, committables);

        assertEquals(2, committer.awaitingWechat(), "both handed over to the redelivery");
        simulator.down(false);
        assertTrue(
                eventually(
                        DELIVERY_WAIT,
                        unchecked(
                                () ->
                                        "SENT".equals(status(jdbc, breach))
                                                && "SENT".equals(status(jdbc, warning)))),
                "the breach and the warning were both sent");
        assertEquals(2, simulator.messages().size());
        assertEquals(0, simulator.duplicateCount());
    }

    @Test
    void anUnfollowedOpenIdIsRecordedUnreachableAndNeverTriedAgain() throws Exception {
        AlertRequest alert = alert(100_001, "o-gone");
        simulator.unfollow("o-gone");
        WechatAlertCommitter committer = committer();
        List<AlertRequest> committables = checkpoint(writer(), alert);

        commit(committer, committables);
        commit(committer, committables);

        LedgerRow row = ledgerRow(jdbc, alert);
        assertEquals("UNREACHABLE", row.status());
        assertEquals(1, row.attempts());
        assertTrue(row.lastError().startsWith("errcode 43004"), row.lastError());
        assertNull(row.sentAt());
        assertEquals(1, simulator.sendRequests());
        assertEquals(1, committer.metrics().unreachable());
        // The redelivery thread's start-up scan may have picked the row up while it was PENDING;
        // it lets it go once it sees the final status.
        assertTrue(eventually(DELIVERY_WAIT, () -> committer.awaitingWechat() == 0));
        assertEquals(1, simulator.sendRequests(), "never tried again");
    }

    @Test
    void aRefusedMessageIsRecordedFailedAndNeverTriedAgain() throws Exception {
        AlertRequest alert = alert(100_001, "o-primary");
        WechatAlertCommitter committer = committer();
        List<AlertRequest> committables = checkpoint(writer(), alert);
        simulator.failNextSends(1, 40037);

        commit(committer, committables);
        commit(committer, committables);

        LedgerRow row = ledgerRow(jdbc, alert);
        assertEquals("FAILED", row.status());
        assertTrue(row.lastError().startsWith("errcode 40037"), row.lastError());
        assertEquals(1, simulator.sendRequests());
        assertEquals(1, committer.metrics().failed());
    }

    @Test
    void brandAccountsAreSentTheBrandTemplate() throws Exception {
        AlertRequest alert = alert(100_001, "o-brand");
        alert.setAccountType(WechatBinding.ACCOUNT_TYPE_BRAND);

        commit(committer(), checkpoint(writer(), alert));

        assertEquals(WechatTestSupport.BRAND_TEMPLATE, simulator.messages().get(0).templateId());
    }

    @Test
    void alertsAStoppedJobLeftWaitingAreDeliveredByTheNextOne() throws Exception {
        AlertRequest alert = alert(100_001, "o-primary");
        List<AlertRequest> committables = checkpoint(writer(), alert);
        simulator.down(true);
        WechatAlertCommitter stopped = committer();
        commit(stopped, committables);
        stopped.close();
        open.remove(stopped);
        assertEquals("PENDING", status(jdbc, alert));
        simulator.down(false);

        committer(); // a new job's committer, with nothing to commit

        assertTrue(eventually(DELIVERY_WAIT, unchecked(() -> "SENT".equals(status(jdbc, alert)))));
        assertEquals(1, simulator.messages().size());
    }

    @Test
    void anAlertInFlightInOneCommitterIsNotSentByAnother() throws Exception {
        AlertRequest alert = alert(100_001, "o-primary");
        List<AlertRequest> committables = checkpoint(writer(), alert);
        WechatAlertCommitter first = committer();
        simulator.delayNext(1, Duration.ofMillis(1_500)); // the token fetch is slow...
        Thread committing =
                new Thread(
                        () -> {
                            try {
                                commit(first, committables);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        committing.start();
        assertTrue(
                eventually(
                        Duration.ofSeconds(5),
                        unchecked(() -> ledgerRow(jdbc, alert).attempts() == 1)),
                "claimed by the first committer");

        // ...while a second committer (another subtask, or the next job) recovers the row.
        committer();
        committing.join();
        Thread.sleep(1_500);

        assertEquals(1, simulator.sendRequests(), "only the claimant sent");
        LedgerRow row = ledgerRow(jdbc, alert);
        assertEquals("SENT", row.status());
        assertEquals(1, row.attempts());
        assertEquals(0, simulator.duplicateCount());
    }

    @Test
    void alertsOfACheckpointThatNeverCompletedAreNotSent() throws Exception {
        AlertRequest alert = alert(100_001, "o-primary");
        checkpoint(writer(), alert); // recorded PENDING, but never committed

        WechatAlertCommitter committer = committer();

        assertTrue(eventually(Duration.ofSeconds(5), () -> committer.awaitingWechat() == 0));
        Thread.sleep(1_500);
        assertEquals(0, simulator.sendRequests());
        assertEquals("PENDING", status(jdbc, alert));
    }

    @Test
    void closingAtTheEndOfABoundedJobWaitsForWechatToTakeTheAlerts() throws Exception {
        AlertRequest alert = alert(100_001, "o-primary");
        WechatAlertCommitter committer = committer(Duration.ofSeconds(30), b -> b);
        List<AlertRequest> committables = checkpoint(writer(), alert);
        simulator.down(true);
        commit(committer, committables);
        Thread back =
                new Thread(
                        () -> {
                            try {
                                Thread.sleep(1_000);
                            } catch (InterruptedException e) {
                                return;
                            }
                            simulator.down(false);
                        });
        back.start();

        committer.close();
        open.remove(committer);

        assertEquals("SENT", status(jdbc, alert));
        assertEquals(1, simulator.messages().size());
        back.join();
    }

    @Test
    void alertsCutOffByTheDrainTimeoutAreTakenUpAtOnceByTheNextRun() throws Exception {
        AlertRequest alert = alert(100_001, "o-primary");
        UnaryOperator<JobConfig.Builder> patient = b -> b.wechatMaxAttempts(10);
        WechatAlertCommitter first = committer(Duration.ofSeconds(2), patient);
        List<AlertRequest> committables = checkpoint(writer(), alert);
        simulator.down(true);
        commit(first, committables);

        first.close(); // the drain timeout passes while the redelivery thread is mid-attempt
        open.remove(first);
        LedgerRow left = ledgerRow(jdbc, alert);
        assertEquals("PENDING", left.status());
        assertNotNull(left.lastError(), "not left claimed (in flight) for the lease");

        simulator.down(false);
        committer(Duration.ZERO, patient);

        assertTrue(
                eventually(
                        Duration.ofSeconds(15),
                        unchecked(() -> "SENT".equals(status(jdbc, alert)))),
                "the next run sent it well within the lease");
        assertEquals(1, simulator.messages().size());
    }

    @Test
    void committablesSurviveTheCheckpointSerializer() throws Exception {
        AlertRequestSerializer serializer = new AlertRequestSerializer();
        AlertRequest alert = alert(100_001, "o-primary");
        AlertRequest nobody = noRecipient(100_002);
        nobody.setMainFailureReason(null);

        for (AlertRequest original : List.of(alert, nobody)) {
            AlertRequest copy =
                    serializer.deserialize(serializer.getVersion(), serializer.serialize(original));
            assertEquals(original, copy);
            assertEquals(original.getAvailability(), copy.getAvailability());
            assertEquals(original.getStandard(), copy.getStandard());
            assertEquals(original.getRole(), copy.getRole());
            assertEquals(original.getAccountType(), copy.getAccountType());
            assertEquals(original.getWeekEndMillis(), copy.getWeekEndMillis());
        }
    }

    /** A commit request that records what the committer asked of Flink. */
    private static final class Request implements CommitRequest<AlertRequest> {
        private final AlertRequest committable;
        private final List<String> signals = new ArrayList<>();

        Request(AlertRequest committable) {
            this.committable = committable;
        }

        boolean untouched() {
            return signals.isEmpty();
        }

        @Override
        public AlertRequest getCommittable() {
            return committable;
        }

        @Override
        public int getNumberOfRetries() {
            return 0;
        }

        @Override
        public void signalFailedWithKnownReason(Throwable t) {
            signals.add("failed: " + t);
        }

        @Override
        public void signalFailedWithUnknownReason(Throwable t) {
            signals.add("failed: " + t);
        }

        @Override
        public void retryLater() {
            signals.add("retryLater");
        }

        @Override
        public void updateAndRetryLater(AlertRequest committable) {
            signals.add("updateAndRetryLater");
        }

        @Override
        public void signalAlreadyCommitted() {
            signals.add("alreadyCommitted");
        }
    }
}
