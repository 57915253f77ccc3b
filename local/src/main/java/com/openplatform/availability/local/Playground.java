package com.openplatform.availability.local;

import com.openplatform.availability.config.JobConfig;
import com.openplatform.availability.testkit.CallbackDataGenerator;
import com.openplatform.availability.testkit.FlinkCluster;
import com.openplatform.availability.testkit.KafkaBroker;
import com.openplatform.availability.testkit.WechatSimulator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The supervisor of {@code deploy/local/playground up}: the whole stack on this machine, in the
 * foreground until SIGTERM ({@code playground down}), which stops every part.
 *
 * <ol>
 *   <li>a Kafka broker ({@link KafkaBroker}) with the job's topics: events (4 partitions, keyed by
 *       developerId), standards and bindings (compacted), dead letters;
 *   <li>an embedded PostgreSQL (a real server, data under the state directory);
 *   <li>the WeChat simulator ({@link WechatSimulator}), which the job sends its alerts to;
 *   <li>a Flink session cluster ({@link FlinkCluster}): JobManager and one TaskManager, web UI on
 *       port 8081 (or the next free one), {@code flink-conf/config.yaml} with local directories;
 *   <li>the job, the shaded jar submitted over REST;
 *   <li>the standards and bindings of {@link CallbackDataGenerator} for the developerIds, and
 *       callback traffic on an accelerated clock from {@link
 *       com.openplatform.availability.testkit.LoadGenerator} (a child JVM): at {@code
 *       --clock-speedup 7200} a simulated week passes every 84 seconds.
 * </ol>
 *
 * <p>The state directory holds {@code pids/} (a process id and a word of its command line per child
 * process, for {@code down} to verify before it kills), {@code logs/}, {@code urls} (written when
 * everything runs), {@code stats} (refreshed every 5 seconds for {@code status}) and {@code
 * requests/}: {@code playground savepoint} and {@code upgrade} drop a file there, which the
 * supervisor (it knows the job's arguments) carries out over the REST API and answers with {@code
 * <request>.done}.
 */
public final class Playground {
    private static final String EVENTS = "callback-events";
    private static final String STANDARDS = "availability-standards";
    private static final String BINDINGS = "wechat-bindings";
    private static final String DEAD_LETTER = "callback-events-dlq";
    private static final String APP_ID = "wx00playground0001";
    private static final String APP_SECRET = "playground-secret-not-for-production";
    private static final String TEMPLATE = "tpl-availability-breach";
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final String LOAD_GENERATOR =
            "com.openplatform.availability.testkit.LoadGenerator";
    private static final List<String> REQUESTS = List.of("savepoint", "upgrade");

    /** What the job's counters in {@code status} mean (docs/operations.md has them all). */
    private static final String COUNTERS_LEGEND =
            "                  eventsRead: callback events read; eventsRejected: malformed,"
                    + " dead-lettered; eventsLate: too late, dead-lettered;\n"
                    + "                  weeksJudged: judgements, corrections and re-judgements"
                    + " included; breaches: judgements below standard;\n"
                    + "                  alertsPlanned: (week, openId) alerts planned, each once;"
                    + " alertsSent: accepted by WeChat";

    private final Path state;
    private final Path pids;
    private final Path logs;
    private final Map<String, String> options;
    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private KafkaBroker kafka;
    private EmbeddedPostgres postgres;
    private String jdbcUrl;
    private WechatSimulator wechat;
    private FlinkCluster flink;
    private String jobId;
    private List<String> jobArgs;
    private final Map<String, List<String>> submitted = new LinkedHashMap<>();
    private Process loadGenerator;

    private Playground(Map<String, String> options) throws IOException {
        this.options = options;
        this.state = Paths.get(options.get("state-dir")).toAbsolutePath();
        this.pids = Files.createDirectories(state.resolve("pids"));
        this.logs = Files.createDirectories(state.resolve("logs"));
    }

