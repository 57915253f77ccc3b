package com.openplatform.availability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openplatform.availability.config.JobConfig;
import com.openplatform.availability.testing.AlertChecks;
import com.openplatform.availability.testing.Await;
import com.openplatform.availability.testing.ClusterTests;
import com.openplatform.availability.testing.DeadLetterTopic;
import com.openplatform.availability.testing.EmbeddedPostgresExtension;
import com.openplatform.availability.testing.KafkaBrokerExtension;
import com.openplatform.availability.testing.KafkaScenario;
import com.openplatform.availability.testing.KeepClusterLogs;
import com.openplatform.availability.testing.ReferenceModel;
import com.openplatform.availability.testing.ResultTables;
import com.openplatform.availability.testing.TestData;
import com.openplatform.availability.testing.WeekToDateReference;
import com.openplatform.availability.testkit.CallbackDataGenerator;
import com.openplatform.availability.testkit.CallbackDataGenerator.GeneratedEvent;
import com.openplatform.availability.testkit.CallbackDataGenerator.Line;
import com.openplatform.availability.testkit.FlinkCluster;
import com.openplatform.availability.testkit.WechatSimulator;
import com.openplatform.availability.wechat.AlertTemplate;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shaded job jar on a real Flink standalone session cluster (a JobManager JVM and TaskManager
 * JVMs, {@link FlinkCluster}, with {@code flink-conf/config.yaml}: RocksDB, incremental
 * checkpoints, exponential-delay restarts), a real Kafka broker, an embedded PostgreSQL and the
 * WeChat simulator. Jobs are submitted, stopped and upgraded over the REST API only, as ops do.
 *
 * <ul>
 *   <li>Failover: a TaskManager running the job is killed with SIGKILL three times while events
 *       stream in; each time the job recovers from its latest checkpoint on the standby
 *       TaskManager's slots, and a new TaskManager starts to be the next standby. The rows equal
 *       the reference model exactly, every dead letter is written once, every alert reaches WeChat
 *       once.
 *   <li>Upgrade and rollback: stop with a savepoint, start the new version (other parallelism,
 *       other flags) from it, stop it with a savepoint, roll back to the first version from that
 *       one; the results are exact, and the job's own metrics (REST) count what was produced.
 * </ul>
 *
 * <p>Runs in the integration-test phase ({@code mvn verify}, failsafe), after {@code package} built
 * the shaded jar. Events go to one partition, as in {@link KafkaExactlyOnceITCase}, so the
 * reference model knows exactly which are too late.
 */
class FlinkClusterIT {
    private static final ZoneId ZONE = TestData.SHANGHAI;
    private static final LocalDate FIRST_MONDAY = TestData.SCENARIO_FIRST_MONDAY;
    private static final int WEEKS = TestData.SCENARIO_WEEKS;
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final Duration PRODUCTION = Duration.ofSeconds(55);
    private static final double RECOVERY_LIMIT_SECONDS = 12;
    private static final int KILLS = 3;
    private static final String APP_ID = "wx5f3c0ffee0000042";
    private static final String APP_SECRET = "S3CRET-cluster-it-9b1d";
    private static final String TEMPLATE = "tpl-isv-availability";
    private static final String PASSWORD = "postgres";

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    /** Keeps the cluster's logs of a failed test under target/flink-cluster-it-logs. */
    @RegisterExtension
    static final KeepClusterLogs KEEP_LOGS = new KeepClusterLogs(() -> FlinkClusterIT.flink);

    private static FlinkCluster flink;
    private static Path jobJar;

    @BeforeAll
    static void startCluster() throws Exception {
        jobJar = ClusterTests.jobJar();
        // The failover settings are config.yaml's own, and one TaskManager more than the job needs
        // stands by (docs/operations.md, Recovery): the recovery measured is production's.
        flink = ClusterTests.smallCluster(PASSWORD, APP_SECRET).taskManagers(2).start();
    }

