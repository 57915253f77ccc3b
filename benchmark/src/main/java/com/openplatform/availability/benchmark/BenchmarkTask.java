package com.openplatform.availability.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openplatform.availability.AvailabilityJob;
import com.openplatform.availability.JobSinks;
import com.openplatform.availability.JobSources;
import com.openplatform.availability.config.JobConfig;
import com.openplatform.availability.records.CallbackEvent;
import com.openplatform.availability.records.CallbackEventParser;
import com.openplatform.availability.records.CallbackRecord;
import com.openplatform.availability.records.FailureReason;
import com.openplatform.availability.sinks.SchemaMigrations;
import com.openplatform.availability.time.CalendarWeeks;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One measured run, in a JVM of its own (started by {@link Benchmark}), so that every contender
 * gets the same fresh heap and its memory figures are its own: {@code job} (the job in bounded
 * Kafka mode), {@code job-file} (the job in file mode), {@code sql} (the Flink SQL equivalent),
 * {@code sql-in-week} (the same with the week-to-date counts of every hour) or {@code ceiling} (a
 * plain-Java parse-and-aggregate consumer). Prints one line {@code BENCHMARK-RESULT {json}}.
 */
public final class BenchmarkTask {
    static final String RESULT_PREFIX = "BENCHMARK-RESULT ";
    static final String SQL_TABLE = "sql_weekly_counts";
    static final String SQL_WEEK_TO_DATE_TABLE = "sql_week_to_date";

    /** The zone's offset, which must not change after 2000 (Asia/Shanghai's last did in 1991). */
    static long zoneOffsetMillis(String zone) {
        java.time.zone.ZoneRules rules = ZoneId.of(zone).getRules();
        if (rules.nextTransition(java.time.Instant.parse("2000-01-01T00:00:00Z")) != null) {
            throw new IllegalArgumentException(
                    zone + " changes its offset: the SQL equivalent needs a zone without DST");
        }
        return rules.getOffset(java.time.Instant.now()).getTotalSeconds() * 1000L;
    }

    /** 4 days: TUMBLE's 7-day windows start on Thursdays, the weekday of 1970-01-01. */
    static final long MONDAY_TO_THURSDAY_MILLIS = 4L * 24 * 60 * 60 * 1000;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * RocksDB's native metrics the job run reports, per column family: the block cache (shared by
     * the slot's state, and charged with the memtables, under managed memory), the memtables and
     * the live data.
     */
    private static final List<String> ROCKSDB_METRICS =
            List.of("block-cache-usage", "size-all-mem-tables", "estimate-live-data-size");

    /**
     * The RocksDB metric a REST subtask metric id reports, or null. RocksDB registers each as a
     * gauge named after its property, {@code rocksdb.<metric>}, in a group per column family; the
     * metric query service replaces the name's '.', so the REST API lists {@code <operator>.<column
     * family>.rocksdb_<metric>}.
     */
    static String rocksDbMetric(String id) {
        for (String metric : ROCKSDB_METRICS) {
            if (id.endsWith(".rocksdb_" + metric)) {
                return metric;
            }
        }
        return null;
    }

    private final Map<String, String> args;
    private final ObjectNode result = JSON.createObjectNode();

    private BenchmarkTask(Map<String, String> args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 1; i + 1 < argv.length; i += 2) {
            args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        BenchmarkTask task = new BenchmarkTask(args);
        task.result.put("task", argv[0]);
        switch (argv[0]) {
            case "job" -> task.job(false, true);
            case "job-no-warnings" -> task.job(false, false);
            case "job-file" -> task.job(true, true);
            case "sql" -> task.sql(false);
            case "sql-in-week" -> task.sql(true);
            case "ceiling" -> task.ceiling();
            default -> throw new IllegalArgumentException("unknown task " + argv[0]);
        }
        System.out.println(RESULT_PREFIX + JSON.writeValueAsString(task.result));
        System.out.flush();
        // The MiniCluster's and Kafka's non-daemon threads must not keep the JVM.
        System.exit(0);
    }

    private String arg(String name) {
        String value = args.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return value;
    }

    private int parallelism() {
        return Integer.parseInt(arg("parallelism"));
    }

    // ---------------------------------------------------------------------------------------
    // The job
    // ---------------------------------------------------------------------------------------

