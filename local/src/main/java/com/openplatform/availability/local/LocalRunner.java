package com.openplatform.availability.local;

import com.openplatform.availability.AvailabilityJob;
import com.openplatform.availability.JobSinks;
import com.openplatform.availability.JobSources;
import com.openplatform.availability.config.ConfigException;
import com.openplatform.availability.config.Flags;
import com.openplatform.availability.config.JobConfig;
import com.openplatform.availability.io.KafkaInputs;
import com.openplatform.availability.sinks.SchemaMigrations;
import com.openplatform.availability.testkit.WechatSimulator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * {@code bin/run-local}: the job on a local MiniCluster with the web UI, with {@code
 * flink-conf/config.yaml}. Flags are the job's; what is not given is filled in: the bundled example
 * files, an embedded PostgreSQL, the WeChat simulator, and a dead-letter file under {@code
 * target/run-local}. Every flag is checked before anything starts.
 */
public final class LocalRunner {
    private static final int WEB_UI_PORT = 8081;
    private static final String SIMULATOR_APP_ID = "wx-local-simulator";
    private static final String SIMULATOR_TEMPLATE_ID = "local-availability-alert";
    private static final String KEEP_RUNNING = "--keep-running";
    private static final String STAND_IN_JDBC_URL = "jdbc:postgresql://localhost/stand-in";

    private LocalRunner() {}