    /**
     * {@code [--state-dir target/playground] [--jar target/…jar] [--web-port 8081] [--rate 200]
     * [--clock-speedup 7200] [--developers 40] [--seed 42] [--start 2026-11-02] [--parallelism 2]}
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("state-dir", "target/playground");
        options.put("jar", "job/target/callback-availability.jar");
        options.put("web-port", "8081");
        options.put("rate", "200");
        // A simulated week every 84 s: the first alerts go out about two minutes after up.
        options.put("clock-speedup", "7200");
        options.put("developers", "40");
        options.put("seed", "42");
        options.put("start", "2026-11-02");
        options.put("parallelism", "2");
        for (int i = 0; i < args.length; i++) {
            String key = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!options.containsKey(key) || i + 1 >= args.length) {
                throw new IllegalArgumentException(
                        "Unknown or incomplete option " + args[i] + "; options: " + options);
            }
            options.put(key, args[++i]);
        }
        Playground playground = new Playground(options);
        Runtime.getRuntime().addShutdownHook(new Thread(playground::stop, "playground-stop"));
        try {
            playground.up();
        } catch (Exception e) {
            System.err.println("The playground could not start: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        playground.watch();
    }

    private void up() throws Exception {
        long started = System.nanoTime();
        Path jar = Paths.get(options.get("jar")).toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IOException("No job jar at " + jar + ": run mvn -DskipTests package");
        }

        log("Kafka: starting a broker …");
        kafka = KafkaBroker.start();
        running.push(kafka);
        pid("kafka", kafka.pid(), "kafka.Kafka");
        kafka.createTopic(EVENTS, 4, false);
        kafka.createTopic(STANDARDS, 1, true);
        kafka.createTopic(BINDINGS, 1, true);
        kafka.createTopic(DEAD_LETTER, 1, false);
        log("Kafka: " + kafka.bootstrapServers() + ", topics created");

        log("PostgreSQL: starting …");
        Path data = state.resolve("postgres");
        postgres =
                EmbeddedPostgres.builder()
                        .setDataDirectory(data)
                        .setCleanDataDirectory(true)
                        // Stopped by stop(), after the job that writes to it.
                        .setRegisterShutdownHook(false)
                        .setPort(preferredPort(15432))
                        .setOutputRedirector(
                                ProcessBuilder.Redirect.appendTo(
                                        logs.resolve("postgres.log").toFile()))
                        .setErrorRedirector(
                                ProcessBuilder.Redirect.appendTo(
                                        logs.resolve("postgres.log").toFile()))
                        .start();
        running.push(postgres);
        pid("postgres", postmasterPid(data), "postgres");
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE availability");
        }
        jdbcUrl = postgres.getJdbcUrl("postgres", "availability");
        log("PostgreSQL: " + jdbcUrl);

        wechat = new WechatSimulator(APP_ID, APP_SECRET).start();
        running.push(wechat);
        log("WeChat simulator: " + wechat.baseUrl());

        log("Flink: starting a JobManager and a TaskManager …");
        flink =
                FlinkCluster.builder()
                        .workDir(state.resolve("flink"))
                        .restPort(preferredPort(Integer.parseInt(options.get("web-port"))))
                        // A laptop-sized TaskManager; config.yaml's 4096m is a server's.
                        .set("taskmanager.memory.process.size", "2048m")
                        .set("jobmanager.memory.process.size", "1024m")
                        // Alerts go out after the checkpoint that planned them: do not wait long.
                        .set("execution.checkpointing.interval", "10 s")
                        .set("execution.checkpointing.min-pause", "2 s")
                        .environment(JobConfig.ENV_JDBC_PASSWORD, "postgres")
                        .environment(JobConfig.ENV_WECHAT_APP_SECRET, APP_SECRET)
                        .start();
        running.push(flink);
        pid("jobmanager", flink.jobManagerPid(), "StandaloneSessionClusterEntrypoint");
        for (FlinkCluster.TaskManager tm : flink.taskManagers()) {
            pid(tm.resourceId(), tm.pid(), "TaskManagerRunner");
        }
        log("Flink: web UI " + flink.restUrl());

        LocalDate monday =
                LocalDate.parse(options.get("start"))
                        .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        produceUpdates(monday);

        log("Job: uploading " + jar.getFileName() + " and running it …");
        jobArgs =
                List.of(
                        "--kafka.bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--jdbc.url",
                        jdbcUrl,
                        "--jdbc.user",
                        "postgres",
                        "--wechat.api-base-url",
                        wechat.baseUrl(),
                        "--wechat.app-id",
                        APP_ID,
                        "--wechat.template-id",
                        TEMPLATE,
                        // The traffic's event time runs --clock-speedup times ahead.
                        "--event.max-future",
                        "365 d");
        jobId = submit(jar, null);
        flink.awaitFullyRunning(jobId, Duration.ofMinutes(2));
        log("Job: " + jobId + " running");

        startTraffic(monday);
        writeUrls(Duration.ofNanos(System.nanoTime() - started));
    }

    private String submit(Path jar, String savepoint) throws IOException, InterruptedException {
        String id =
                flink.submit(jar, jobArgs, savepoint, Integer.parseInt(options.get("parallelism")));
        submitted.put(id, jobArgs);
        return id;
    }

    /**
     * The standards (developerId 0's platform default, own ones, one changing mid-way) and WeChat
     * bindings of {@link CallbackDataGenerator} for developerIds 100000 to 100000 + developers
     * (LoadGenerator's are 100001…), keyed as the README says: {@code developerId:version} and
     * {@code developerId:openId}.
     */
    private void produceUpdates(LocalDate monday) {
        CallbackDataGenerator generator =
                new CallbackDataGenerator(
                        new CallbackDataGenerator.Options()
                                .seed(Long.parseLong(options.get("seed")))
                                .developers(Integer.parseInt(options.get("developers")) + 1)
                                .weeks(4)
                                .firstMonday(monday)
                                .zone(ZONE));
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
            for (String line : generator.standards()) {
                producer.send(
                        new ProducerRecord<>(
                                STANDARDS,
                                field(line, "developerId") + ":" + field(line, "version"),
                                line));
            }
            for (String line : generator.bindings()) {
                producer.send(
                        new ProducerRecord<>(
                                BINDINGS,
                                field(line, "developerId") + ":" + field(line, "openId"),
                                line));
            }
            producer.flush();
        }
        log("Standards and bindings produced for " + options.get("developers") + " developerIds");
    }

    /** A top-level field's raw value in a flat JSON line, quotes removed. */
    private static String field(String json, String name) {
        int at = json.indexOf("\"" + name + "\":");
        if (at < 0) {
            return "";
        }
        int from = at + name.length() + 3;
        int to = from;
        while (to < json.length() && ",}".indexOf(json.charAt(to)) < 0) {
            to++;
        }
        return json.substring(from, to).replace("\"", "").trim();
    }

    /**
     * The testkit's LoadGenerator as a child JVM, keyed by developerId, on the accelerated clock.
     */
    private void startTraffic(LocalDate monday) throws IOException {
        if (!onClasspath(LOAD_GENERATOR)) {
            throw new IOException(LOAD_GENERATOR + " is not built: no traffic for the playground");
        }
        List<String> flags =
                List.of(
                        "--bootstrap-servers", kafka.bootstrapServers(),
                        "--topic", EVENTS,
                        "--rate", options.get("rate"),
                        "--seed", options.get("seed"),
                        "--developers", options.get("developers"),
                        "--start", monday.toString(),
                        "--clock-speedup", options.get("clock-speedup"),
                        "--zone", ZONE.getId());
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path")));
        command.add(LOAD_GENERATOR);
        command.addAll(flags);
        loadGenerator =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(logs.resolve("load-generator.log").toFile())
                        .start();
        pid("load-generator", loadGenerator.pid(), "LoadGenerator");
        log("Traffic: LoadGenerator " + String.join(" ", flags));
    }

    private static boolean onClasspath(String className) {
        try {
            Class.forName(className, false, Playground.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private void writeUrls(Duration took) throws IOException {
        String urls =
                String.join(
                        "\n",
                        "Flink web UI      " + flink.restUrl(),
                        "Prometheus        http://127.0.0.1:9249/metrics … :9259 (JobManager,"
                                + " TaskManager)",
                        "Kafka             " + kafka.bootstrapServers(),
                        "PostgreSQL        " + jdbcUrl + "  (user postgres, password postgres)",
                        "  psql            psql 'postgresql://postgres:postgres@127.0.0.1:"
                                + postgres.getPort()
                                + "/availability'   (queries: docs/ops-queries.md)",
                        "WeChat simulator  " + wechat.baseUrl(),
                        "Logs              " + logs + " and " + flink.logDir(),
                        String.format("Started in        %.1f s", took.toMillis() / 1000.0),
                        "");
        Path tmp = state.resolve("urls.tmp");
        Files.writeString(tmp, urls, StandardCharsets.UTF_8);
        Files.move(tmp, state.resolve("urls"), StandardCopyOption.REPLACE_EXISTING);
        log("Up in " + took.toSeconds() + " s");
    }

    /** Refreshes the stats file every 5 seconds and carries out requests, until stopped. */
    private void watch() throws InterruptedException {
        for (int second = 0; !stopped.await(1, TimeUnit.SECONDS); second++) {
            for (String request : REQUESTS) {
                Path file = state.resolve("requests").resolve(request);
                if (Files.exists(file)) {
                    answer(file, request);
                }
            }
            if (second % 5 != 0) {
                continue;
            }
            try {
                Path tmp = state.resolve("stats.tmp");
                Files.writeString(tmp, stats(), StandardCharsets.UTF_8);
                Files.move(tmp, state.resolve("stats"), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException | RuntimeException e) {
                log("Could not refresh the stats: " + e);
            }
        }
    }

    /** Carries out a {@code savepoint} or {@code upgrade} request and answers it. */
    private void answer(Path file, String request) {
        String answer;
        try {
            Files.delete(file);
            Path savepoints = state.resolve("savepoints");
            if (request.equals("savepoint")) {
                answer =
                        "Savepoint of job "
                                + jobId
                                + ": "
                                + flink.savepoint(jobId, dir(savepoints));
            } else {
                String before = jobId;
                String savepoint = flink.stopWithSavepoint(before, dir(savepoints));
                jobId = submit(Paths.get(options.get("jar")).toAbsolutePath(), savepoint);
                flink.awaitFullyRunning(jobId, Duration.ofMinutes(2));
                answer =
                        "Upgraded: job "
                                + before
                                + " stopped with savepoint "
                                + savepoint
                                + "; job "
                                + jobId
                                + " runs the jar built now, from that savepoint";
            }
        } catch (IOException | RuntimeException | InterruptedException e) {
            answer = "FAILED: " + e.getMessage();
        }
        log(answer);
        try {
            Files.writeString(
                    state.resolve("requests").resolve(request + ".done"),
                    answer + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            log("Could not answer " + request + ": " + e);
        }
    }

    private static String dir(Path path) throws IOException {
        return Files.createDirectories(path).toUri().toString();
    }

    /** The job running now, whoever started it (an upgrade over REST too), else the last one. */
    private String currentJob() throws IOException {
        String current = jobId;
        long latest = Long.MIN_VALUE;
        for (JsonNode job : flink.get("/jobs/overview").path("jobs")) {
            long started = job.path("start-time").asLong();
            if ("RUNNING".equals(job.path("state").asText()) && started > latest) {
                latest = started;
                current = job.path("jid").asText();
            }
        }
        return current;
    }

    private String stats() {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        out.printf("As of             %s%n", Instant.now());
        if (loadGenerator != null) {
            out.printf(
                    "Traffic           LoadGenerator %s: %s%n",
                    loadGenerator.isAlive() ? "running" : "exited " + loadGenerator.exitValue(),
                    lastLine(logs.resolve("load-generator.log")));
        }
        try {
            String current = currentJob();
            List<String> args = submitted.get(current);
            out.printf(
                    "Job               %s %s  (%s/jobs/%s)%n",
                    current, flink.jobState(current), flink.restUrl(), current);
            out.printf(
                    "Job arguments     %s%n",
                    args == null ? "(submitted outside the playground)" : String.join(" ", args));
            StringBuilder counters = new StringBuilder();
            flink.operatorMetrics(
                            current,
                            List.of(
                                    "eventsRead",
                                    "eventsRejected",
                                    "eventsLate",
                                    "weeksJudged",
                                    "breaches",
                                    "alertsPlanned",
                                    "alertsSent"),
                            "availability.")
                    .forEach(
                            (name, value) ->
                                    counters.append(name).append(' ').append(value).append("  "));
            out.printf("Job counters      %s%n%s%n", counters, COUNTERS_LEGEND);
            out.printf(
                    "Checkpoints       %s completed, %s failed%n",
                    flink.checkpoints(current).path("counts").path("completed"),
                    flink.checkpoints(current).path("counts").path("failed"));
        } catch (IOException | InterruptedException e) {
            out.printf("Job               (REST not answering: %s)%n", e.getMessage());
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
                Statement s = c.createStatement()) {
            out.printf(
                    "weekly_availability %s rows in %s weeks, %s breaches%n",
                    scalar(s, "SELECT count(*) FROM weekly_availability"),
                    scalar(s, "SELECT count(DISTINCT week_start) FROM weekly_availability"),
                    scalar(s, "SELECT count(*) FROM availability_breach"));
            try (ResultSet r =
                    s.executeQuery(
                            "SELECT status, count(*) FROM alert_delivery GROUP BY status"
                                    + " ORDER BY status")) {
                StringBuilder statuses = new StringBuilder();
                while (r.next()) {
                    statuses.append(r.getString(1)).append(' ').append(r.getLong(2)).append("  ");
                }
                out.printf("alert_delivery    %s%n", statuses.length() == 0 ? "-" : statuses);
            }
        } catch (SQLException e) {
            out.printf("Tables            (not yet: %s)%n", e.getMessage());
        }
        out.printf(
                "WeChat simulator  %d messages accepted, %d duplicates%n",
                wechat.messages().size(), wechat.duplicateCount());
        out.flush();
        return text.toString();
    }

    private static String lastLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? "-" : lines.get(lines.size() - 1).trim();
        } catch (IOException e) {
            return "-";
        }
    }

    private static String scalar(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    /** Stops everything in reverse order of start; runs on SIGTERM. */
    private void stop() {
        stopped.countDown();
        log("Stopping …");
        if (loadGenerator != null) {
            loadGenerator.destroy();
            try {
                loadGenerator.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            loadGenerator.destroyForcibly();
        }
        while (!running.isEmpty()) {
            AutoCloseable part = running.pop();
            try {
                part.close();
            } catch (Exception e) {
                log("Could not stop " + part.getClass().getSimpleName() + ": " + e);
            }
        }
        log("Stopped");
    }

    private void pid(String name, long pid, String commandWord) throws IOException {
        Files.writeString(pids.resolve(name + ".pid"), pid + "\n" + commandWord + "\n");
    }

    private static long postmasterPid(Path data) throws IOException {
        return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
    }

    /** {@code port} when it is free, else any free port. */
    private static int preferredPort(int port) throws IOException {
        int free = Ports.preferred(port);
        if (free != port) {
            log("Port " + port + " is taken; using " + free);
        }
        return free;
    }

    private static void log(String message) {
        System.out.printf("%tT %s%n", System.currentTimeMillis(), message);
    }
}