    /**
     * @param inWeek whether the in-week evaluation runs (the default); without it, the job as it
     *     was before warnings and week_to_date existed, for a before/after in one run
     */
    private void job(boolean fileMode, boolean inWeek) throws Exception {
        List<String> flags = new ArrayList<>(List.of("--warning.enabled", String.valueOf(inWeek)));
        if (fileMode) {
            flags.addAll(
                    List.of(
                            "--events.file", arg("events-file"),
                            "--standards.file", arg("standards-file"),
                            "--bindings.file", arg("bindings-file"),
                            "--dlq.file", arg("dlq-file")));
        } else {
            flags.addAll(
                    List.of(
                            "--kafka.bootstrap-servers", arg("bootstrap-servers"),
                            "--kafka.group-id", arg("group"),
                            "--kafka.stop-at-latest", "true",
                            "--topic.events", arg("topic"),
                            "--topic.standards", arg("standards-topic"),
                            "--topic.bindings", arg("bindings-topic"),
                            "--topic.dead-letter", arg("dlq-topic")));
        }
        flags.addAll(List.of("--jdbc.url", arg("jdbc-url"), "--jdbc.user", arg("jdbc-user")));
        // The generated weeks run on past today's date: none of them is a wrong clock.
        flags.addAll(List.of("--event.max-future", "365 d"));
        JobConfig config =
                JobConfig.fromArgs(
                        flags.toArray(new String[0]),
                        Map.of(JobConfig.ENV_JDBC_PASSWORD, arg("jdbc-password")));
        SchemaMigrations.migrate(config.jdbc());
        try (Cluster cluster = new Cluster()) {
            StreamExecutionEnvironment env = cluster.environment();
            AvailabilityJob.defineWorkflow(env, config, JobSources.of(config), JobSinks.of(config));
            try (HeapSampler heap = new HeapSampler()) {
                long began = System.nanoTime();
                JobClient client = env.executeAsync("benchmark-job");
                cluster.await(client, began, heap);
            }
        }
        putRowCounts("weekly_availability");
        if (inWeek) {
            putFirstRow(
                    "SELECT count(*), (SELECT count(*) FROM alert_delivery WHERE kind = 'WARNING')"
                            + " FROM week_to_date",
                    "weekToDateRows",
                    "warnings");
        }
    }

    // ---------------------------------------------------------------------------------------
    // The Flink SQL equivalent
    // ---------------------------------------------------------------------------------------

