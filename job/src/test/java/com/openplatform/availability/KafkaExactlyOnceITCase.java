package com.openplatform.availability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openplatform.availability.config.JobConfig;
import com.openplatform.availability.sinks.SchemaMigrations;
import com.openplatform.availability.testing.Await;
import com.openplatform.availability.testing.DeadLetterTopic;
import com.openplatform.availability.testing.EmbeddedPostgresExtension;
import com.openplatform.availability.testing.KafkaBrokerExtension;
import com.openplatform.availability.testing.ReferenceModel;
import com.openplatform.availability.testing.ResultTables;
import com.openplatform.availability.testing.TestData;
import com.openplatform.availability.testkit.CallbackDataGenerator;
import com.openplatform.availability.testkit.CallbackDataGenerator.Line;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job in Kafka mode against a real broker: exactly-once rows and dead letters through
 * TaskManager failures, a stop-with-savepoint and restart, and standards published late.
 *
 * <p>Events go to a single partition, in the order the reference model sees them, so which events
 * are too late is known exactly. A topic with idle partitions is tested apart: until a partition is
 * found idle it holds the watermark back, so there no event may be too late. A fresh start over a
 * backlog judges and alerts nothing before the standards and bindings held at the start are read.
 */
class KafkaExactlyOnceITCase {
    private static final ZoneId ZONE = TestData.SHANGHAI;
    private static final LocalDate FIRST_MONDAY = TestData.SCENARIO_FIRST_MONDAY;
    private static final int WEEKS = TestData.SCENARIO_WEEKS;
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final AtomicInteger TOPICS = new AtomicInteger();

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(clusterConfig())
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    @TempDir Path dir;

    @Test
    void rowsAndDeadLettersStayExactThroughThreeTaskManagerFailures(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        Scenario scenario = new Scenario(1);
        scenario.produceStandards();
        scenario.produceBindings();
        JobClient job = start(scenario.config, null);

        Thread producer = new Thread(() -> produceSlowly(scenario.events));
        producer.start();
        for (int kill = 0; kill < 3; kill++) {
            awaitRunning(job);
            Thread.sleep(1_500);
            cluster.terminateTaskManager(kill).get(30, TimeUnit.SECONDS);
            cluster.startTaskManager();
        }
        producer.join();

        awaitRows(scenario, job);
        // Dead letters are committed with checkpoints: wait for them before cancelling.
        awaitDeadLetters(scenario);
        job.cancel().get(30, TimeUnit.SECONDS);
    }

