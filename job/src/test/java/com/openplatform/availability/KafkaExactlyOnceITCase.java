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
import com.openplatform.availability.testing.KafkaScenario;
import com.openplatform.availability.testing.MiniClusters;
import com.openplatform.availability.testing.ReferenceModel;
import com.openplatform.availability.testing.TestData;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
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
    private static final LocalDate FIRST_MONDAY = TestData.SCENARIO_FIRST_MONDAY;
    private static final Duration WAIT = Duration.ofMinutes(3);

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.twoSlots(clusterConfig());

    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    @TempDir Path dir;

    @Test
    void rowsAndDeadLettersStayExactThroughThreeTaskManagerFailures(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        KafkaScenario scenario = scenario(1);
        scenario.produceStandards();
        scenario.produceBindings();
        JobClient job = start(scenario.config, null);

        Thread producer = new Thread(scenario::produceSlowly);
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
        KafkaScenario scenario = scenario(2);
        scenario.produceStandards();
        scenario.produceBindings();
        int half = scenario.events.size() / 2;
        scenario.produce(scenario.events.subList(0, half));
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

        scenario.produce(scenario.events.subList(half, scenario.events.size()));
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
        KafkaScenario scenario = scenario(3);
        scenario.produceBindings();
        scenario.produce(scenario.events);
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
        KafkaScenario scenario = scenario(5);
        scenario.produce(scenario.events);
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
        KafkaScenario scenario = new KafkaScenario(KAFKA, POSTGRES, 4, 4, 0.0, b -> b);
        scenario.produceStandards();
        scenario.produceBindings();
        scenario.produce(scenario.events);
        JobClient job = start(scenario.config, null);

        // Only partition 0 has events: without idleness no week would ever close.
        awaitRows(scenario, job);
        job.cancel().get(30, TimeUnit.SECONDS);
        assertEquals(List.of(), scenario.expected.tooLateJson());
    }

    private static KafkaScenario scenario(long seed) throws Exception {
        return new KafkaScenario(KAFKA, POSTGRES, seed);
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

    private void awaitRows(KafkaScenario scenario, JobClient job) throws Exception {
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
                        + scenario.deadLetters());
    }

    /** Waits until the committed dead letters are exactly the expected ones, each once. */
    private void awaitDeadLetters(KafkaScenario scenario) throws Exception {
        DeadLetterTopic expected = scenario.expectedDeadLetters();
        long deadline = System.nanoTime() + WAIT.toNanos();
        DeadLetterTopic actual = scenario.deadLetters();
        while (!actual.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            actual = scenario.deadLetters();
        }
        expected.assertHeldBy(actual);
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