    /**
     * The same weekly counts in Flink SQL: a window TVF over the Kafka topic (JSON format), a
     * two-phase (local/global) window aggregation with mini-batches, into a JDBC upsert table.
     *
     * <p>TUMBLE is not calendar-aware: its 7-day windows start on Thursdays 00:00 (1970-01-01 was a
     * Thursday). The time attribute is therefore the local wall-clock time (a TIMESTAMP: the event
     * time plus the zone's offset) moved back 4 days, so each window is a Monday-to-Monday week,
     * and the week's start is the window's start plus 4 days: the calendar week in zones without
     * daylight saving time (Asia/Shanghai); zones with it are refused. The obvious SQL loses events
     * with the two-phase aggregation: TUMBLE's offset argument ({@code INTERVAL '4' DAY}) and a
     * TIMESTAMP_LTZ time attribute in a non-UTC {@code table.local-time-zone} both shift the
     * windows, the local aggregate ignores the shift when it decides to flush, and its partial
     * counts reach the global aggregate after the window fired and are dropped as late
     * (FLINK-36664; 10-45 % of a week here). There is no allowed lateness for window TVFs: the
     * watermark is delayed by the out-of-orderness plus the job's allowed lateness instead, so the
     * final counts include the same late events (the windows fire a day later than the job's first
     * result). The JSON format is lenient where the job is strict (docs/reference.md §3: it reads
     * "200" as 200 and 1.5 as 1), and watermarks are periodic, so a handful of records the job
     * rejects are counted.
     */
    static List<String> sqlStatements(Map<String, String> args, boolean inWeek) {
        String zone = args.getOrDefault("zone", "Asia/Shanghai");
        String source =
                "CREATE TABLE callback_events (\n"
                        + "  eventId STRING,\n"
                        + "  developerId BIGINT,\n"
                        + "  callbackType STRING,\n"
                        + "  eventTime BIGINT,\n"
                        + "  httpStatus INT,\n"
                        + "  latencyMs BIGINT,\n"
                        + "  responseOk BOOLEAN,\n"
                        // The local wall-clock time, Monday 00:00 moved onto the Thursday an
                        // epoch-aligned week starts on, as a TIMESTAMP (see above).
                        + "  ts AS CAST(TO_TIMESTAMP_LTZ(eventTime + "
                        + (zoneOffsetMillis(zone) - MONDAY_TO_THURSDAY_MILLIS)
                        + ", 3) AS TIMESTAMP(3)),\n"
                        // out-of-orderness 5 min + allowed lateness 1 d
                        + "  WATERMARK FOR ts AS ts - INTERVAL '1 00:05' DAY TO MINUTE\n"
                        + ") WITH (\n"
                        + "  'connector' = 'kafka',\n"
                        + "  'topic' = '"
                        + args.get("topic")
                        + "',\n"
                        + "  'properties.bootstrap.servers' = '"
                        + args.get("bootstrap-servers")
                        + "',\n"
                        + "  'properties.group.id' = '"
                        + args.get("group")
                        + "',\n"
                        + "  'scan.startup.mode' = 'earliest-offset',\n"
                        + "  'scan.bounded.mode' = 'latest-offset',\n"
                        + "  'format' = 'json',\n"
                        + "  'json.ignore-parse-errors' = 'true',\n"
                        + "  'json.fail-on-missing-field' = 'false'"
                        + (Boolean.parseBoolean(args.getOrDefault("sql-tuned", "false"))
                                // The job's consumer settings (KafkaInputs), for comparison.
                                ? ",\n  'properties.max.poll.records' = '5000',\n"
                                        + "  'properties.max.partition.fetch.bytes' = '8388608',\n"
                                        + "  'properties.source.reader.element.queue.capacity' = '8'"
                                : "")
                        + "\n)";
        String sink =
                jdbcSink(
                        args,
                        SQL_TABLE,
                        "  developer_id BIGINT,\n"
                                + "  week_start DATE,\n"
                                + COUNT_COLUMNS
                                + "  PRIMARY KEY (developer_id, week_start) NOT ENFORCED\n");
        String insert =
                "INSERT INTO "
                        + SQL_TABLE
                        + "\n"
                        + "SELECT developerId,"
                        + " CAST(window_start + INTERVAL '4' DAY AS DATE),\n"
                        + countsOf(
                                args,
                                "TUMBLE(TABLE callback_events, DESCRIPTOR(ts), INTERVAL '7' DAY)");
        List<String> statements =
                new ArrayList<>(
                        List.of(
                                "SET 'table.local-time-zone' = 'UTC'",
                                "SET 'table.exec.mini-batch.enabled' = 'true'",
                                "SET 'table.exec.mini-batch.allow-latency' = '1 s'",
                                "SET 'table.exec.mini-batch.size' = '5000'",
                                "SET 'table.optimizer.agg-phase-strategy' = 'TWO_PHASE'",
                                source,
                                sink,
                                insert));
        if (inWeek) {
            // The week so far at every hour boundary, one row per week kept up to date: the
            // counts of week_to_date, without its burn rates and warnings (docs/benchmarks.md).
            statements.add(
                    jdbcSink(
                            args,
                            SQL_WEEK_TO_DATE_TABLE,
                            "  developer_id BIGINT,\n"
                                    + "  week_start DATE,\n"
                                    + "  as_of TIMESTAMP(3),\n"
                                    + COUNT_COLUMNS
                                    + "  PRIMARY KEY (developer_id, week_start) NOT ENFORCED\n"));
            statements.add(
                    "INSERT INTO "
                            + SQL_WEEK_TO_DATE_TABLE
                            + "\n"
                            + "SELECT developerId,"
                            + " CAST(window_start + INTERVAL '4' DAY AS DATE),"
                            + " window_end + INTERVAL '4' DAY,\n"
                            + countsOf(
                                    args,
                                    "CUMULATE(TABLE callback_events, DESCRIPTOR(ts),"
                                            + " INTERVAL '1' HOUR, INTERVAL '7' DAY)"));
        }
        return statements;
    }

    private static final String COUNT_COLUMNS =
            "  total_count BIGINT,\n"
                    + "  failed_count BIGINT,\n"
                    + "  connect_error_count BIGINT,\n"
                    + "  timeout_count BIGINT,\n"
                    + "  http_error_count BIGINT,\n"
                    + "  bad_response_count BIGINT,\n";

    /** A JDBC upsert table, flushed every 5,000 rows or 200 ms like the job's sink. */
    private static String jdbcSink(Map<String, String> args, String table, String columns) {
        return "CREATE TABLE "
                + table
                + " (\n"
                + columns
                + ") WITH (\n"
                + "  'connector' = 'jdbc',\n"
                + "  'url' = '"
                + args.get("jdbc-url")
                + "',\n"
                + "  'table-name' = '"
                + table
                + "',\n"
                + "  'username' = '"
                + args.get("jdbc-user")
                + "',\n"
                + "  'password' = '"
                + args.get("jdbc-password")
                + "',\n"
                + "  'sink.buffer-flush.max-rows' = '5000',\n"
                + "  'sink.buffer-flush.interval' = '200ms'\n"
                + ")";
    }