    /** A failed test must not leave its job holding the slots the next one needs. */
    @AfterEach
    void cancelJobsLeftRunning() throws Exception {
        for (JsonNode job : flink.get("/jobs/overview").path("jobs")) {
            if (!List.of("FINISHED", "CANCELED", "FAILED").contains(job.path("state").asText())) {
                flink.cancel(job.path("jid").asText());
            }
        }
        if (flink.taskManagers().isEmpty()) {
            flink.startTaskManager();
        }
    }

    @AfterAll
    static void stopCluster() {
        if (flink != null) {
            flink.close();
        }
    }

    @Test
    void exactResultsAndAlertsThroughThreeTaskManagerKills() throws Exception {
        try (Scenario scenario = new Scenario(11, "failover", true)) {
            scenario.produceStandards();
            scenario.produceBindings();
            String job = flink.submit(jobJar, scenario.args(), null, null);
            flink.awaitFullyRunning(job, WAIT);

            AtomicReference<Throwable> producerFailure = new AtomicReference<>();
            Thread producer =
                    new Thread(
                            () -> {
                                try {
                                    scenario.produceEvenly(scenario.events, PRODUCTION);
                                } catch (Throwable e) {
                                    producerFailure.set(e);
                                }
                            },
                            "event-producer");
            producer.start();
            List<Recovery> recoveries = new ArrayList<>();
            for (int kill = 1; kill <= KILLS; kill++) {
                flink.awaitFullyRunning(job, WAIT);
                // Progress since the (re)start is checkpointed: the kill loses a real stretch.
                flink.awaitCheckpoints(job, 2, WAIT);
                Thread.sleep(ThreadLocalRandom.current().nextLong(300, 1_500));
                recoveries.add(killAndRecover(job, kill, scenario));
            }
            producer.join();
            assertNull(producerFailure.get(), "the producer");
            for (Recovery recovery : recoveries) {
                System.out.println(recovery);
            }
            for (Recovery recovery : recoveries) {
                // A restart that goes to the dead TaskManager fails again: exactly one per kill.
                assertEquals(1, recovery.restarts(), "restarts of " + recovery);
                // The target is 10 s; the margin is for a loaded 2-core machine.
                assertTrue(recovery.toRunningSeconds() <= RECOVERY_LIMIT_SECONDS, "" + recovery);
            }

            scenario.awaitRows();
            scenario.awaitLedger();
            flink.awaitFullyRunning(job, WAIT);
            JsonNode checkpoints = flink.checkpoints(job);
            long restores = checkpoints.path("counts").path("restored").asLong();
            assertTrue(restores >= 3, "recoveries from a checkpoint, one per kill: " + restores);
            JsonNode restored = checkpoints.path("latest").path("restored");
            assertFalse(restored.path("is_savepoint").asBoolean(), "from a checkpoint");
            long restarts = flink.jobMetric(job, "numRestarts");
            long read = flink.operatorMetric(job, "availability.eventsRead");
            assertTrue(
                    read >= 0 && read <= scenario.events.size(),
                    "events read since the last restore: " + read);
            System.out.printf(
                    "Failover: %d restores (numRestarts %d), last from checkpoint %s; %d events"
                            + " read since%n",
                    restores, restarts, restored.path("id"), read);
            flink.cancel(job);

            scenario.assertDeadLetters();
            scenario.assertAlertsExactlyOnce(KILLS);
        }
    }