    public static void main(String[] args) throws Exception {
        if (JobConfig.wantsHelp(args)) {
            printHelp();
            return;
        }
        Path work = Files.createDirectories(Paths.get("target", "run-local"));
        List<String> flags = new ArrayList<>(Arrays.asList(args));
        boolean keepRunning = flags.remove(KEEP_RUNNING);
        Map<String, String> env = new HashMap<>(System.getenv());
        boolean kafka = flags.contains("--kafka.bootstrap-servers");
        if (!kafka && !flags.contains("--events.file")) {
            addFlag(flags, "--events.file", "examples/callback-events.ndjson");
            addFlag(flags, "--standards.file", "examples/availability-standards.ndjson");
            addFlag(flags, "--bindings.file", "examples/wechat-bindings.ndjson");
        }
        if (!kafka && !flags.contains("--dlq.file")) {
            addFlag(flags, "--dlq.file", work.resolve("dead-letter.ndjson").toString());
        }
        boolean embeddedPostgres = !flags.contains("--jdbc.url");
        boolean simulator = !flags.contains("--wechat.app-id");
        check(flags, env, embeddedPostgres);

        EmbeddedPostgres postgres = null;
        WechatSimulator wechat = null;
        try {
            if (embeddedPostgres) {
                System.out.println("Starting an embedded PostgreSQL …");
                postgres = EmbeddedPostgres.builder().start();
                addFlag(flags, "--jdbc.url", postgres.getJdbcUrl("postgres", "postgres"));
                addFlag(flags, "--jdbc.user", "postgres");
                env.put(JobConfig.ENV_JDBC_PASSWORD, "postgres");
            }
            if (simulator) {
                String secret = UUID.randomUUID().toString();
                wechat = new WechatSimulator(SIMULATOR_APP_ID, secret).start();
                addFlag(flags, "--wechat.api-base-url", wechat.baseUrl());
                addFlag(flags, "--wechat.app-id", SIMULATOR_APP_ID);
                addFlag(flags, "--wechat.template-id", SIMULATOR_TEMPLATE_ID);
                env.put(JobConfig.ENV_WECHAT_APP_SECRET, secret);
            }
            JobConfig config = JobConfig.fromArgs(flags.toArray(new String[0]), env);
            run(config, wechat, keepRunning ? postgres : null, keepRunning, work);
        } finally {
            if (wechat != null) {
                wechat.close();
            }
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    private static void printHelp() {
        System.out.println(
                "Usage: bin/run-local [--keep-running] [--key value …]\n\n"
                        + "Runs the job on a local Flink MiniCluster with the web UI. Without"
                        + " flags: the bundled example\n(examples/), an embedded PostgreSQL and the"
                        + " WeChat simulator; then prints what it wrote.\n\n"
                        + "  --keep-running\n"
                        + "      keep the web UI and the database up after the job, until Ctrl-C,"
                        + " and print how to query it\n\n"
                        + "The job's flags:");
        System.out.print(Flags.help());
    }

    /**
     * Checks every flag before any server starts, with a stand-in for the database run-local would
     * start: a bad flag costs one line and exit code 2.
     */
    private static void check(List<String> flags, Map<String, String> env, boolean standIn) {
        List<String> checked = new ArrayList<>(flags);
        if (standIn) {
            addFlag(checked, "--jdbc.url", STAND_IN_JDBC_URL);
        }
        try {
            JobConfig.fromArgs(checked.toArray(new String[0]), env);
        } catch (ConfigException e) {
            System.err.println("bin/run-local: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(
            JobConfig config,
            WechatSimulator wechat,
            EmbeddedPostgres keptDatabase,
            boolean keepRunning,
            Path work)
            throws Exception {
        if (config.isKafkaMode()) {
            KafkaInputs.requireTopics(config);
        }
        SchemaMigrations.migrate(config.jdbc());
        int port = Ports.preferred(WEB_UI_PORT);
        int parallelism = Runtime.getRuntime().availableProcessors();
        Configuration flink = flinkConfig(port, work);
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(flink)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(parallelism)
                                .build());
        try {
            cluster.start();
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(flink);
            env.setParallelism(parallelism);
            AvailabilityJob.defineWorkflow(env, config, JobSources.of(config), JobSinks.of(config));
            System.out.println("Running " + config);
            System.out.println("Flink web UI: http://localhost:" + port);
            long started = System.nanoTime();
            StreamGraph graph = env.getStreamGraph();
            graph.setJobName(AvailabilityJob.JOB_NAME);
            cluster.executeJobBlocking(graph.getJobGraph());
            double seconds = (System.nanoTime() - started) / 1_000_000_000.0;
            report(config, wechat, seconds);
            if (keepRunning) {
                keepRunning(config, keptDatabase, port);
            }
        } finally {
            cluster.close();
        }
    }

    private static Configuration flinkConfig(int port, Path work) {
        Configuration flink = GlobalConfiguration.loadConfiguration("flink-conf");
        // The Prometheus reporter is a plugin of a Flink distribution, absent on a MiniCluster.
        flink.keySet().stream()
                .filter(key -> key.startsWith("metrics.reporter."))
                .toList()
                .forEach(flink::removeKey);
        flink.set(RestOptions.PORT, port);
        flink.set(RestOptions.BIND_PORT, String.valueOf(port));
        flink.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                work.resolve("checkpoints").toUri().toString());
        flink.set(
                CheckpointingOptions.SAVEPOINT_DIRECTORY,
                work.resolve("savepoints").toUri().toString());
        flink.setString("execution.checkpointing.interval", "2 s");
        flink.setString("execution.checkpointing.min-pause", "1 s");
        return flink;
    }

    /** The summary first, then the tables and the messages it stands for. */
    private static void report(JobConfig config, WechatSimulator wechat, double seconds)
            throws Exception {
        ResultsReport results = new ResultsReport(config.jdbc(), System.out);
        System.out.println();
        System.out.printf("== Summary: job finished in %.1f s ==%n", seconds);
        System.out.println(results.summary());
        if (wechat != null) {
            System.out.println(
                    "WeChat messages received by the simulator "
                            + wechat.messages().size()
                            + ", duplicates "
                            + wechat.duplicateCount());
        }
        if (config.dlqFile() != null) {
            System.out.println(
                    "dead letters "
                            + Files.readAllLines(Paths.get(config.dlqFile())).size()
                            + " in "
                            + config.dlqFile());
        }
        results.print();
        if (wechat != null) {
            printMessages(wechat);
        }
    }

    private static void keepRunning(JobConfig config, EmbeddedPostgres database, int port)
            throws InterruptedException {
        System.out.println();
        System.out.println("== Kept running (Ctrl-C stops everything) ==");
        System.out.println("Flink web UI: http://localhost:" + port);
        if (database != null) {
            System.out.println(
                    "Database: psql 'postgresql://postgres:postgres@localhost:"
                            + database.getPort()
                            + "/postgres'   (JDBC: "
                            + config.jdbc().url()
                            + ", user postgres, password postgres)");
            System.out.println("Queries to try: docs/ops-queries.md");
        }
        Thread.currentThread().join();
    }

    private static void printMessages(WechatSimulator wechat) {
        System.out.println();
        System.out.println(
                "== WeChat messages received by the simulator at " + wechat.baseUrl() + " ==");
        for (WechatSimulator.Message message : wechat.messages()) {
            System.out.println(message.toUser() + "  " + message.data());
        }
    }

    private static void addFlag(List<String> flags, String flag, String value) {
        flags.add(flag);
        flags.add(value);
    }
}
