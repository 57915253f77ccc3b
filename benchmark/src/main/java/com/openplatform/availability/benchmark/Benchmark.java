package com.openplatform.availability.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openplatform.availability.testkit.KafkaBroker;
import com.openplatform.availability.testkit.LoadGenerator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code bin/benchmark}: the job against the peers on one machine, in one run (docs/benchmarks.md).
 *
 * <p>For N events and, unless {@code --double false}, 2N: pre-loads a topic of a real Kafka broker
 * with {@link LoadGenerator}, then measures, each in a fresh JVM of the same heap, on the same
 * topic: (a) the job from the earliest offset to JDBC in bounded Kafka mode ({@code
 * --kafka.stop-at-latest true}), exactly-once checkpoints on RocksDB, until it finished (every
 * window fired, every row written, the dead letters committed); (b) the Flink SQL equivalent (a
 * window TVF, two-phase mini-batch aggregation, JDBC upserts); (c) the plain-Java ceiling
 * (KafkaConsumer, the job's parser, a HashMap). Prints events/s, the ratios, peak heap and
 * checkpoint size, and whether they stay flat from N to 2N. {@code --file-mode} measures the job
 * reading an NDJSON file instead.
 */
public final class Benchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] KAFKA_TASKS = {"job", "sql", "ceiling"};

    /** From this many developerIds on, the defaults are the platform-scale run's. */
    static final int SCALE_DEVELOPERS = 100_000;

    /** The generator's and the job's week zone. */
    private static final ZoneId BURST_ZONE = ZoneId.of("Asia/Shanghai");

    private Benchmark() {}

    /** The benchmark's settings: {@code --key value} flags, see {@link #usage()}. */
    public static final class Options {
        long events = 40_000_000;
        boolean doubled = true;
        boolean fileMode;
        boolean parser;
        int partitions = 4;
        int parallelism = 2;
        int developers = 2000;
        long eventsPerWeek = 2_000_000;
        double skew = 1.0;
        long seed = 42;
        long checkpointIntervalMs = 5_000;
        String heap = "2g";
        String tasks = String.join(",", KAFKA_TASKS);
        Path workDir = Paths.get("target", "benchmark");
        boolean jfr;
        boolean help;
        String sqlSet;
        boolean sqlTuned;
        boolean incremental = true;

        /** Sets a flag that takes no value; says whether {@code flag} was one. */
        private boolean switchedOn(String flag) {
            switch (flag) {
                case "--help", "-h" -> help = true;
                case "--file-mode" -> fileMode = true;
                case "--parser" -> parser = true;
                case "--sql-tuned" -> sqlTuned = true;
                case "--jfr" -> jfr = true;
                default -> {
                    return false;
                }
            }
            return true;
        }

        public static Options parse(String... args) {
            Options o = new Options();
            Set<String> given = new HashSet<>();
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                given.add(flag);
                if (o.switchedOn(flag)) {
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                String value = args[++i].replace("_", "");
                switch (flag) {
                    case "--events" -> o.events = Long.parseLong(value);
                    case "--double" -> o.doubled = Boolean.parseBoolean(value);
                    case "--partitions" -> o.partitions = Integer.parseInt(value);
                    case "--parallelism" -> o.parallelism = Integer.parseInt(value);
                    case "--developers" -> o.developers = Integer.parseInt(value);
                    case "--events-per-week" -> o.eventsPerWeek = Long.parseLong(value);
                    case "--skew" -> o.skew = Double.parseDouble(value);
                    case "--seed" -> o.seed = Long.parseLong(value);
                    case "--checkpoint-interval-ms" ->
                            o.checkpointIntervalMs = Long.parseLong(value);
                    case "--heap" -> o.heap = value;
                    case "--incremental" -> o.incremental = Boolean.parseBoolean(value);
                    case "--tasks" -> o.tasks = value;
                    case "--work-dir" -> o.workDir = Paths.get(value);
                    case "--sql-set" -> o.sqlSet = args[i];
                    default -> throw new IllegalArgumentException("unknown flag " + flag);
                }
            }
            if (o.developers >= SCALE_DEVELOPERS) {
                o.scaleDefaults(given);
            }
            return o;
        }

        /**
         * The platform-scale run (docs/benchmarks.md): the same 12.6 M events whatever the number
         * of developerIds, 4 M per event-time week with a Zipf exponent of 0.5, so that nearly
         * every developerId has a row in every week and the burst is one row per developerId: three
         * weeks and the first day of the fourth, so that the burst's Monday passes mid-stream, as a
         * real one does; the job alone, once, with the heap its pre-aggregation needs. Flags given
         * win.
         */
        private void scaleDefaults(Set<String> given) {
            if (!given.contains("--events")) {
                events = 12_600_000;
            }
            if (!given.contains("--events-per-week")) {
                eventsPerWeek = 4_000_000;
            }
            if (!given.contains("--skew")) {
                skew = 0.5;
            }
            if (!given.contains("--double")) {
                doubled = false;
            }
            if (!given.contains("--tasks")) {
                tasks = "job";
            }
            if (!given.contains("--heap")) {
                heap = "4g";
            }
        }

        public Options events(long value) {
            events = value;
            return this;
        }

        public Options doubled(boolean value) {
            doubled = value;
            return this;
        }

        public Options developers(int value) {
            developers = value;
            return this;
        }

        public Options eventsPerWeek(long value) {
            eventsPerWeek = value;
            return this;
        }

        public Options checkpointIntervalMs(long value) {
            checkpointIntervalMs = value;
            return this;
        }

        public Options heap(String value) {
            heap = value;
            return this;
        }

        public Options tasks(String value) {
            tasks = value;
            return this;
        }

        public Options workDir(Path value) {
            workDir = value;
            return this;
        }
    }

    static String usage() {
        return String.join(
                "\n",
                "bin/benchmark [flags]: the job vs its Flink SQL equivalent vs a plain-Java"
                        + " ceiling, on one Kafka topic",
                "  --events N                 events of the first size (default 40000000; at"
                        + " 20 M the JIT's warm-up is a quarter of the job's run)",
                "  --double true|false        also run 2N, to show heap and state stay flat"
                        + " (default true)",
                "  --partitions P             partitions of the topic (default 4)",
                "  --parallelism P            of the Flink jobs and ceiling threads (default 2)",
                "  --developers D             (default 2000; from 100000 on the defaults are"
                        + " the scale run's: --events 12600000 --events-per-week 4000000"
                        + " --skew 0.5 --double false --tasks job --heap 4g)",
                "  --skew S                   Zipf exponent of the developers' volume (default"
                        + " 1.0)",
                "  --events-per-week E        event-time density (default 2000000: N = 20 M is"
                        + " 10 weeks)",
                "  --seed S                   (default 42)",
                "  --checkpoint-interval-ms I (default 5000)",
                "  --heap H                   -Xmx of each measured JVM (default 2g)",
                "  --incremental true|false   RocksDB incremental checkpoints (default true;"
                        + " false: full snapshots, whose size is the live state)",
                "  --tasks job,sql,ceiling    which contenders (default all three; job-no-warnings:",
                "                             the job with --warning.enabled false; sql-in-week:",
                "                             the SQL with the week-to-date counts of every hour)",
                "  --file-mode                the job in file mode instead (one size, no peers)",
                "  --parser                   only the record parser, ns/record over --events"
                        + " generated records (1000000 is a good size)",
                "  --jfr                      record a JFR profile of the Flink JVMs",
                "  --sql-tuned                give the SQL source the job's Kafka consumer"
                        + " settings",
                "  --work-dir DIR             (default target/benchmark)",
                "");
    }

    /** One size's figures: the task results by task name, and the checks. */
    public record SizeReport(
            long events,
            Map<String, JsonNode> results,
            LoadGenerator.Summary load,
            Checks checks,
            JsonNode burst) {
        public double rate(String task) {
            JsonNode result = results.get(task);
            return result == null ? 0 : result.path("eventsPerSecond").asDouble();
        }
    }

    /**
     * What the figures must agree on: every event the job read was counted or dead-lettered, and
     * how far the SQL equivalent's rows are from the job's.
     */
    public record Checks(
            long deadLetters,
            long lateDeadLetters,
            long rowsEqual,
            long rowsCompared,
            long totalCountDifference,
            List<String> weeksCompared) {}

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (options.help) {
            System.out.print(usage());
            return;
        }
        if (options.parser) {
            ParserBenchmark.run(options.events, options.workDir, System.out);
            return;
        }
        List<SizeReport> reports = run(options, System.out);
        Path summary = options.workDir.resolve("results.json");
        Files.writeString(
                summary, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(reports));
        System.out.println("Results: " + summary.toAbsolutePath());
    }

    /** Runs the benchmark; prints as it goes and returns the figures of each size. */
    public static List<SizeReport> run(Options options, PrintStream out) throws Exception {
        Files.createDirectories(options.workDir);
        out.println(machine());
        List<SizeReport> reports = new ArrayList<>();
        List<Long> sizes =
                options.doubled && !options.fileMode
                        ? List.of(options.events, 2 * options.events)
                        : List.of(options.events);
        // Commit timestamps: when the burst's rows were committed (MondayBurst).
        try (EmbeddedPostgres postgres =
                EmbeddedPostgres.builder()
                        .setServerConfig("track_commit_timestamp", "on")
                        .start()) {
            if (options.fileMode) {
                reports.add(fileMode(options, postgres, out));
            } else {
                try (KafkaBroker broker = KafkaBroker.start()) {
                    warmUp(broker);
                    for (long size : sizes) {
                        reports.add(kafkaMode(options, broker, postgres, size, out));
                    }
                }
            }
        }
        print(reports, options, out);
        return reports;
    }

    private static SizeReport kafkaMode(
            Options options,
            KafkaBroker broker,
            EmbeddedPostgres postgres,
            long size,
            PrintStream out)
            throws Exception {
        String suffix = "-" + size;
        String topic = "bench-events" + suffix;
        String standards = "bench-standards" + suffix;
        String bindings = "bench-bindings" + suffix;
        String deadLetters = "bench-dlq" + suffix;
        broker.createTopic(standards, 1, true);
        broker.createTopic(bindings, 1, true);
        broker.createTopic(deadLetters, 1, false);
        publishUpdates(broker.bootstrapServers(), standards, bindings, options.developers);

        out.printf(
                Locale.ROOT,
                "%n== %,d events: pre-loading topic %s (%d partitions) …%n",
                size,
                topic,
                options.partitions);
        LoadGenerator.Options load =
                generatorOptions(options, size).kafka(broker.bootstrapServers(), topic);
        load.partitions(options.partitions);
        LocalDate monday = burstMonday(options, size);
        BurstWeek burstWeek =
                new BurstWeek(
                        monday.minusWeeks(1).atStartOfDay(BURST_ZONE).toInstant().toEpochMilli(),
                        monday.atStartOfDay(BURST_ZONE).toInstant().toEpochMilli());
        LoadGenerator.Summary loaded = LoadGenerator.run(load, null, burstWeek::see);
        out.printf(
                Locale.ROOT,
                "   loaded in %.1f s (%,.0f/s): %,d late, %,d too late, %,d malformed;"
                        + " generator's reordering buffer peak %,d events%n",
                loaded.seconds(),
                loaded.recordsPerSecond(),
                loaded.late(),
                loaded.tooLate(),
                loaded.malformed(),
                loaded.maxBuffered());

        String database = "bench_" + size;
        createDatabase(postgres, database);
        Map<String, String> common = new LinkedHashMap<>();
        common.put("bootstrap-servers", broker.bootstrapServers());
        common.put("topic", topic);
        common.put("events", String.valueOf(size));
        common.put("parallelism", String.valueOf(options.parallelism));
        common.put("checkpoint-interval-ms", String.valueOf(options.checkpointIntervalMs));
        common.put("incremental", String.valueOf(options.incremental));
        common.put("jdbc-url", postgres.getJdbcUrl("postgres", database));
        common.put("jdbc-user", "postgres");
        common.put("jdbc-password", "postgres");
        common.put("burst-monday-ms", String.valueOf(burstWeek.endMillis()));

        Map<String, JsonNode> results = new LinkedHashMap<>();
        for (String task : options.tasks.split(",")) {
            Map<String, String> args = new LinkedHashMap<>(common);
            args.put("group", "bench-" + task + suffix);
            args.put("work-dir", options.workDir.resolve(task + suffix).toString());
            if (task.startsWith("sql")) {
                args.put("sql-tuned", String.valueOf(options.sqlTuned));
            }
            if (task.startsWith("sql") && options.sqlSet != null) {
                args.put("sql-set", options.sqlSet);
            }
            if (task.startsWith("job")) {
                args.put("standards-topic", standards);
                args.put("bindings-topic", bindings);
                args.put("dlq-topic", deadLetters);
            }
            if (task.equals("job-no-warnings")) {
                // Tables and dead letters of its own: the same work as the job's, not a replay.
                String own = database + "_no_warnings";
                createDatabase(postgres, own);
                args.put("jdbc-url", postgres.getJdbcUrl("postgres", own));
                args.put("dlq-topic", deadLetters + "-no-warnings");
                broker.createTopic(deadLetters + "-no-warnings", 1, false);
            }
            if (task.equals("sql-in-week")) {
                // Tables of its own, so that it writes its rows as the SQL task does, not over
                // them.
                String own = database + "_sql_in_week";
                createDatabase(postgres, own);
                args.put("jdbc-url", postgres.getJdbcUrl("postgres", own));
            }
            out.printf(Locale.ROOT, "   %-8s … ", task);
            out.flush();
            JsonNode result = runTask(options, task, args, task + suffix);
            results.put(task, result);
            out.printf(
                    Locale.ROOT,
                    "%,10.0f events/s  (%.1f s, peak heap %s, live %s)%s%n",
                    result.path("eventsPerSecond").asDouble(),
                    result.path("seconds").asDouble(),
                    mib(result.path("peakHeapUsed").asLong()),
                    mib(result.path("peakLiveHeap").asLong()),
                    timeline(result));
        }
        JsonNode job = results.get("job");
        JsonNode burst = null;
        if (job != null) {
            out.printf(Locale.ROOT, "   burst    … ");
            out.flush();
            burst =
                    MondayBurst.measure(
                            common.get("jdbc-url"),
                            common.get("jdbc-user"),
                            common.get("jdbc-password"),
                            monday.minusWeeks(1).toString(),
                            job.path("watermarkPassedEpochMillis").asLong(),
                            burstWeek.onTimeDevelopers());
            out.println(burstLine(burst));
        }
        Checks checks = check(broker, deadLetters, common, results);
        return new SizeReport(size, results, loaded, checks, burst);
    }

    private static SizeReport fileMode(Options options, EmbeddedPostgres postgres, PrintStream out)
            throws Exception {
        long size = options.events;
        Path dir = Files.createDirectories(options.workDir.resolve("file-" + size));
        Path events = dir.resolve("callback-events.ndjson");
        out.printf(Locale.ROOT, "%n== file mode, %,d events: writing %s …%n", size, events);
        LoadGenerator.Summary loaded =
                LoadGenerator.run(generatorOptions(options, size).file(events.toString()), null);
        out.printf(
                Locale.ROOT,
                "   written in %.1f s (%,.0f/s), %s%n",
                loaded.seconds(),
                loaded.recordsPerSecond(),
                mib(Files.size(events)));
        Path standards = dir.resolve("availability-standards.ndjson");
        Path bindings = dir.resolve("wechat-bindings.ndjson");
        Files.write(standards, standardLines(options.developers), StandardCharsets.UTF_8);
        Files.write(bindings, bindingLines(options.developers), StandardCharsets.UTF_8);
        String database = "bench_file_" + size;
        createDatabase(postgres, database);
        Map<String, String> args = new LinkedHashMap<>();
        args.put("events-file", events.toAbsolutePath().toString());
        args.put("standards-file", standards.toAbsolutePath().toString());
        args.put("bindings-file", bindings.toAbsolutePath().toString());
        args.put("dlq-file", dir.resolve("dead-letter.ndjson").toAbsolutePath().toString());
        args.put("events", String.valueOf(size));
        args.put("parallelism", String.valueOf(options.parallelism));
        args.put("checkpoint-interval-ms", String.valueOf(options.checkpointIntervalMs));
        args.put("jdbc-url", postgres.getJdbcUrl("postgres", database));
        args.put("jdbc-user", "postgres");
        args.put("jdbc-password", "postgres");
        args.put("work-dir", dir.resolve("work").toString());
        out.printf(Locale.ROOT, "   %-8s … ", "job-file");
        out.flush();
        JsonNode result = runTask(options, "job-file", args, "job-file-" + size);
        out.printf(
                Locale.ROOT,
                "%,10.0f events/s  (%.1f s)%n",
                result.path("eventsPerSecond").asDouble(),
                result.path("seconds").asDouble());
        long deadLetters = Files.lines(dir.resolve("dead-letter.ndjson")).count();
        return new SizeReport(
                size,
                Map.of("job-file", result),
                loaded,
                new Checks(deadLetters, -1, -1, -1, -1, List.of()),
                null);
    }

    /**
     * The developerIds with an on-time event in the burst's week, seen as the load generator makes
     * them: their rows leave the job when the watermark passes the week's end. A developerId whose
     * events of the week all arrive late gets its first row when they are read, after the burst.
     */
    private record BurstWeek(long startMillis, long endMillis, BitSet ranks) {
        BurstWeek(long startMillis, long endMillis) {
            this(startMillis, endMillis, new BitSet());
        }

        void see(LoadGenerator.Generated record) {
            if (record.kind() == LoadGenerator.Kind.ON_TIME
                    && record.eventTime() >= startMillis
                    && record.eventTime() < endMillis) {
                ranks.set((int) (record.developerId() - LoadGenerator.developerId(0)));
            }
        }

        long[] onTimeDevelopers() {
            return ranks.stream().mapToLong(LoadGenerator::developerId).toArray();
        }
    }

    /**
     * The Monday that closes the last full event-time week of a run of {@code size} events: the
     * burst's. The scale run's input goes on for a day after it; other runs end there, and their
     * burst's rows leave the job with the final watermark.
     */
    static LocalDate burstMonday(Options options, long size) {
        return LoadGenerator.Options.DEFAULT_START.plusWeeks(
                Math.max(1, size / options.eventsPerWeek));
    }

    private static LoadGenerator.Options generatorOptions(Options options, long size) {
        return new LoadGenerator.Options()
                .events(size)
                .seed(options.seed)
                .developers(options.developers)
                .eventsPerWeek(options.eventsPerWeek)
                .skew(options.skew);
    }

    /** Runs one task in a fresh JVM and returns its result line. */
    private static JsonNode runTask(
            Options options, String task, Map<String, String> args, String name)
            throws IOException, InterruptedException {
        Path log = options.workDir.resolve(name + ".log");
        Path log4j = options.workDir.resolve("log4j2-benchmark.properties");
        Files.writeString(
                log4j,
                String.join(
                        "\n",
                        "rootLogger.level = WARN",
                        "rootLogger.appenderRef.console.ref = Console",
                        "appender.console.name = Console",
                        "appender.console.type = Console",
                        "appender.console.layout.type = PatternLayout",
                        "appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5level %c{1} - %m%n",
                        "logger.flink.name = org.apache.flink",
                        "logger.flink.level = "
                                + System.getProperty("benchmark.flink-log", "ERROR"),
                        ""));
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(
                List.of(
                        "-Xms" + options.heap,
                        "-Xmx" + options.heap,
                        "-XX:+UseG1GC",
                        "-Dlog4j.configurationFile=" + log4j.toAbsolutePath(),
                        "--add-opens",
                        "java.base/java.util=ALL-UNNAMED",
                        "--add-opens",
                        "java.base/java.lang=ALL-UNNAMED",
                        "--add-opens",
                        "java.base/java.nio=ALL-UNNAMED",
                        "--add-opens",
                        "java.base/sun.nio.ch=ALL-UNNAMED"));
        // Extra flags for the measured JVMs, for diagnosis (e.g. -XX:+PrintCompilation).
        String extra = System.getenv("BENCHMARK_TASK_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        if (options.jfr && !task.equals("ceiling")) {
            command.add(
                    "-XX:StartFlightRecording=filename="
                            + options.workDir.resolve(name + ".jfr").toAbsolutePath()
                            + ",settings=profile");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path")));
        command.add(BenchmarkTask.class.getName());
        command.add(task);
        args.forEach(
                (key, value) -> {
                    command.add("--" + key);
                    command.add(value);
                });
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        try {
            if (!process.waitFor(2, TimeUnit.HOURS)) {
                throw new IOException(task + " did not finish in 2 hours; see " + log);
            }
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith(BenchmarkTask.RESULT_PREFIX)) {
                return JSON.readTree(line.substring(BenchmarkTask.RESULT_PREFIX.length()));
            }
        }
        throw new IOException(
                task + " failed (exit " + process.exitValue() + "); see " + log.toAbsolutePath());
    }

    /** The invariants of one size: read = counted + dead-lettered, and job vs SQL rows. */
    private static Checks check(
            KafkaBroker broker,
            String deadLetterTopic,
            Map<String, String> common,
            Map<String, JsonNode> results)
            throws Exception {
        long deadLetters = -1;
        long late = -1;
        if (results.containsKey("job")) {
            long[] counted = countDeadLetters(broker.bootstrapServers(), deadLetterTopic);
            deadLetters = counted[0];
            late = counted[1];
        }
        long equal = -1;
        long compared = -1;
        long difference = -1;
        List<String> weeks = new ArrayList<>();
        if (results.containsKey("job") && results.containsKey("sql")) {
            try (Connection c =
                            java.sql.DriverManager.getConnection(
                                    common.get("jdbc-url"),
                                    common.get("jdbc-user"),
                                    common.get("jdbc-password"));
                    Statement s = c.createStatement()) {
                try (ResultSet rs =
                        s.executeQuery(
                                BenchmarkTask.compareCounts(
                                        "weekly_availability",
                                        "FULL JOIN",
                                        BenchmarkTask.SQL_TABLE))) {
                    rs.next();
                    compared = rs.getLong(1);
                    equal = rs.getLong(2);
                    difference = rs.getLong(3);
                }
                if (difference > 0) {
                    try (ResultSet rs =
                            s.executeQuery(
                                    "SELECT week_start, coalesce(sum(w.total_count), 0),"
                                            + " coalesce(sum(q.total_count), 0), count(*)"
                                            + " FILTER (WHERE w.total_count IS DISTINCT FROM"
                                            + " q.total_count) FROM weekly_availability w"
                                            + " FULL JOIN "
                                            + BenchmarkTask.SQL_TABLE
                                            + " q USING (developer_id, week_start) GROUP BY"
                                            + " week_start ORDER BY week_start")) {
                        while (rs.next()) {
                            weeks.add(
                                    rs.getString(1)
                                            + ": job "
                                            + rs.getLong(2)
                                            + ", SQL "
                                            + rs.getLong(3)
                                            + " ("
                                            + rs.getLong(4)
                                            + " rows differ)");
                        }
                    }
                }
            }
        }
        return new Checks(deadLetters, late, equal, compared, difference, weeks);
    }

    /**
     * Makes the fresh broker's internal topics, as any broker in use has them: {@code
     * __consumer_offsets} (made on a group's first offset lookup, which the job's committed-offsets
     * start does and the SQL's earliest-offset start does not) and {@code __transaction_state}
     * (made on the first transactional producer, the job's dead-letter sink). Each is 50 partitions
     * and took the first contender seconds of its start-up.
     */
    private static void warmUp(KafkaBroker broker) {
        String topic = "bench-warm-up";
        broker.createTopic(topic, 1, false);
        TopicPartition partition = new TopicPartition(topic, 0);
        Properties consumer = BenchmarkTask.consumerProperties(broker.bootstrapServers());
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, topic);
        try (KafkaConsumer<byte[], byte[]> offsets = new KafkaConsumer<>(consumer)) {
            offsets.assign(List.of(partition));
            offsets.commitSync(Map.of(partition, new OffsetAndMetadata(0)));
        }
        Properties producer = new Properties();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        producer.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic);
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> transactions = new KafkaProducer<>(producer)) {
            transactions.initTransactions();
            transactions.beginTransaction();
            transactions.send(new ProducerRecord<>(topic, bytes("warm-up")));
            transactions.commitTransaction();
        }
    }

    /** The committed dead letters: all, and those of reason LATE. */
    private static long[] countDeadLetters(String bootstrapServers, String topic) {
        Properties properties = BenchmarkTask.consumerProperties(bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        long all = 0;
        long late = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(500))) {
                    all++;
                    Header reason = record.headers().lastHeader("dlq.reason");
                    if (reason != null
                            && new String(reason.value(), StandardCharsets.UTF_8).equals("LATE")) {
                        late++;
                    }
                }
            }
        }
        return new long[] {all, late};
    }

    private static void publishUpdates(
            String bootstrapServers, String standards, String bindings, int developers) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties)) {
            for (String line : standardLines(developers)) {
                JsonNode json = readTree(line);
                String key =
                        json.path("developerId").asText() + ":" + json.path("version").asText();
                producer.send(new ProducerRecord<>(standards, bytes(key), bytes(line)));
            }
            for (String line : bindingLines(developers)) {
                JsonNode json = readTree(line);
                String key = json.path("developerId").asText() + ":" + json.path("openId").asText();
                producer.send(new ProducerRecord<>(bindings, bytes(key), bytes(line)));
            }
            producer.flush();
        }
    }

    /** The platform default and an own standard for every seventh developer. */
    static List<String> standardLines(int developers) {
        List<String> lines = new ArrayList<>();
        lines.add("{\"developerId\":0,\"standard\":\"0.995\",\"version\":1}");
        for (int rank = 0; rank < developers; rank += 7) {
            lines.add(
                    "{\"developerId\":"
                            + LoadGenerator.developerId(rank)
                            + ",\"standard\":\"0.99\",\"version\":1}");
        }
        return lines;
    }

    /** A primary engineer for every third developer. */
    static List<String> bindingLines(int developers) {
        List<String> lines = new ArrayList<>();
        for (int rank = 0; rank < developers; rank += 3) {
            long id = LoadGenerator.developerId(rank);
            lines.add(
                    "{\"developerId\":"
                            + id
                            + ",\"openId\":\"o"
                            + Long.toString(id * 7919, 36)
                            + "\",\"bound\":true,\"role\":\"primary\",\"version\":1}");
        }
        return lines;
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void createDatabase(EmbeddedPostgres postgres, String name) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name);
        }
    }

    static String machine() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        long memory = -1;
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            memory = sun.getTotalMemorySize();
        }
        return String.format(
                Locale.ROOT,
                "Machine: %d cores, %s memory, %s %s (%s), %s; load average %.2f at %s",
                os.getAvailableProcessors(),
                mib(memory),
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"),
                System.getProperty("java.vendor"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                os.getSystemLoadAverage(),
                LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 19));
    }

    private static void print(List<SizeReport> reports, Options options, PrintStream out) {
        out.println();
        out.println("== Results (" + machine() + ")");
        out.printf(
                Locale.ROOT,
                "%-12s %-8s %14s %9s %11s %11s %11s %10s %14s%n",
                "events",
                "task",
                "events/s",
                "seconds",
                "peak heap",
                "live heap",
                "peak RSS",
                "GC ms",
                "checkpoint");
        for (SizeReport report : reports) {
            for (Map.Entry<String, JsonNode> entry : report.results().entrySet()) {
                JsonNode r = entry.getValue();
                out.printf(
                        Locale.ROOT,
                        "%,12d %-8s %,14.0f %9.1f %11s %11s %11s %10d %14s%n",
                        report.events(),
                        entry.getKey(),
                        r.path("eventsPerSecond").asDouble(),
                        r.path("seconds").asDouble(),
                        mib(r.path("peakHeapUsed").asLong()),
                        mib(r.path("peakLiveHeap").asLong()),
                        mib(r.path("peakRss").asLong()),
                        r.path("gcMillis").asLong(),
                        r.has("maxCheckpointStateSize")
                                ? mib(r.path("maxCheckpointStateSize").asLong())
                                        + " ("
                                        + r.path("checkpoints").asLong()
                                        + ")"
                                : "-");
            }
        }
        out.println();
        for (SizeReport report : reports) {
            for (Map.Entry<String, JsonNode> entry : report.results().entrySet()) {
                String timeline = timeline(entry.getValue());
                if (!timeline.isEmpty()) {
                    out.printf(
                            Locale.ROOT,
                            "%,d %s%s%n",
                            report.events(),
                            entry.getKey(),
                            timeline.replaceFirst("^; ", ": "));
                }
            }
        }
        out.println();
        for (SizeReport report : reports) {
            double job = report.rate("job");
            out.printf(Locale.ROOT, "%,d events:", report.events());
            if (job > 0 && report.rate("sql") > 0) {
                out.printf(Locale.ROOT, "  job/SQL = %.2f (target >= 2)", job / report.rate("sql"));
            }
            if (job > 0 && report.rate("sql-in-week") > 0) {
                out.printf(
                        Locale.ROOT,
                        "  job/SQL with week-to-date = %.2f",
                        job / report.rate("sql-in-week"));
            }
            if (job > 0 && report.rate("ceiling") > 0) {
                out.printf(
                        Locale.ROOT,
                        "  job/ceiling = %.2f (target >= 0.3)",
                        job / report.rate("ceiling"));
            }
            out.println();
            double jobReading = reading(report, "job");
            double sqlReading = reading(report, "sql");
            if (jobReading > 0 && sqlReading > 0) {
                out.printf(
                        Locale.ROOT, "   while reading: job/SQL = %.2f%n", jobReading / sqlReading);
            }
            Checks c = report.checks();
            JsonNode jobResult = report.results().get("job");
            JsonNode ceiling = report.results().get("ceiling");
            if (jobResult != null && c.deadLetters() >= 0) {
                out.printf(
                        Locale.ROOT,
                        "   job counted %,d events in %,d rows, dead-lettered %,d (%,d LATE);"
                                + " read %,d%n",
                        jobResult.path("counted").asLong(),
                        jobResult.path("rows").asLong(),
                        c.deadLetters(),
                        c.lateDeadLetters(),
                        jobResult.path("counted").asLong() + c.deadLetters());
            }
            if (ceiling != null) {
                out.printf(
                        Locale.ROOT,
                        "   ceiling parsed %,d valid and %,d rejected records into %,d rows%n",
                        ceiling.path("accepted").asLong(),
                        ceiling.path("rejected").asLong(),
                        ceiling.path("rows").asLong());
            }
            if (c.rowsCompared() >= 0) {
                out.printf(
                        Locale.ROOT,
                        "   SQL rows equal to the job's: %,d of %,d (total counts differ by %,d"
                                + " events)%n",
                        c.rowsEqual(),
                        c.rowsCompared(),
                        c.totalCountDifference());
            }
            for (String week : c.weeksCompared()) {
                out.println("     week " + week);
            }
            if (jobResult != null) {
                out.println("   " + stateLine(jobResult));
            }
            if (report.burst() != null) {
                out.println("   burst: " + burstLine(report.burst()));
            }
            JsonNode sql = report.results().get("sql");
            if (sql != null && sql.has("plan")) {
                out.println("   SQL plan: " + sql.path("plan").asText());
            }
        }
        if (reports.size() == 2) {
            SizeReport n = reports.get(0);
            SizeReport n2 = reports.get(1);
            out.println();
            out.println("N -> 2N (flat means about 1.0):");
            for (String task : n.results().keySet()) {
                JsonNode a = n.results().get(task);
                JsonNode b = n2.results().get(task);
                if (b == null) {
                    continue;
                }
                double extraSeconds = b.path("seconds").asDouble() - a.path("seconds").asDouble();
                out.printf(
                        Locale.ROOT,
                        "   %-8s live heap %s -> %s (x%.2f), checkpoint max %s -> %s, last %s -> %s,"
                                + " marginal rate %s%n",
                        task,
                        mib(a.path("peakLiveHeap").asLong()),
                        mib(b.path("peakLiveHeap").asLong()),
                        ratio(b.path("peakLiveHeap").asLong(), a.path("peakLiveHeap").asLong()),
                        checkpoint(a, "maxCheckpointStateSize"),
                        checkpoint(b, "maxCheckpointStateSize"),
                        checkpoint(a, "lastCheckpointStateSize"),
                        checkpoint(b, "lastCheckpointStateSize"),
                        extraSeconds > 0
                                ? String.format(
                                        Locale.ROOT,
                                        "%,.0f events/s",
                                        (n2.events() - n.events()) / extraSeconds)
                                : "n/a (2N ran faster than N: the machine's load changed)");
            }
        }
    }

    /** The job's state: checkpoints (size, duration, per row written) and RocksDB's memory. */
    static String stateLine(JsonNode job) {
        JsonNode rocksDb = job.path("rocksDbPeaks");
        long rows = job.path("rows").asLong();
        return String.format(
                Locale.ROOT,
                "checkpoints: %d, largest %s (%,d B per row written), last %s; duration largest"
                        + " %.1f s, last %.1f s; RocksDB peaks: block cache (memtables"
                        + " included) %s, memtables %s, live data %s",
                job.path("checkpoints").asLong(),
                mib(job.path("maxCheckpointStateSize").asLong()),
                rows > 0 ? job.path("maxCheckpointStateSize").asLong() / rows : 0,
                mib(job.path("lastCheckpointStateSize").asLong()),
                job.path("maxCheckpointDurationMs").asLong() / 1e3,
                job.path("lastCheckpointDurationMs").asLong() / 1e3,
                mib(rocksDb.path("block-cache-usage").asLong()),
                mib(rocksDb.path("size-all-mem-tables").asLong()),
                mib(rocksDb.path("estimate-live-data-size").asLong()));
    }

    /** The Monday burst of the last week against its two ceilings (MondayBurst). */
    static String burstLine(JsonNode b) {
        Object[] values =
                Stream.of(
                                "week",
                                "rows",
                                "rowsCorrectedSince",
                                "rowTransactions",
                                "toLastRowSeconds",
                                "firstToLastRowSeconds",
                                "alerts",
                                "toLastAlertSeconds",
                                "copySeconds",
                                "jobToCopy",
                                "upsertSeconds",
                                "jobToUpsert",
                                "multiRowUpsertSeconds")
                        .map(b::path)
                        .map(
                                v ->
                                        v.isTextual()
                                                ? v.asText()
                                                : v.isIntegralNumber()
                                                        ? (Object) v.asLong()
                                                        : (Object) v.asDouble())
                        .toArray();
        return String.format(
                        Locale.ROOT,
                        "week %s: %,d rows (%,d corrected by late events since, their commits not"
                                + " counted) in %,d transactions, the last committed %.1f s after the"
                                + " watermark passed the week's end (first to last row %.1f s); %,d alerts,"
                                + " the last at %.1f s; COPY %.2f s (job = %.2f x COPY), batched upsert"
                                + " %.2f s (job = %.2f x upsert; as multi-row INSERTs %.2f s)",
                        values)
                + windowLine(b);
    }

    /** The rows of the windows that fired at the watermark apart from those late events made. */
    private static String windowLine(JsonNode b) {
        return ifMeasured(
                        b,
                        "toLastWindowRowSeconds",
                        "; the %,d rows of the windows that fired then (developerIds with an"
                                + " on-time event in the week): the last at %.1f s",
                        "windowRows")
                + ifMeasured(
                        b,
                        "toLastWindowAlertSeconds",
                        ", their last breach alert (of the weeks not corrected since) at %.1f s")
                + ifMeasured(
                        b,
                        "toLastRowMadeByLateEventsSeconds",
                        "; %,d rows made by late events, read after the burst: the last at %.1f s",
                        "rowsMadeByLateEvents");
    }

    /**
     * {@code format} of the counts named, then of the seconds {@code seconds}; empty when the burst
     * has no such figure.
     */
    private static String ifMeasured(JsonNode b, String seconds, String format, String... counts) {
        if (!b.has(seconds)) {
            return "";
        }
        Object[] values = new Object[counts.length + 1];
        for (int i = 0; i < counts.length; i++) {
            values[i] = b.path(counts[i]).asLong();
        }
        values[counts.length] = b.path(seconds).asDouble();
        return String.format(Locale.ROOT, format, values);
    }

    /** Start-up, reading and drain of a Flink run, from its source's record counter. */
    static String timeline(JsonNode r) {
        if (!r.has("readingEventsPerSecond")) {
            return "";
        }
        double first = r.path("firstReadSeconds").asDouble();
        double last = r.path("lastReadSeconds").asDouble();
        return String.format(
                Locale.ROOT,
                "; first event read at %.1f s, last at %.1f s: %,.0f events/s while reading,"
                        + " %.1f s to finish",
                first,
                last,
                r.path("readingEventsPerSecond").asDouble(),
                r.path("seconds").asDouble() - last);
    }

    private static double reading(SizeReport report, String task) {
        JsonNode r = report.results().get(task);
        return r == null ? 0 : r.path("readingEventsPerSecond").asDouble();
    }

    private static String checkpoint(JsonNode r, String field) {
        return r.has(field) ? mib(r.path(field).asLong()) : "-";
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    static String mib(long bytes) {
        if (bytes < 0) {
            return "?";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.0f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.0f MiB", bytes / (1024.0 * 1024));
    }
}
