package com.openplatform.availability.local;

import com.openplatform.availability.AvailabilityJob;
import com.openplatform.availability.JobSinks;
import com.openplatform.availability.JobSources;
import com.openplatform.availability.config.JobConfig;
import com.openplatform.availability.io.KafkaInputs;
import com.openplatform.availability.sinks.SchemaMigrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code bin/run-local}: the job on a local MiniCluster with the web UI, with {@code
 * flink-conf/config.yaml}. Flags are the job's; what is not given is filled in: the bundled example
 * files, an embedded PostgreSQL, and a dead-letter file under {@code target/run-local}.
 */
public final class LocalRunner {
    private static final int WEB_UI_PORT = 8081;
    private static final String SIMULATOR_APP_ID = "wx-local-simulator";
    private static final String SIMULATOR_TEMPLATE_ID = "local-availability-alert";

    private LocalRunner() {}

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Paths.get("target", "run-local"));
        List<String> flags = new ArrayList<>(Arrays.asList(args));
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
        EmbeddedPostgres postgres = null;
        if (!flags.contains("--jdbc.url")) {
            System.out.println("Starting an embedded PostgreSQL …");
            postgres = EmbeddedPostgres.builder().start();
            addFlag(flags, "--jdbc.url", postgres.getJdbcUrl("postgres", "postgres"));
            addFlag(flags, "--jdbc.user", "postgres");
            env.put(JobConfig.ENV_JDBC_PASSWORD, "postgres");
        }
        WechatSimulator wechat = null;
        if (!flags.contains("--wechat.app-id")) {
            String secret = UUID.randomUUID().toString();
            wechat = new WechatSimulator(SIMULATOR_APP_ID, secret).start();
            addFlag(flags, "--wechat.api-base-url", wechat.baseUrl());
            addFlag(flags, "--wechat.app-id", SIMULATOR_APP_ID);
            addFlag(flags, "--wechat.template-id", SIMULATOR_TEMPLATE_ID);
            env.put(JobConfig.ENV_WECHAT_APP_SECRET, secret);
        }
        try {
            JobConfig config = JobConfig.fromArgs(flags.toArray(new String[0]), env);
            run(config, work);
            if (wechat != null) {
                printMessages(wechat);
            }
        } finally {
            if (wechat != null) {
                wechat.close();
            }
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    private static void run(JobConfig config, Path work) throws Exception {
        if (config.isKafkaMode()) {
            KafkaInputs.requireTopics(config);
        }
        SchemaMigrations.migrate(config.jdbc());
        int port = webUiPort();
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
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
        AvailabilityJob.defineWorkflow(env, config, JobSources.of(config), JobSinks.of(config));
        System.out.println("Running " + config);
        System.out.println("Flink web UI: http://localhost:" + port + " (while the job runs)");
        long started = System.nanoTime();
        env.execute(AvailabilityJob.JOB_NAME);
        System.out.printf(
                "Job finished in %.1f s%n", (System.nanoTime() - started) / 1_000_000_000.0);
        new ResultsReport(config.jdbc(), System.out).print();
        if (config.dlqFile() != null) {
            System.out.println();
            System.out.println(
                    "Dead letters: "
                            + Files.readAllLines(Paths.get(config.dlqFile())).size()
                            + " in "
                            + config.dlqFile());
        }
    }

    private static void printMessages(WechatSimulator wechat) {
        System.out.println();
        System.out.println(
                "== WeChat messages received by the simulator at "
                        + wechat.baseUrl()
                        + " ("
                        + wechat.messages().size()
                        + ", duplicates "
                        + wechat.duplicateCount()
                        + ") ==");
        for (WechatSimulator.Message message : wechat.messages()) {
            System.out.println(message.toUser() + "  " + message.data());
        }
    }

    /** 8081 when free, else any free port: a second local run still gets a web UI. */
    private static int webUiPort() throws IOException {
        try (ServerSocket socket =
                new ServerSocket(WEB_UI_PORT, 1, InetAddress.getLoopbackAddress())) {
            return WEB_UI_PORT;
        } catch (IOException busy) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }
    }

    private static void addFlag(List<String> flags, String flag, String value) {
        flags.add(flag);
        flags.add(value);
    }
}