    @Test
    void upgradeFromASavepointAndRollBackFromTheNewVersionsSavepoint() throws Exception {
        try (Scenario scenario = new Scenario(12, "upgrade")) {
            scenario.produceStandards();
            scenario.produceBindings();
            int size = scenario.events.size();
            List<Line> first = scenario.events.subList(0, size * 2 / 5);
            List<Line> second = scenario.events.subList(size * 2 / 5, size * 7 / 10);
            List<Line> third = scenario.events.subList(size * 7 / 10, size);
            String savepoints = flink.workDir().resolve("savepoints/upgrade").toUri().toString();

            // Version 1 at parallelism 2 reads the first part, then stops with a savepoint.
            scenario.produce(first);
            String v1 = flink.submit(jobJar, scenario.args(), null, 2);
            scenario.awaitAllRead(v1, first);
            scenario.assertEventMetrics(v1, first, true);
            // Judging waits until the standards and bindings held at the start are read.
            Await.until(
                    WAIT,
                    () -> !scenario.tables().weeklyAvailability().isEmpty(),
                    "version 1 judges the weeks it closed");
            String savepoint1 = flink.stopWithSavepoint(v1, savepoints);
            Map<String, ReferenceModel.Row> rowsOfV1 = scenario.tables().weeklyAvailability();

            // Version 2: another parallelism and another setting, from that savepoint.
            scenario.produce(second);
            String v2 =
                    flink.submit(
                            jobJar,
                            scenario.args("--pre-aggregation.max-entries", "1000"),
                            savepoint1,
                            1);
            assertRestoredFrom(v2, savepoint1);
            scenario.awaitAllRead(v2, second);
            scenario.assertEventMetrics(v2, second, false);
            String savepoint2 = flink.stopWithSavepoint(v2, savepoints);

            // Rollback: version 1 again, from version 2's savepoint, reads the rest.
            scenario.produce(third);
            String rolledBack = flink.submit(jobJar, scenario.args(), savepoint2, 2);
            assertRestoredFrom(rolledBack, savepoint2);
            scenario.awaitRows();
            scenario.awaitLedger();
            scenario.awaitAllRead(rolledBack, third);
            scenario.assertEventMetrics(rolledBack, third, false);
            scenario.assertWeekMetrics(rolledBack);
            flink.cancel(rolledBack);

            // The upgrade happened mid-stream: version 1 had judged (and alerted) weeks already.
            assertFalse(rowsOfV1.isEmpty(), "weeks judged before the upgrade");
            System.out.printf(
                    "Upgrade: %d rows after version 1, savepoints %s and %s%n",
                    rowsOfV1.size(), savepoint1, savepoint2);
            scenario.assertDeadLetters();
            scenario.assertAlertsExactlyOnce(0);
        }
    }