    /**
     * The counts by failure reason per developerId and window of the given window TVF, over the
     * events the field rules accept: the rest of the SELECT after its key columns.
     */
    private static String countsOf(Map<String, String> args, String windows) {
        String timeout = args.getOrDefault("callback-timeout-ms", "3000");
        return "  COUNT(*),\n"
                + "  COUNT(reason),\n"
                + "  COUNT(*) FILTER (WHERE reason = 'CONNECT_ERROR'),\n"
                + "  COUNT(*) FILTER (WHERE reason = 'TIMEOUT'),\n"
                + "  COUNT(*) FILTER (WHERE reason = 'HTTP_ERROR'),\n"
                + "  COUNT(*) FILTER (WHERE reason = 'BAD_RESPONSE')\n"
                + "FROM (\n"
                + "  SELECT developerId, window_start, window_end,\n"
                + "    CASE WHEN httpStatus = 0 THEN 'CONNECT_ERROR'\n"
                + "         WHEN latencyMs > "
                + timeout
                + " THEN 'TIMEOUT'\n"
                + "         WHEN httpStatus <> 200 THEN 'HTTP_ERROR'\n"
                + "         WHEN NOT responseOk THEN 'BAD_RESPONSE' END AS reason\n"
                + "  FROM TABLE("
                + windows
                + ")\n"
                + "  WHERE eventId IS NOT NULL AND CHAR_LENGTH(eventId) BETWEEN 1 AND 128\n"
                + "    AND developerId >= 1\n"
                + "    AND callbackType IS NOT NULL"
                + " AND CHAR_LENGTH(callbackType) BETWEEN 1 AND 64\n"
                + "    AND eventTime BETWEEN 0 AND 253402300799999\n"
                + "    AND httpStatus BETWEEN 0 AND 599 AND latencyMs >= 0"
                + " AND responseOk IS NOT NULL\n"
                + ")\n"
                + "GROUP BY developerId, window_start, window_end";
    }