    @Test
    void stopWithSavepointAndRestartKeepsEveryWeekAsJudged() throws Exception {
        Scenario scenario = new Scenario(2);
        scenario.produceStandards();
        scenario.produceBindings();
        int half = scenario.events.size() / 2;
        produce(scenario.events.subList(0, half));
        JobClient first = start(scenario.config, null);
        LocalDate firstWeek = FIRST_MONDAY;
        awaitTrue(
                () -> scenario.tables().scalar("SELECT count(*) FROM weekly_availability") > 0,
                "the first week is judged before the savepoint");
        String savepoint =
                first.stopWithSavepoint(
                                false,
                                dir.resolve("savepoints").toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get(60, TimeUnit.SECONDS);
        Map<String, ReferenceModel.Row> judgedBefore = scenario.tables().weeklyAvailability();
        long revisionsBefore =
                scenario.tables()
                        .scalar("SELECT coalesce(sum(revision), 0) FROM weekly_availability");

        produce(scenario.events.subList(half, scenario.events.size()));
        JobClient second = start(scenario.config, savepoint);
        awaitRows(scenario, second);
        awaitDeadLetters(scenario);
        second.cancel().get(30, TimeUnit.SECONDS);

        Map<String, ReferenceModel.Row> after = scenario.tables().weeklyAvailability();
        for (Map.Entry<String, ReferenceModel.Row> week : judgedBefore.entrySet()) {
            if (week.getValue().weekStart().equals(firstWeek)
                    && scenario.expected.rows().containsKey(week.getKey())) {
                assertEquals(week.getValue(), after.get(week.getKey()));
            }
        }
        assertFalse(judgedBefore.isEmpty());
        assertTrue(
                scenario.tables()
                                .scalar(
                                        "SELECT coalesce(sum(revision), 0) FROM weekly_availability")
                        >= revisionsBefore,
                "revisions never go back");
    }

    @Test
    void standardsPublishedAfterTheEventsGiveTheSameRows() throws Exception {
        Scenario scenario = new Scenario(3);
        scenario.produceBindings();
        produce(scenario.events);
        JobClient job = start(scenario.config, null);
        awaitTrue(
                () ->
                        scenario.tables().scalar("SELECT count(*) FROM weekly_availability")
                                == scenario.expectedRows().size(),
                "every week is judged without the standards");
        // Let the events go idle too: the judged weeks must still be held for re-judgement.
        Thread.sleep(3 * scenario.config.watermarkIdleTimeout().toMillis());

        scenario.produceStandards();
        awaitRows(scenario, job);
        job.cancel().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aFreshStartOverABacklogAlertsOnlyWhatTheFinalStandardsSupport() throws Exception {
        Scenario scenario = new Scenario(5);
        produce(scenario.events);
        // Other developers' standards and bindings ahead of the scenario's own (which are laxer
        // than the default): they take longer to read than the events, and a judge or planner
        // that did not wait for them alerted on the default standard, or to nobody.
        List<String> otherStandards = new ArrayList<>();
        List<String> otherBindings = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            otherStandards.add(TestData.standard(1_000_000L + i, "0.9", 1));
            otherBindings.add(TestData.binding(1_000_000L + i, "o-other-" + i, true, 1));
        }
        KAFKA.produce(scenario.config.topicStandards(), 0, otherStandards, line -> line);
        KAFKA.produce(scenario.config.topicBindings(), 0, otherBindings, line -> line);
        scenario.produceStandards();
        scenario.produceBindings();
        JobClient job = start(scenario.config, null);

        awaitRows(scenario, job);
        List<String> expected =
                ReferenceModel.alerts(scenario.expectedRows(), scenario.generator.bindings());
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!scenario.tables().alertDeliveries().equals(expected)
                && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        job.cancel().get(30, TimeUnit.SECONDS);
        assertEquals(expected, scenario.tables().alertDeliveries());
    }

    @Test
    void idlePartitionsDoNotHoldTheWeeklyWindowsBack() throws Exception {
        Scenario scenario = new Scenario(4, 4, 0.0);
        scenario.produceStandards();
        scenario.produceBindings();
        produce(scenario.events);
        JobClient job = start(scenario.config, null);

        // Only partition 0 has events: without idleness no week would ever close.
        awaitRows(scenario, job);
        job.cancel().get(30, TimeUnit.SECONDS);
        assertEquals(List.of(), scenario.expected.tooLateJson());
    }

    private JobClient start(JobConfig config, String savepoint) throws Exception {
        SchemaMigrations.migrate(config.jdbc());
        Configuration restore = new Configuration();
        if (savepoint != null) {
            restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(restore);
        env.setParallelism(2);
        env.enableCheckpointing(300);
        AvailabilityJob.defineWorkflow(env, config, JobSources.of(config), JobSinks.of(config));
        return env.executeAsync("kafka-itcase");
    }

    private void awaitRows(Scenario scenario, JobClient job) throws Exception {
        Map<String, ReferenceModel.Row> expected = scenario.expectedRows();
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, ReferenceModel.Row> actual = Map.of();
        while (System.nanoTime() < deadline) {
            actual = scenario.tables().weeklyAvailability();
            if (actual.equals(expected)) {
                return;
            }
            Thread.sleep(1_000);
        }
        Map<String, ReferenceModel.Row> last = actual;
        long differing =
                expected.entrySet().stream()
                        .filter(e -> !e.getValue().equals(last.get(e.getKey())))
                        .count();
        assertEquals(
                expected,
                actual,
                "rows after "
                        + WAIT
                        + ": "
                        + differing
                        + " differ; job "
                        + job.getJobStatus().get()
                        + "; dead letters "
                        + readDeadLetters(scenario));
    }

    /** Waits until the committed dead letters are exactly the expected ones, each once. */
    private void awaitDeadLetters(Scenario scenario) throws Exception {
        DeadLetterTopic expected = scenario.expectedDeadLetters();
        long deadline = System.nanoTime() + WAIT.toNanos();
        DeadLetterTopic actual = readDeadLetters(scenario);
        while (!actual.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            actual = readDeadLetters(scenario);
        }
        expected.assertHeldBy(actual);
    }

    private DeadLetterTopic readDeadLetters(Scenario scenario) {
        return DeadLetterTopic.read(KAFKA, scenario.config.topicDeadLetter());
    }

    private void produce(List<Line> lines) {
        KAFKA.produce(currentEventsTopic, 0, lines.stream().map(Line::json).toList());
    }

    private void produceSlowly(List<Line> lines) {
        int chunk = 400;
        for (int from = 0; from < lines.size(); from += chunk) {
            produce(lines.subList(from, Math.min(lines.size(), from + chunk)));
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void awaitRunning(JobClient job) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (job.getJobStatus().get() != JobStatus.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the job is not running: " + job.getJobStatus().get());
            }
            Thread.sleep(100);
        }
    }

    private static void awaitTrue(Await.Check check, String what) throws Exception {
        Await.until(WAIT, check, what);
    }

    private String currentEventsTopic;

    /** A generated scenario with its own topics and database. */
    private final class Scenario {
        final CallbackDataGenerator generator;
        final List<Line> events;
        final JobConfig config;
        final ReferenceModel.Expected expected;
        final LocalDate closedBefore;

        Scenario(long seed) throws Exception {
            this(seed, 1, 0.005);
        }

        Scenario(long seed, int partitions, double tooLateRatio) throws Exception {
            generator = TestData.streamingScenario(seed, tooLateRatio);
            closedBefore = FIRST_MONDAY.plusWeeks(WEEKS);
            events = new ArrayList<>(generator.events());
            // A last event two weeks on closes every generated week, lateness included.
            long later = closedBefore.plusWeeks(2).atStartOfDay(ZONE).toInstant().toEpochMilli();
            CallbackDataGenerator.GeneratedEvent closer =
                    new CallbackDataGenerator.GeneratedEvent(
                            "closer-" + seed, 1, "order.push", later, 200, 10, true);
            events.add(new Line(closer.json(), closer));
            int n = TOPICS.incrementAndGet();
            config =
                    JobConfig.builder()
                            .kafkaBootstrapServers(KAFKA.bootstrapServers())
                            .kafkaGroupId("itcase-" + n)
                            .topicEvents("events-" + n)
                            .topicStandards("standards-" + n)
                            .topicBindings("bindings-" + n)
                            .topicDeadLetter("dead-letter-" + n)
                            .jdbcUrl(POSTGRES.newDatabase())
                            .jdbcUser("postgres")
                            .jdbcPassword("postgres")
                            .weekZone(ZONE)
                            .watermarkIdleTimeout(Duration.ofSeconds(1))
                            // The closing event lies weeks ahead of today's wall clock.
                            .eventMaxFuture(Duration.ofDays(365))
                            .build();
            KAFKA.broker().createTopic(config.topicEvents(), partitions, false);
            KAFKA.broker().createTopic(config.topicStandards(), 1, true);
            KAFKA.broker().createTopic(config.topicBindings(), 1, true);
            KAFKA.broker().createTopic(config.topicDeadLetter(), 1, false);
            currentEventsTopic = config.topicEvents();
            expected =
                    new ReferenceModel(
                                    ZONE,
                                    config.callbackTimeout(),
                                    config.watermarkOutOfOrderness(),
                                    config.allowedLateness(),
                                    config.standardDefault(),
                                    Instant.now(),
                                    config.eventMaxFuture())
                            .compute(events, generator.standards());
        }

        /** Keyed by the line itself: compaction then keeps every distinct update. */
        void produceStandards() {
            KAFKA.produce(config.topicStandards(), 0, generator.standards(), line -> line);
        }

        void produceBindings() {
            KAFKA.produce(config.topicBindings(), 0, generator.bindings(), line -> line);
        }

        DeadLetterTopic expectedDeadLetters() {
            return DeadLetterTopic.expected(events, expected, 2);
        }

        Map<String, ReferenceModel.Row> expectedRows() {
            return expected.rowsBefore(closedBefore);
        }

        ResultTables tables() {
            return new ResultTables(
                    config.jdbc().url(), config.jdbc().user(), config.jdbc().password());
        }
    }

    private static Configuration clusterConfig() {
        Configuration config = new Configuration();
        config.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 20);
        config.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        return config;
    }
}