    /**
     * What one {@code kill -9} of a TaskManager running the job cost: seconds from the kill until
     * the job and all its tasks were RUNNING again (for good) and until its events source had
     * caught up with the topic, the restarts it took, and when the next standby TaskManager
     * (started once the job caught up) had registered.
     */
    private record Recovery(
            int kill,
            double toRunningSeconds,
            double caughtUpSeconds,
            double standbyRegisteredSeconds,
            long restarts) {
        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "Recovery %d: RUNNING %.1f s after the kill, caught up %.1f s,"
                            + " %d restart(s); next standby TaskManager registered at %.1f s",
                    kill,
                    toRunningSeconds,
                    caughtUpSeconds,
                    restarts,
                    standbyRegisteredSeconds);
        }
    }

    /**
     * Kills a TaskManager running the job, polls the job every 100 ms until it runs again on the
     * standby's slots and its source's lag is back to at most a second of production, then starts
     * the next standby.
     */
    private static Recovery killAndRecover(String job, int kill, Scenario scenario)
            throws Exception {
        FlinkCluster.TaskManager victim = flink.taskManagerRunningTasks();
        long killedAt = System.nanoTime();
        long killedAtMillis = System.currentTimeMillis();
        flink.kill(victim);
        assertEquals(137, victim.process().exitValue(), "SIGKILL");
        System.out.printf(
                "Kill %d: %s (pid %d) killed with %d events produced so far%n",
                kill, victim.resourceId(), victim.pid(), scenario.produced);
        long lagLimit = scenario.events.size() / PRODUCTION.toSeconds();
        long deadline = killedAt + WAIT.toNanos();
        boolean restarted = false;
        long runningAt = -1;
        long caughtUpAt = -1;
        while (caughtUpAt < 0) {
            assertTrue(System.nanoTime() < deadline, "recovered within " + WAIT);
            long now = System.nanoTime();
            if (!flink.isFullyRunning(job)) {
                restarted = true;
                runningAt = -1;
            } else if (restarted) {
                runningAt = runningAt < 0 ? now : runningAt;
                long lag = flink.operatorMetric(job, "pendingRecords");
                if (lag >= 0 && lag <= lagLimit) {
                    caughtUpAt = now;
                }
            }
            Thread.sleep(100);
        }
        // The next standby. On a real cluster it starts on another machine: here, where every
        // process shares two cores, only once the job caught up, so as not to slow the recovery.
        flink.startTaskManager();
        long replacedAt = System.nanoTime();
        return new Recovery(
                kill,
                (runningAt - killedAt) / 1e9,
                (caughtUpAt - killedAt) / 1e9,
                (replacedAt - killedAt) / 1e9,
                failuresSince(job, killedAtMillis));
    }

    /**
     * The failures the job handled since {@code epochMillis}, each one a restart: the entries of
     * its exception history ({@code numRestarts} stayed 0 through region failovers here).
     */
    private static long failuresSince(String job, long epochMillis) throws Exception {
        long failures = 0;
        JsonNode history = flink.get("/jobs/" + job + "/exceptions").path("exceptionHistory");
        for (JsonNode entry : history.path("entries")) {
            if (entry.path("timestamp").asLong() >= epochMillis) {
                failures++;
            }
        }
        return failures;
    }

    private static void assertRestoredFrom(String job, String savepoint) throws Exception {
        flink.awaitFullyRunning(job, WAIT);
        JsonNode restored = flink.checkpoints(job).path("latest").path("restored");
        assertTrue(restored.path("is_savepoint").asBoolean(), "restored a savepoint: " + restored);
        String path = restored.path("external_path").asText();
        String name = savepoint.substring(savepoint.lastIndexOf('/') + 1);
        assertTrue(path.endsWith(name), path + " is " + savepoint);
    }

    private static void awaitTrue(Await.Check check, String what) throws Exception {
        Await.until(WAIT, check, what);
    }

    /** Generated inputs with topics, a database and a WeChat simulator of their own. */
    private static final class Scenario implements AutoCloseable {
        final CallbackDataGenerator generator;
        final List<Line> events;
        final List<String> standards;
        final List<String> bindings;
        final ReferenceModel.Expected expected;
        final LocalDate closedBefore = FIRST_MONDAY.plusWeeks(WEEKS);
        final WechatSimulator wechat;
        final List<String> args;
        final JobConfig config;

        /** The early warnings both ways (WeekToDateReference.warningsBothWays); none if off. */
        final List<Map<String, WeekToDateReference.Warning>> warnings;

        /** Whether warnings are sent; without, they are recorded STALE and not checked here. */
        final boolean sendsWarnings;

        volatile int produced;

        Scenario(long seed, String name) throws Exception {
            this(seed, name, false);
        }

        /** With {@code warnings}, early warnings are sent too, whatever the data's age. */
        Scenario(long seed, String name, boolean warnings) throws Exception {
            generator = TestData.streamingScenario(seed, 0.005);
            events = new ArrayList<>(generator.events());
            // A last event two weeks on closes every generated week, lateness included.
            long later = closedBefore.plusWeeks(2).atStartOfDay(ZONE).toInstant().toEpochMilli();
            GeneratedEvent closer =
                    new GeneratedEvent("closer-" + seed, 1, "order.push", later, 200, 10, true);
            events.add(new Line(closer.json(), closer));
            standards = generator.standards();
            bindings = generator.bindings();
            wechat = new WechatSimulator(APP_ID, APP_SECRET).start();
            args = new ArrayList<>();
            args.addAll(
                    List.of(
                            "--kafka.bootstrap-servers",
                            KAFKA.bootstrapServers(),
                            "--kafka.group-id",
                            name,
                            "--topic.events",
                            name + "-events",
                            "--topic.standards",
                            name + "-standards",
                            "--topic.bindings",
                            name + "-bindings",
                            "--topic.dead-letter",
                            name + "-dead-letter",
                            "--jdbc.url",
                            POSTGRES.newDatabase(),
                            "--jdbc.user",
                            "postgres",
                            // The closing event lies weeks ahead of today's wall clock.
                            "--event.max-future",
                            "365 d",
                            "--week.zone",
                            ZONE.getId(),
                            "--watermark.idle-timeout",
                            "1 s"));
            args.addAll(ClusterTests.wechatArgs(wechat, APP_ID, TEMPLATE));
            if (warnings) {
                args.addAll(
                        List.of(
                                "--warning.max-age",
                                "365 d",
                                "--wechat.warning-template-id",
                                AlertChecks.WARNING_TEMPLATE));
            }
            // The job's own reading of the flags, with the secrets from the environment.
            config =
                    JobConfig.fromArgs(
                            args.toArray(new String[0]),
                            Map.of(
                                    JobConfig.ENV_JDBC_PASSWORD, PASSWORD,
                                    JobConfig.ENV_WECHAT_APP_SECRET, APP_SECRET));
            KafkaScenario.createTopics(KAFKA, config, 1);
            expected = ReferenceModel.of(config).compute(events, standards);
            this.sendsWarnings = warnings;
            this.warnings =
                    warnings
                            ? WeekToDateReference.warningsBothWays(config, events, expected)
                            : List.of(Map.of(), Map.of());
        }

        /** The program arguments, with {@code extra} flags appended. */
        List<String> args(String... extra) {
            List<String> all = new ArrayList<>(args);
            all.addAll(List.of(extra));
            return all;
        }

        /** Keyed by the line itself: compaction then keeps every distinct update. */
        void produceStandards() {
            KAFKA.produce(config.topicStandards(), 0, standards, line -> line);
        }

        void produceBindings() {
            KAFKA.produce(config.topicBindings(), 0, bindings, line -> line);
        }

        void produce(List<Line> lines) {
            KAFKA.produce(config.topicEvents(), 0, lines.stream().map(Line::json).toList());
            produced += lines.size();
        }

        /** Produces the lines in order, in small batches spread over about {@code duration}. */
        void produceEvenly(List<Line> lines, Duration duration) throws InterruptedException {
            int batches = (int) (duration.toMillis() / 250);
            int batch = Math.max(1, (lines.size() + batches - 1) / batches);
            for (int from = 0; from < lines.size(); from += batch) {
                produce(lines.subList(from, Math.min(lines.size(), from + batch)));
                Thread.sleep(250);
            }
        }

        Map<String, ReferenceModel.Row> expectedRows() {
            return expected.rowsBefore(closedBefore);
        }

        /** One SENT row per breach and bound openId, NO_RECIPIENT where none is bound. */
        List<String> expectedLedger() {
            return ReferenceModel.alerts(expectedRows(), bindings).stream()
                    .map(row -> row.replace("/SKIPPED", "/SENT"))
                    .sorted()
                    .toList();
        }

        /** One warning row "developerId/weekStart/openId/SENT" per warned week and openId. */
        List<String> expectedWarningLedger() {
            return WeekToDateReference.ledger(warnings.get(0), bindings, "SENT").stream()
                    .map(Scenario::withoutRuleAndAsOf)
                    .toList();
        }

        /** The warning rows without their rule and as_of, which late events may move. */
        static String withoutRuleAndAsOf(String row) {
            return row.substring(0, row.lastIndexOf('/', row.lastIndexOf('/') - 1));
        }

        List<String> ledgerWithWarnings() throws Exception {
            List<String> rows = new ArrayList<>(tables().alertDeliveries());
            if (sendsWarnings) {
                tables().warningDeliveries().forEach(row -> rows.add(withoutRuleAndAsOf(row)));
            }
            return rows;
        }

        private static Instant min(Instant a, Instant b) {
            return a.isBefore(b) ? a : b;
        }

        private static Instant max(Instant a, Instant b) {
            return a.isAfter(b) ? a : b;
        }

        ResultTables tables() {
            return new ResultTables(
                    config.jdbc().url(), config.jdbc().user(), config.jdbc().password());
        }

        void awaitRows() throws Exception {
            Map<String, ReferenceModel.Row> wanted = expectedRows();
            long deadline = System.nanoTime() + WAIT.toNanos();
            Map<String, ReferenceModel.Row> actual = Map.of();
            while (System.nanoTime() < deadline) {
                actual = tables().weeklyAvailability();
                if (actual.equals(wanted)) {
                    return;
                }
                Thread.sleep(1_000);
            }
            assertEquals(wanted, actual, "weekly_availability after " + WAIT);
        }

        void awaitLedger() throws Exception {
            List<String> wanted = new ArrayList<>(expectedLedger());
            wanted.addAll(expectedWarningLedger());
            long deadline = System.nanoTime() + WAIT.toNanos();
            List<String> actual = List.of();
            while (System.nanoTime() < deadline) {
                actual = ledgerWithWarnings();
                if (actual.equals(wanted)) {
                    return;
                }
                Thread.sleep(1_000);
            }
            assertEquals(wanted, actual, "alert_delivery after " + WAIT);
        }

        /** Waits until the job's eventsRead metric counts every line of {@code part}. */
        void awaitAllRead(String job, List<Line> part) throws Exception {
            awaitTrue(
                    () -> flink.operatorMetric(job, "availability.eventsRead") >= part.size(),
                    "job " + job + " read " + part.size() + " events");
        }

        /**
         * The job's counters over the REST API against what this run was given to read: {@code
         * part} of the events, and the standards and bindings topics from their start on a fresh
         * start (a restored run resumes them from the savepoint's offsets: nothing new).
         */
        void assertEventMetrics(String job, List<Line> part, boolean fresh) throws Exception {
            long malformed = part.stream().filter(line -> line.event() == null).count();
            Set<String> tooLate = new HashSet<>();
            expected.tooLate().forEach(event -> tooLate.add(event.eventId()));
            long late =
                    part.stream()
                            .filter(line -> line.event() != null)
                            .filter(line -> tooLate.contains(line.event().eventId()))
                            .count();
            assertEquals(
                    part.size(),
                    flink.operatorMetric(job, "availability.eventsRead"),
                    "eventsRead");
            assertEquals(
                    malformed,
                    flink.operatorMetric(job, "availability.eventsRejected"),
                    "eventsRejected");
            assertEquals(late, flink.operatorMetric(job, "availability.eventsLate"), "eventsLate");
            assertEquals(
                    fresh ? standards.size() : 0,
                    flink.operatorMetric(job, "availability.standardsRead"),
                    "standardsRead");
            assertEquals(
                    fresh ? bindings.size() : 0,
                    flink.operatorMetric(job, "availability.bindingsRead"),
                    "bindingsRead");
        }

        /** The last week closes only in the last run: its weeks are judged and alerted there. */
        void assertWeekMetrics(String job) throws Exception {
            LocalDate lastWeek = closedBefore.minusWeeks(1);
            long lastWeekRows =
                    expectedRows().values().stream()
                            .filter(row -> row.weekStart().equals(lastWeek))
                            .count();
            long lastWeekBreaches =
                    expectedRows().values().stream()
                            .filter(row -> row.weekStart().equals(lastWeek) && !row.satisfied())
                            .count();
            long lastWeekAlerts =
                    expectedLedger().stream()
                            .filter(row -> row.contains("/" + lastWeek + "/"))
                            .count();
            long judged = flink.operatorMetric(job, "availability.weeksJudged");
            long breaches = flink.operatorMetric(job, "availability.breaches");
            long planned = flink.operatorMetric(job, "availability.alertsPlanned");
            System.out.printf(
                    "Metrics of the last run: weeksJudged %d, breaches %d, alertsPlanned %d%n",
                    judged, breaches, planned);
            assertTrue(judged >= lastWeekRows, "weeksJudged " + judged + " < " + lastWeekRows);
            assertTrue(breaches >= lastWeekBreaches, "breaches " + breaches);
            assertTrue(breaches <= judged, "breaches " + breaches + " > judged " + judged);
            assertTrue(planned >= lastWeekAlerts, "alertsPlanned " + planned);
        }

        /** Every malformed and every too-late event exactly once in the dead-letter topic. */
        void assertDeadLetters() {
            DeadLetterTopic.expected(events, expected, 2)
                    .assertHeldBy(DeadLetterTopic.read(KAFKA, config.topicDeadLetter()));
        }

        /**
         * One WeChat message per ledger row with an openId, none twice. A TaskManager killed
         * between WeChat's answer and the ledger's record of it leaves the one window
         * docs/reference.md §8 names: the recovery resends that message with its client_msg_id,
         * which WeChat drops; at most one per sending subtask (the job's two) and {@code crashes}.
         * Without crashes, none is resent.
         */
        void assertAlertsExactlyOnce(int crashes) throws Exception {
            Map<String, String> wanted = new TreeMap<>();
            for (String row : expectedLedger()) {
                String[] parts = row.split("/", -1);
                if (!parts[2].isEmpty()) {
                    wanted.put(
                            AlertTemplate.clientMsgId(Long.parseLong(parts[0]), parts[1], parts[2]),
                            parts[2]);
                }
            }
            for (String row : expectedWarningLedger()) {
                String[] parts = row.split("/", -1);
                if (!parts[2].isEmpty()) {
                    wanted.put(
                            AlertTemplate.clientMsgId(
                                    Long.parseLong(parts[0]), parts[1], parts[2] + "/WARNING"),
                            parts[2]);
                }
            }
            // Each warning by a rule of one reading of its late events, at an h between theirs.
            for (String row : sendsWarnings ? tables().warningDeliveries() : List.<String>of()) {
                String[] parts = row.split("/", -1);
                String week = parts[0] + "/" + parts[1];
                WeekToDateReference.Warning arrival = warnings.get(0).get(week);
                WeekToDateReference.Warning eventTime = warnings.get(1).get(week);
                Instant asOf = Instant.parse(parts[5]);
                assertTrue(
                        List.of(arrival.rule(), eventTime.rule()).contains(parts[4])
                                && !asOf.isBefore(min(arrival.asOf(), eventTime.asOf()))
                                && !asOf.isAfter(max(arrival.asOf(), eventTime.asOf())),
                        row + " against " + arrival + " and " + eventTime);
            }
            Map<String, Integer> sent = new TreeMap<>();
            for (WechatSimulator.Message message : wechat.messages()) {
                sent.merge(message.clientMsgId(), 1, Integer::sum);
                assertEquals(wanted.get(message.clientMsgId()), message.toUser(), "recipient");
            }
            assertEquals(wanted.keySet(), sent.keySet(), "a message for every breach and openId");
            assertTrue(sent.values().stream().allMatch(n -> n == 1), "no message twice: " + sent);
            assertTrue(
                    wechat.duplicateCount() <= 2 * crashes,
                    "resends dropped by client_msg_id: " + wechat.duplicateCount());
            assertFalse(wanted.isEmpty(), "the data has breaches with bound openIds");
            System.out.printf(
                    "Alerts: %d messages, %d send requests, %d duplicates%n",
                    wechat.messages().size(), wechat.sendRequests(), wechat.duplicateCount());
        }

        @Override
        public void close() {
            wechat.close();
        }
    }
}
