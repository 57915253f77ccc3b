package com.openplatform.availability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openplatform.availability.config.JobConfig;
import com.openplatform.availability.sinks.SchemaMigrations;
import com.openplatform.availability.testing.AlertChecks;
import com.openplatform.availability.testing.Await;
import com.openplatform.availability.testing.DeadLetterTopic;
import com.openplatform.availability.testing.EmbeddedPostgresExtension;
import com.openplatform.availability.testing.KafkaBrokerExtension;
import com.openplatform.availability.testing.KafkaScenario;
import com.openplatform.availability.testing.MariaDbServerExtension;
import com.openplatform.availability.testing.MiniClusters;
import com.openplatform.availability.testing.OutageDatabase;
import com.openplatform.availability.testing.PacedEvents;
import com.openplatform.availability.testing.ReferenceModel;
import com.openplatform.availability.testing.ResultTables;
import com.openplatform.availability.testing.TestData;
import com.openplatform.availability.testkit.CallbackDataGenerator;
import com.openplatform.availability.testkit.CallbackDataGenerator.Line;
import com.openplatform.availability.testkit.WechatSimulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real database stopped for {@link #OUTAGE} (system property {@code outage.seconds}, default 90)
 * while the job writes, then started again on the same data: the job rides it out with the restart
 * strategy of {@code flink-conf/config.yaml}, and afterwards the rows equal the reference model,
 * each dead letter is written once and each alert delivered once (a resend WeChat drops by its
 * client_msg_id is allowed: an answer WeChat gave just before the ledger went away). On a
 * MiniCluster (parallelism 2, RocksDB, checkpoints), with PostgreSQL and MariaDB, in file mode and
 * in Kafka mode.
 *
 * <p>Part of the fault suite ({@code mvn -B -ntp verify -Pfault-tests}), not of {@code mvn verify}.
 */
class DatabaseOutageFaultIT {
    static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("outage.seconds", 90));
    private static final Duration WAIT = Duration.ofMinutes(5);

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.twoSlots(clusterConfig());

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    @RegisterExtension static final MariaDbServerExtension MARIADB = new MariaDbServerExtension();

    @TempDir Path dir;
    private WechatSimulator simulator;

    static Stream<OutageDatabase> databases() {
        return Stream.of(POSTGRES, MARIADB);
    }

    @BeforeEach
    void startSimulator() throws Exception {
        simulator = new WechatSimulator("wx-fault", "fault-secret").start();
    }

    @AfterEach
    void stopSimulator() throws Exception {
        POSTGRES.start();
        MARIADB.start();
        simulator.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aFileRunRidesOutADatabaseOutageWithRowsDeadLettersAndAlertsExactlyOnce(
            OutageDatabase database) throws Exception {
        CallbackDataGenerator generator =
                new CallbackDataGenerator(
                        new CallbackDataGenerator.Options()
                                .seed(53)
                                .developers(20)
                                .weeks(3)
                                .eventsPerWeek(500)
                                .lateRatio(0.01)
                                .tooLateRatio(0.005)
                                .zone(TestData.SHANGHAI));
        List<Line> events = generator.events();
        JobConfig config =
                wechat(
                                JobConfig.builder()
                                        .eventsFile(write("events.ndjson", List.of()))
                                        .standardsFile(
                                                write("standards.ndjson", generator.standards()))
                                        .bindingsFile(
                                                write("bindings.ndjson", generator.bindings()))
                                        .dlqFile(dir.resolve("dlq.ndjson").toString())
                                        .jdbcUrl(database.newDatabase())
                                        .jdbcUser(database.user())
                                        .jdbcPassword(database.password())
                                        .weekZone(TestData.SHANGHAI))
                        .wechatDrainTimeout(Duration.ofMinutes(3))
                        .build();
        JobSources sources =
                PacedEvents.of(
                        JobSources.files(config, Clock.systemUTC()),
                        dir,
                        events.stream().map(Line::json).toList(),
                        () -> {});
        ResultTables tables = tables(config);

        JobClient job = start(config, sources);
        Outage outage;
        try {
            outage = Outage.whileRowsAreWritten(database, job, tables);
            job.getJobExecutionResult().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            cancelIfRunning(job);
        }
        outage.report("file run finished", database, simulator);

        ReferenceModel.Expected expected =
                ReferenceModel.of(config).compute(events, generator.standards());
        assertEquals(expected.scaledRows(), tables.weeklyAvailability());
        DeadLetterTopic.expected(events, expected, 2)
                .assertHeldBy(DeadLetterTopic.readFile(Path.of(config.dlqFile())));
        AlertChecks.assertEachAlertDeliveredOnce(
                tables, expected.rows(), generator.bindings(), simulator, TEMPLATE);
        outage.assertRestartedWhileDown();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aKafkaJobRidesOutADatabaseOutageWithRowsDeadLettersAndAlertsExactlyOnce(
            OutageDatabase database) throws Exception {
        KafkaScenario scenario = new KafkaScenario(KAFKA, database, 59, 1, 0.005, this::wechat);
        scenario.produceStandards();
        scenario.produceBindings();
        ResultTables tables = scenario.tables();
        JobClient job = start(scenario.config, JobSources.of(scenario.config));
        Thread producer = new Thread(scenario::produceSlowly);
        producer.start();

        Outage outage;
        try {
            outage = Outage.whileRowsAreWritten(database, job, tables);
            producer.join();
            scenario.awaitComplete(simulator, WAIT);
        } finally {
            cancelIfRunning(job);
        }
        outage.report("rows, alerts and dead letters complete", database, simulator);

        scenario.assertExactlyOnce(simulator, TEMPLATE);
        outage.assertRestartedWhileDown();
    }

    /** A job that failed its test must not hold the shared MiniCluster's slots for the next. */
    private static void cancelIfRunning(JobClient job) throws Exception {
        if (!job.getJobStatus().get(30, TimeUnit.SECONDS).isGloballyTerminalState()) {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * One outage: the database stops as soon as the job has written its first weekly row, stays
     * down for {@link #OUTAGE} while the job's status is sampled every 100 ms, and starts again.
     */
    private static final class Outage {
        final Map<JobStatus, Integer> statusSamples = new EnumMap<>(JobStatus.class);
        final long downAt;
        final long upAt;

        private Outage(Map<JobStatus, Integer> samples, long downAt, long upAt) {
            statusSamples.putAll(samples);
            this.downAt = downAt;
            this.upAt = upAt;
        }

        static Outage whileRowsAreWritten(
                OutageDatabase database, JobClient job, ResultTables tables) throws Exception {
            Await.until(
                    WAIT,
                    () -> tables.scalar("SELECT count(*) FROM weekly_availability") > 0,
                    "the job writes its first weekly row");
            database.stop();
            long downAt = System.nanoTime();
            Map<JobStatus, Integer> samples = new EnumMap<>(JobStatus.class);
            while (System.nanoTime() - downAt < OUTAGE.toNanos()) {
                samples.merge(job.getJobStatus().get(), 1, Integer::sum);
                Thread.sleep(100);
            }
            database.start();
            return new Outage(samples, downAt, System.nanoTime());
        }

        void report(String done, OutageDatabase database, WechatSimulator wechat) {
            System.out.printf(
                    "%s outage of %d s: job status samples while down %s; %s %d ms after the"
                            + " database was back; %d messages, %d resends dropped by"
                            + " client_msg_id%n",
                    database,
                    TimeUnit.NANOSECONDS.toSeconds(upAt - downAt),
                    statusSamples,
                    done,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - upAt),
                    wechat.messages().size(),
                    wechat.duplicateCount());
        }

        /** The job failed and restarted while it could not write: it never looked healthy. */
        void assertRestartedWhileDown() {
            assertTrue(
                    statusSamples.getOrDefault(JobStatus.RESTARTING, 0) > 0,
                    "the job showed RESTARTING while the database was down: " + statusSamples);
        }
    }

    private static final String TEMPLATE = "tpl-fault";

    private JobClient start(JobConfig config, JobSources sources) throws Exception {
        SchemaMigrations.migrate(config.jdbc());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(500);
        AvailabilityJob.defineWorkflow(env, config, sources, JobSinks.of(config));
        return env.executeAsync("database-outage");
    }

    private JobConfig.Builder wechat(JobConfig.Builder builder) {
        return builder.wechatApiBaseUrl(simulator.baseUrl())
                .wechatAppId("wx-fault")
                .wechatAppSecret("fault-secret")
                .wechatTemplateId(TEMPLATE)
                .wechatSendRate(200)
                .wechatRequestTimeout(Duration.ofSeconds(1))
                .wechatRetryMaxBackoff(Duration.ofSeconds(2));
    }

    private String write(String name, List<String> lines) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file.toString();
    }

    private static ResultTables tables(JobConfig config) {
        return new ResultTables(
                config.jdbc().url(), config.jdbc().user(), config.jdbc().password());
    }

    /**
     * RocksDB, small file fetches ({@link PacedEvents}), and the restart strategy of {@code
     * flink-conf/config.yaml}: what is tested is the production setting riding out the outage.
     */
    private static Configuration clusterConfig() {
        Configuration config = new Configuration();
        config.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        config.set(StreamFormat.FETCH_IO_SIZE, MemorySize.parse("16kb"));
        GlobalConfiguration.loadConfiguration("flink-conf")
                .toMap()
                .forEach(
                        (key, value) -> {
                            if (key.startsWith("restart-strategy")) {
                                config.setString(key, value);
                            }
                        });
        return config;
    }
}