    /**
     * @param inWeek whether it also keeps the week-to-date counts of every hour ({@code
     *     sql-in-week}), in the same job, from the same source
     */
    private void sql(boolean inWeek) throws Exception {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE IF NOT EXISTS "
                            + SQL_TABLE
                            + " (developer_id BIGINT NOT NULL, week_start DATE NOT NULL, "
                            + COUNT_TABLE_COLUMNS
                            + ")");
            if (inWeek) {
                s.execute(
                        "CREATE TABLE IF NOT EXISTS "
                                + SQL_WEEK_TO_DATE_TABLE
                                + " (developer_id BIGINT NOT NULL, week_start DATE NOT NULL,"
                                + " as_of TIMESTAMP NOT NULL, "
                                + COUNT_TABLE_COLUMNS
                                + ")");
            }
        }
        try (Cluster cluster = new Cluster()) {
            StreamExecutionEnvironment env = cluster.environment();
            StreamTableEnvironment tables =
                    StreamTableEnvironment.create(env, EnvironmentSettings.inStreamingMode());
            List<String> inserts = new ArrayList<>();
            for (String statement : sqlStatements(args, inWeek)) {
                if (statement.startsWith("SET ")) {
                    String[] kv = statement.substring(4).split(" = ");
                    tables.getConfig().set(unquote(kv[0]), unquote(kv[1]));
                } else if (statement.startsWith("INSERT ")) {
                    inserts.add(statement);
                } else {
                    tables.executeSql(statement);
                }
            }
            // Overrides for experiments: --sql-set 'key=value;key=value'.
            for (String kv : args.getOrDefault("sql-set", "").split(";")) {
                if (kv.contains("=")) {
                    tables.getConfig()
                            .set(
                                    kv.substring(0, kv.indexOf('=')),
                                    kv.substring(kv.indexOf('=') + 1));
                }
            }
            // The weekly counts' plan, with the overrides.
            result.put("plan", optimizedPlan(tables.explainSql(inserts.get(0))));
            StatementSet job = tables.createStatementSet();
            inserts.forEach(job::addInsertSql);
            try (HeapSampler heap = new HeapSampler()) {
                long began = System.nanoTime();
                TableResult submitted = job.execute();
                JobClient client = submitted.getJobClient().orElseThrow();
                cluster.await(client, began, heap);
            }
        }
        putRowCounts(SQL_TABLE);
        if (inWeek) {
            // Its row of each week as of the week's end, against the week's counts: a late
            // callback is taken or dropped by each window TVF on its own (they have no allowed
            // lateness, and the watermark is periodic), so the two can differ by a few.
            putFirstRow(
                    compareCounts(SQL_WEEK_TO_DATE_TABLE, "LEFT JOIN", SQL_TABLE),
                    "weekToDateRows",
                    "weekToDateRowsEqualToWeekly",
                    "weekToDateDifferenceAtWeekEnd");
        }
    }

    /**
     * Compares two tables of counts per (developer_id, week_start): the rows the join gives, those
     * with all six counts equal, and the sum of their total counts' differences.
     */
    static String compareCounts(String left, String join, String right) {
        return "SELECT count(*), count(*) FILTER (WHERE w.total_count = q.total_count AND"
                + " w.failed_count = q.failed_count AND w.connect_error_count ="
                + " q.connect_error_count AND w.timeout_count = q.timeout_count AND"
                + " w.http_error_count = q.http_error_count AND w.bad_response_count ="
                + " q.bad_response_count), coalesce(sum(abs(coalesce(w.total_count, 0) -"
                + " coalesce(q.total_count, 0))), 0) FROM "
                + left
                + " w "
                + join
                + " "
                + right
                + " q USING (developer_id, week_start)";
    }

    private static final String COUNT_TABLE_COLUMNS =
            "total_count BIGINT NOT NULL, failed_count BIGINT NOT NULL,"
                    + " connect_error_count BIGINT NOT NULL, timeout_count BIGINT NOT NULL,"
                    + " http_error_count BIGINT NOT NULL, bad_response_count BIGINT NOT NULL,"
                    + " PRIMARY KEY (developer_id, week_start)";

    private static String unquote(String s) {
        return s.trim().replaceAll("^'|'$", "");
    }

    /** The physical plan's operator names, e.g. LocalWindowAggregate → GlobalWindowAggregate. */
    private static String optimizedPlan(String explain) {
        int at = explain.indexOf("== Optimized Physical Plan ==");
        int end = explain.indexOf("== Optimized Execution Plan ==");
        String physical =
                at < 0 ? explain : explain.substring(at, end < 0 ? explain.length() : end);
        List<String> operators = new ArrayList<>();
        for (String line : physical.split("\n")) {
            String trimmed = line.trim();
            int paren = trimmed.indexOf('(');
            if (paren > 0 && !trimmed.startsWith("==")) {
                operators.add(0, trimmed.substring(trimmed.startsWith("+-") ? 3 : 0, paren));
            }
        }
        return String.join(" -> ", operators);
    }

    // ---------------------------------------------------------------------------------------
    // The ceiling
    // ---------------------------------------------------------------------------------------

    /**
     * The least work the task needs: KafkaConsumers (one a thread, the partitions shared out) read
     * the topic from the start to its end, parse with the job's own parser and count per
     * (developerId, week) in a HashMap. No watermarks, lateness, state, checkpoints or output.
     */
    private void ceiling() throws Exception {
        String topic = arg("topic");
        int threads = parallelism();
        Properties properties = consumerProperties(arg("bootstrap-servers"));
        List<TopicPartition> partitions = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> probe = new KafkaConsumer<>(properties)) {
            for (PartitionInfo info : probe.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        ZoneId zone = ZoneId.of(args.getOrDefault("zone", "Asia/Shanghai"));
        long timeout = Long.parseLong(args.getOrDefault("callback-timeout-ms", "3000"));
        List<CompletableFuture<Counts>> workers = new ArrayList<>();
        long began;
        Counts total = new Counts();
        try (HeapSampler heap = new HeapSampler()) {
            began = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                List<TopicPartition> mine = new ArrayList<>();
                for (int p = t; p < partitions.size(); p += threads) {
                    mine.add(partitions.get(p));
                }
                workers.add(
                        CompletableFuture.supplyAsync(
                                () -> consume(properties, mine, zone, timeout),
                                command -> new Thread(command, "ceiling").start()));
            }
            for (CompletableFuture<Counts> worker : workers) {
                total.merge(worker.get());
            }
            long elapsed = System.nanoTime() - began;
            put(heap, elapsed, Long.parseLong(arg("events")));
        }
        result.put("rows", total.weeks.size());
        result.put("accepted", total.accepted);
        result.put("rejected", total.rejected);
        long failed = 0;
        for (long[] counts : total.weeks.values()) {
            failed += counts[1];
        }
        result.put("failed", failed);
    }

    private static Counts consume(
            Properties properties, List<TopicPartition> partitions, ZoneId zone, long timeout) {
        Counts counts = new Counts();
        if (partitions.isEmpty()) {
            return counts;
        }
        CallbackEventParser parser = new CallbackEventParser();
        CalendarWeeks weeks = new CalendarWeeks(zone);
        WeekKey probe = new WeekKey(0, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> remaining = new HashMap<>(end);
            remaining.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            while (!remaining.isEmpty()) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    byte[] value = record.value() == null ? new byte[0] : record.value();
                    CallbackRecord parsed = parser.parseRecord(value);
                    if (parsed.isRejected()) {
                        counts.rejected++;
                        continue;
                    }
                    counts.accepted++;
                    CallbackEvent event = parsed.getEvent();
                    probe.set(event.getDeveloperId(), weeks.startOf(event.getEventTime()));
                    long[] week = counts.weeks.get(probe);
                    if (week == null) {
                        week = new long[6];
                        counts.weeks.put(new WeekKey(probe.developerId, probe.weekStart), week);
                    }
                    week[0]++;
                    FailureReason reason = event.failureReason(timeout);
                    if (reason != null) {
                        week[1]++;
                        week[2 + reason.ordinal()]++;
                    }
                }
                remaining.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
        }
        return counts;
    }

    static Properties consumerProperties(String bootstrapServers) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return properties;
    }

    /** A mutable (developerId, weekStart) key, so that lookups allocate nothing. */
    private static final class WeekKey {
        long developerId;
        long weekStart;

        WeekKey(long developerId, long weekStart) {
            set(developerId, weekStart);
        }

        void set(long developerId, long weekStart) {
            this.developerId = developerId;
            this.weekStart = weekStart;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof WeekKey k
                    && k.developerId == developerId
                    && k.weekStart == weekStart;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(developerId * 31 + weekStart);
        }
    }

    /** One consumer's counts: total, failed, and failed per reason, per (developer, week). */
    private static final class Counts {
        final Map<WeekKey, long[]> weeks = new HashMap<>();
        long accepted;
        long rejected;

        void merge(Counts other) {
            accepted += other.accepted;
            rejected += other.rejected;
            other.weeks.forEach(
                    (key, theirs) -> {
                        long[] ours = weeks.computeIfAbsent(key, k -> new long[6]);
                        for (int i = 0; i < ours.length; i++) {
                            ours[i] += theirs[i];
                        }
                    });
        }
    }

    // ---------------------------------------------------------------------------------------
    // Shared
    // ---------------------------------------------------------------------------------------

    private void put(HeapSampler heap, long elapsedNanos, long events) {
        heap.close();
        double seconds = elapsedNanos / 1e9;
        result.put("events", events);
        result.put("seconds", seconds);
        result.put("eventsPerSecond", events / seconds);
        result.put("peakHeapUsed", heap.peakUsedBytes());
        result.put("peakLiveHeap", heap.peakLiveBytes());
        result.put("gcCount", heap.gcCount());
        result.put("gcMillis", heap.gcMillis());
        result.put("peakRss", HeapSampler.peakRssBytes());
        result.put("maxHeap", Runtime.getRuntime().maxMemory());
    }

    /** The rows a contender wrote and the events they count. */
    private void putRowCounts(String table) throws Exception {
        putFirstRow(
                "SELECT count(*), coalesce(sum(total_count), 0), coalesce(sum(failed_count), 0)"
                        + " FROM "
                        + table,
                "rows",
                "counted",
                "failed");
    }

    /** Puts the query's first row, numbers, into the result under the given names. */
    private void putFirstRow(String query, String... names) throws Exception {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            rs.next();
            for (int i = 0; i < names.length; i++) {
                result.put(names[i], rs.getLong(i + 1));
            }
        }
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection(arg("jdbc-url"), arg("jdbc-user"), arg("jdbc-password"));
    }

    /**
     * A MiniCluster like a one-TaskManager cluster of {@code flink-conf/config.yaml}: RocksDB with
     * incremental checkpoints, exactly-once checkpoints every {@code --checkpoint-interval-ms}, a
     * REST endpoint the checkpoint statistics are read from.
     */
    private final class Cluster implements AutoCloseable {
        private final MiniCluster cluster;
        private final Configuration configuration = new Configuration();
        private final Path checkpoints;
        private final HttpClient http = HttpClient.newHttpClient();

        Cluster() throws Exception {
            int parallelism = parallelism();
            checkpoints = Path.of(arg("work-dir")).toAbsolutePath().resolve("checkpoints");
            Files.createDirectories(checkpoints);
            configuration.setString("state.backend.type", "rocksdb");
            // As flink-conf/config.yaml, and RocksDB's memory (block cache and memtables) as its
            // TaskManager of 4096m with managed.fraction 0.4 has it: 1372m for its two slots. The
            // MiniCluster's default (128m) is a test's: at a million developerIds RocksDB then read
            // and decompressed an SST's whole index block for every window it fired.
            configuration.setString("state.backend.rocksdb.use-bloom-filter", "true");
            configuration.setString(
                    "state.backend.rocksdb.memory.partitioned-index-filters", "true");
            configuration.setString("taskmanager.memory.managed.size", "1372m");
            configuration.setString(
                    "execution.checkpointing.incremental",
                    args.getOrDefault("incremental", "true"));
            configuration.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
            configuration.setString("execution.checkpointing.mode", "EXACTLY_ONCE");
            configuration.setString(
                    "execution.checkpointing.interval", arg("checkpoint-interval-ms") + " ms");
            configuration.setString("execution.checkpointing.min-pause", "0 ms");
            configuration.setString("pipeline.max-parallelism", "128");
            // When the watermark passes the burst's Monday (BurstClock), every 100 ms.
            configuration.setString(
                    "metrics.reporter.burst.factory.class", BurstClock.Factory.class.getName());
            configuration.setString("metrics.reporter.burst.interval", "100 ms");
            System.setProperty(
                    BurstClock.MONDAY_PROPERTY, args.getOrDefault("burst-monday-ms", "-1"));
            // RocksDB's own memory figures, sampled with the read timeline below.
            for (String metric : ROCKSDB_METRICS) {
                configuration.setString("state.backend.rocksdb.metrics." + metric, "true");
            }
            // REST metrics every second (default 10 s): the read timeline below samples them. Each
            // update collects every metric of the TaskManager, so more often costs measurably.
            configuration.setString("metrics.fetcher.update-interval", "1000");
            configuration.set(RestOptions.PORT, 0);
            configuration.set(RestOptions.BIND_PORT, "0");
            configuration.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
            configuration.set(RestOptions.ADDRESS, "127.0.0.1");
            configuration.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
            cluster =
                    new MiniCluster(
                            new MiniClusterConfiguration.Builder()
                                    .setConfiguration(configuration)
                                    .setNumTaskManagers(1)
                                    .setNumSlotsPerTaskManager(parallelism)
                                    .build());
            cluster.start();
            TestStreamEnvironment.setAsContext(cluster, parallelism);
        }

        StreamExecutionEnvironment environment() {
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(configuration);
            env.configure(configuration);
            env.setParallelism(parallelism());
            return env;
        }

        /** Waits for the job to finish, sampling its checkpoints; records the figures. */
        void await(JobClient client, long began, HeapSampler heap) throws Exception {
            JobID id = client.getJobID();
            CompletableFuture<?> done = client.getJobExecutionResult();
            long maxStateSize = 0;
            long maxCheckpointed = 0;
            long maxDirectory = 0;
            long completed = 0;
            Progress progress = new Progress(id);
            while (!done.isDone()) {
                try {
                    done.get(1000, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException stillRunning) {
                    // sample below
                }
                maxDirectory = Math.max(maxDirectory, directorySize(checkpoints));
                progress.sample(began);
            }
            done.get(); // rethrows a failure
            long elapsed = System.nanoTime() - began;
            progress.put();
            put(heap, elapsed, Long.parseLong(arg("events")));
            JsonNode stats = checkpointStats(id);
            if (stats != null) {
                completed = stats.path("counts").path("completed").asLong();
                maxStateSize = stats.path("summary").path("state_size").path("max").asLong();
                maxCheckpointed =
                        stats.path("summary").path("checkpointed_size").path("max").asLong();
                result.put(
                        "lastCheckpointStateSize",
                        stats.path("latest").path("completed").path("state_size").asLong());
                result.put(
                        "maxCheckpointDurationMs",
                        stats.path("summary").path("end_to_end_duration").path("max").asLong());
                result.put(
                        "lastCheckpointDurationMs",
                        stats.path("latest")
                                .path("completed")
                                .path("end_to_end_duration")
                                .asLong());
            }
            result.put("checkpoints", completed);
            result.put("maxCheckpointStateSize", maxStateSize);
            result.put("maxCheckpointedSize", maxCheckpointed);
            result.put("maxCheckpointDirectory", maxDirectory);
        }

        /**
         * When the events source read its first and its last record (sampled every second from its
         * operator's numRecordsOut over REST): start-up, reading, and the drain after it (windows
         * firing, rows written, the final checkpoint) apart.
         */
        private final class Progress {
            private final JobID id;
            private String vertex;
            private String metric;
            private double firstSeconds = -1;
            private double lastSeconds = -1;
            private long lastCount = -1;
            private final Map<String, Long> rocksDbPeaks = new LinkedHashMap<>();
            private double nextRocksDbSeconds;

            /** [seconds, events read] every few seconds: where the reading rate ramps up. */
            private final ArrayNode timeline = JSON.createArrayNode();

            private double nextTimelineSeconds;

            Progress(JobID id) {
                this.id = id;
            }

            void sample(long began) {
                try {
                    if (vertex == null) {
                        for (JsonNode v : get("/jobs/" + id).path("vertices")) {
                            String name = v.path("name").asText();
                            if (name.contains("Callback events")
                                    || name.contains("callback_events")) {
                                vertex = v.path("id").asText();
                            }
                        }
                        if (vertex == null) {
                            return;
                        }
                    }
                    String base = "/jobs/" + id + "/vertices/" + vertex + "/subtasks/metrics";
                    if (metric == null) {
                        for (JsonNode m : get(base)) {
                            String name = m.path("id").asText();
                            if (name.startsWith("Source") && name.endsWith(".numRecordsOut")) {
                                metric = name;
                            }
                        }
                        if (metric == null) {
                            return;
                        }
                    }
                    JsonNode values = get(base + "?get=" + metric + "&agg=sum");
                    long count = values.path(0).path("sum").asLong();
                    double now = (System.nanoTime() - began) / 1e9;
                    if (count > 0 && firstSeconds < 0) {
                        firstSeconds = now;
                    }
                    if (count > lastCount) {
                        lastCount = count;
                        lastSeconds = now;
                    }
                    if (now >= nextRocksDbSeconds) {
                        sampleRocksDb();
                        nextRocksDbSeconds = now + 5;
                    }
                    if (now >= nextTimelineSeconds) {
                        timeline.add(JSON.createArrayNode().add(Math.round(now)).add(count));
                        nextTimelineSeconds = now + 5;
                    }
                } catch (Exception e) {
                    // the job is ending, or not yet running: try again
                }
            }

            /**
             * RocksDB's memory now, summed over the job's column families; the block cache, which
             * every column family of a slot shares and reports, counted once per slot (subtask).
             */
            private void sampleRocksDb() throws Exception {
                Map<String, Long> sums = new HashMap<>();
                for (JsonNode v : get("/jobs/" + id).path("vertices")) {
                    String base =
                            "/jobs/" + id + "/vertices/" + v.path("id").asText() + "/subtasks";
                    List<String> ids = new ArrayList<>();
                    for (JsonNode m : get(base + "/metrics")) {
                        String name = m.path("id").asText();
                        if (rocksDbMetric(name) != null) {
                            ids.add(name);
                        }
                    }
                    if (ids.isEmpty()) {
                        continue;
                    }
                    String query = String.join(",", ids);
                    for (JsonNode m : get(base + "/metrics?get=" + query + "&agg=sum,max")) {
                        String metric = rocksDbMetric(m.path("id").asText());
                        if (metric.equals("block-cache-usage")) {
                            sums.merge(metric, m.path("max").asLong(), Math::max);
                        } else {
                            sums.merge(metric, m.path("sum").asLong(), Long::sum);
                        }
                    }
                }
                sums.computeIfPresent("block-cache-usage", (k, perSlot) -> perSlot * parallelism());
                sums.forEach((metric, value) -> rocksDbPeaks.merge(metric, value, Math::max));
            }

            void put() {
                ObjectNode rocksDb = result.putObject("rocksDbPeaks");
                rocksDbPeaks.forEach(rocksDb::put);
                result.put("watermarkPassedEpochMillis", BurstClock.passedAtMillis());
                result.put("firstReadSeconds", firstSeconds);
                result.put("lastReadSeconds", lastSeconds);
                result.set("readTimeline", timeline);
                if (firstSeconds >= 0 && lastSeconds > firstSeconds) {
                    result.put(
                            "readingEventsPerSecond",
                            Long.parseLong(arg("events")) / (lastSeconds - firstSeconds));
                }
            }
        }

        private JsonNode get(String path) throws Exception {
            URI rest = cluster.getRestAddress().get();
            HttpResponse<String> response =
                    http.send(
                            HttpRequest.newBuilder(rest.resolve(path))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        }

        private JsonNode checkpointStats(JobID id) {
            try {
                URI rest = cluster.getRestAddress().get();
                HttpResponse<String> response =
                        http.send(
                                HttpRequest.newBuilder(rest.resolve("/jobs/" + id + "/checkpoints"))
                                        .timeout(Duration.ofSeconds(10))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
            } catch (Exception e) {
                result.put("checkpointStatsError", e.toString());
                return null;
            }
        }

        /** Closing keeps the interrupt for the caller rather than throwing it. */
        @Override
        public void close() {
            TestStreamEnvironment.unsetAsContext();
            try {
                cluster.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                throw new IllegalStateException("Could not stop the MiniCluster", e);
            }
        }
    }

    static long directorySize(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(
                            file -> {
                                try {
                                    return Files.size(file);
                                } catch (IOException gone) {
                                    return 0;
                                }
                            })
                    .sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }
}
