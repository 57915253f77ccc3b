package com.openplatform.availability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openplatform.availability.testing.Await;
import com.openplatform.availability.testing.ClusterTests;
import com.openplatform.availability.testing.EmbeddedPostgresExtension;
import com.openplatform.availability.testing.KafkaBrokerExtension;
import com.openplatform.availability.testing.KafkaScenario;
import com.openplatform.availability.testing.KeepClusterLogs;
import com.openplatform.availability.testing.ResultTables;
import com.openplatform.availability.testkit.FlinkCluster;
import com.openplatform.availability.testkit.WechatSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shaded job jar on a real Flink session cluster ({@link FlinkCluster}, with {@code
 * flink-conf/config.yaml}'s restart strategy unchanged), Kafka mode, while its PostgreSQL is
 * stopped for {@link DatabaseOutageFaultIT#OUTAGE} and started again: the TaskManager JVM lives on
 * (no fatal error), the job shows RESTARTING while it cannot write, and once the database is back
 * the rows equal the reference model, each dead letter is written once and each alert delivered
 * once.
 *
 * <p>Part of the fault suite ({@code mvn -B -ntp verify -Pfault-tests}), after {@code package}.
 */
class FlinkClusterDatabaseOutageFaultIT {
    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final String APP_ID = "wx-cluster-fault";
    private static final String APP_SECRET = "cluster-fault-secret";
    private static final String TEMPLATE = "tpl-cluster-fault";

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    private static FlinkCluster flink;

    /** Keeps the cluster's logs of a failed test under target/flink-cluster-it-logs. */
    @RegisterExtension
    static final KeepClusterLogs KEEP_LOGS =
            new KeepClusterLogs(() -> FlinkClusterDatabaseOutageFaultIT.flink);

    private static Path jobJar;

    @BeforeAll
    static void startCluster() throws Exception {
        jobJar = ClusterTests.jobJar();
        flink = ClusterTests.smallCluster(POSTGRES.password(), APP_SECRET).start();
    }

    @AfterAll
    static void stopCluster() {
        if (flink != null) {
            flink.close();
        }
    }

    @Test
    void theTaskManagerSurvivesADatabaseOutageAndTheJobCatchesUpExactlyOnce() throws Exception {
        try (WechatSimulator wechat = new WechatSimulator(APP_ID, APP_SECRET).start()) {
            KafkaScenario scenario = new KafkaScenario(KAFKA, POSTGRES, 61, 1, 0.005, b -> b);
            List<String> args = scenario.args();
            args.addAll(ClusterTests.wechatArgs(wechat, APP_ID, TEMPLATE));
            scenario.produceStandards();
            scenario.produceBindings();
            String job = flink.submit(jobJar, args, null, 2);
            flink.awaitFullyRunning(job, WAIT);
            FlinkCluster.TaskManager taskManager = flink.taskManagers().get(0);
            Thread producer = new Thread(scenario::produceSlowly, "event-producer");
            producer.start();
            ResultTables tables = scenario.tables();
            Await.until(
                    WAIT,
                    () -> tables.scalar("SELECT count(*) FROM weekly_availability") > 0,
                    "the job writes its first weekly row");

            POSTGRES.stop();
            long downAt = System.nanoTime();
            Map<String, Integer> states = new TreeMap<>();
            int fewestTaskManagers = Integer.MAX_VALUE;
            while (System.nanoTime() - downAt < DatabaseOutageFaultIT.OUTAGE.toNanos()) {
                states.merge(flink.jobState(job), 1, Integer::sum);
                fewestTaskManagers =
                        Math.min(fewestTaskManagers, flink.registeredTaskManagers().size());
                Thread.sleep(500);
            }
            POSTGRES.start();
            long upAt = System.nanoTime();
            producer.join();

            scenario.awaitComplete(wechat, WAIT);
            long caughtUpMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - upAt);
            long restarts = flink.jobMetric(job, "numRestarts");
            System.out.printf(
                    "Cluster: PostgreSQL down %d s; job states sampled while down %s; fewest"
                            + " registered TaskManagers %d; numRestarts %d; rows, alerts and dead"
                            + " letters complete %d ms after the database was back; %d messages,"
                            + " %d resends dropped by client_msg_id%n",
                    TimeUnit.NANOSECONDS.toSeconds(upAt - downAt),
                    states,
                    fewestTaskManagers,
                    restarts,
                    caughtUpMillis,
                    wechat.messages().size(),
                    wechat.duplicateCount());
            flink.cancel(job);

            assertTrue(taskManager.process().isAlive(), "the TaskManager JVM never exited");
            assertEquals(List.of(taskManager), flink.taskManagers(), "and was never replaced");
            assertEquals(1, fewestTaskManagers, "registered throughout the outage");
            assertTrue(states.containsKey("RESTARTING"), "RESTARTING while down: " + states);
            assertTrue(restarts >= 1, "numRestarts " + restarts);
            scenario.assertExactlyOnce(wechat, TEMPLATE);
        }
    }
}
