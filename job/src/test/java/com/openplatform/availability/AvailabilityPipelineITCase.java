package com.openplatform.availability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openplatform.availability.config.JobConfig;
import com.openplatform.availability.records.RejectReason;
import com.openplatform.availability.sinks.SchemaMigrations;
import com.openplatform.availability.testing.EmbeddedPostgresExtension;
import com.openplatform.availability.testing.MariaDbExtension;
import com.openplatform.availability.testing.ReferenceModel;
import com.openplatform.availability.testing.ResultTables;
import com.openplatform.availability.testing.TestData;
import com.openplatform.availability.testing.TestDatabase;
import com.openplatform.availability.testkit.CallbackDataGenerator;
import com.openplatform.availability.testkit.CallbackDataGenerator.GeneratedEvent;
import com.openplatform.availability.testkit.CallbackDataGenerator.Line;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole pipeline on a MiniCluster (parallelism 2, RocksDB), from files to PostgreSQL and to
 * MariaDB: every test runs once per database, with the same assertions.
 */
class AvailabilityPipelineITCase {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The wall clock the job reads the events at: after every generated week. */
    private static final Instant NOW = Instant.parse("2026-11-29T00:00:00Z");

    private static final long FAR_FUTURE = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();

    /** Not one of the generated developers (100001…). */
    private static final long LATE_WORST_HOUR_DEVELOPER = 900_001L;

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(rocksDb())
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    @RegisterExtension static final MariaDbExtension MARIADB = new MariaDbExtension();

    @TempDir Path dir;

    static Stream<TestDatabase> databases() {
        return Stream.of(POSTGRES, MARIADB);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void rowsAndDeadLettersEqualAnIndependentCalculationAcrossDaylightSaving(TestDatabase database)
            throws Exception {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        // Three weeks from 2026-10-12: the week of 2026-10-19 has 169 hours there.
        CallbackDataGenerator generator =
                new CallbackDataGenerator(
                        new CallbackDataGenerator.Options()
                                .seed(7)
                                .developers(40)
                                .weeks(3)
                                .eventsPerWeek(1_500)
                                .firstMonday(LocalDate.of(2026, 10, 12))
                                .zone(berlin)
                                .lateRatio(0.01)
                                .tooLateRatio(0.005));
        // One host with a wrong clock, mid-stream: it must change no row (FUTURE, not counted).
        GeneratedEvent wrongClock =
                new GeneratedEvent("wrong-clock", 100001, "order.push", FAR_FUTURE, 200, 10, true);
        Inputs inputs =
                write(
                        generator,
                        events ->
                                inTheMiddle(
                                        withALateEventMovingTheWorstHour(events, berlin),
                                        wrongClock));
        JobConfig config = config(berlin, inputs, database);

        run(config);

        ReferenceModel.Expected expected =
                new ReferenceModel(
                                berlin,
                                config.callbackTimeout(),
                                config.watermarkOutOfOrderness(),
                                config.allowedLateness(),
                                config.standardDefault(),
                                NOW,
                                config.eventMaxFuture())
                        .compute(inputs.events, inputs.standards);
        ResultTables tables = tables(config);
        Map<String, ReferenceModel.Row> rows = tables.weeklyAvailability();
        assertEquals(expected.scaledRows(), rows);
        assertEquals(
                onlyBreaches(expected.scaledRows()),
                tables.breaches(),
                "availability_breach holds exactly the weeks not satisfied");
        assertFalse(onlyBreaches(expected.rows()).isEmpty(), "the data has breaches");
        assertFalse(expected.tooLate().isEmpty(), "the data has too-late events");
        assertEquals(List.of(wrongClock), expected.future());
        assertDiagnosesAreExactOrWithinOnePercent(expected.diagnoses(), tables.diagnoses());
        String moved = LATE_WORST_HOUR_DEVELOPER + "/2026-10-19";
        assertEquals(
                new ReferenceModel.Diagnosis(
                        120L,
                        500L,
                        500L,
                        Instant.parse("2026-10-19T07:00:00Z"),
                        5L,
                        Instant.parse("2026-10-25T01:00:00Z"),
                        3L,
                        3L),
                expected.diagnoses().get(moved),
                "the late failure makes the second 02:00 of the day clocks go back the worst hour"
                        + " (whether the first result reached the table before the correction"
                        + " depends on the sink's batches, so the revision is not checked)");

        List<JsonNode> deadLetters = readDeadLetters(config.dlqFile());
        assertEquals(
                sorted(
                        inputs.events.stream()
                                .filter(line -> line.event() == null)
                                .map(Line::json)
                                .collect(Collectors.toList())),
                raws(deadLetters, "events", "INVALID_JSON", "MISSING_FIELD", "INVALID_FIELD"),
                "every malformed event line is in the dead letter once");
        assertEquals(
                sorted(
                        expected.tooLate().stream()
                                .map(GeneratedEvent::json)
                                .collect(Collectors.toList())),
                raws(deadLetters, "events", "LATE"),
                "every too-late event is in the dead letter once, as LATE");
        assertEquals(
                List.of(wrongClock.json()),
                raws(deadLetters, "events", "FUTURE"),
                "the far-future event is a dead letter, as FUTURE");
        assertEquals(deadLetters.size(), raws(deadLetters, "events", reasons()).size() + 2);
        assertEquals(1, raws(deadLetters, "standards", reasons()).size());
        assertEquals(1, raws(deadLetters, "bindings", reasons()).size());

        assertEquals(
                ReferenceModel.alerts(expected.rows(), inputs.bindings),
                sorted(tables.alertDeliveries()),
                "one ledger row per breach and bound openId, SKIPPED with no WeChat app");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void replayingTheSameInputLeavesTheRowsAsTheyWere(TestDatabase database) throws Exception {
        ZoneId shanghai = ZoneId.of("Asia/Shanghai");
        CallbackDataGenerator generator =
                new CallbackDataGenerator(
                        new CallbackDataGenerator.Options()
                                .seed(11)
                                .developers(12)
                                .weeks(2)
                                .eventsPerWeek(400)
                                .zone(shanghai));
        Inputs inputs = write(generator);
        JobConfig config = config(shanghai, inputs, database);
        run(config);
        ResultTables tables = tables(config);
        Map<String, ReferenceModel.Row> first = tables.weeklyAvailability();
        long alerts = tables.scalar("SELECT count(*) FROM alert_delivery");

        run(config);

        assertEquals(first, tables.weeklyAvailability());
        assertEquals(alerts, tables.scalar("SELECT count(*) FROM alert_delivery"));
        assertEquals(
                0,
                tables.scalar(
                        "SELECT count(*) FROM (SELECT developer_id, week_start, open_id, kind"
                                + " FROM alert_delivery GROUP BY 1, 2, 3, 4 HAVING count(*) > 1)"
                                + " d"));
    }

    /** Every percentile within 1 % or 1 ms of the exact one; everything else exact. */
    private static void assertDiagnosesAreExactOrWithinOnePercent(
            Map<String, ReferenceModel.Diagnosis> expected,
            Map<String, ReferenceModel.Diagnosis> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach(
                (week, exact) -> {
                    ReferenceModel.Diagnosis row = actual.get(week);
                    assertLatency(exact.latencyP50(), row.latencyP50(), week + " p50");
                    assertLatency(exact.latencyP95(), row.latencyP95(), week + " p95");
                    assertLatency(exact.latencyP99(), row.latencyP99(), week + " p99");
                    assertEquals(
                            new ReferenceModel.Diagnosis(
                                    null,
                                    null,
                                    null,
                                    exact.peakHourStart(),
                                    exact.peakHourCount(),
                                    exact.worstHourStart(),
                                    exact.worstHourFailed(),
                                    exact.worstHourTotal()),
                            new ReferenceModel.Diagnosis(
                                    null,
                                    null,
                                    null,
                                    row.peakHourStart(),
                                    row.peakHourCount(),
                                    row.worstHourStart(),
                                    row.worstHourFailed(),
                                    row.worstHourTotal()),
                            week + ": peak and worst hours");
                });
    }

    private static void assertLatency(Long exact, Long actual, String what) {
        if (exact == null) {
            assertNull(actual, what);
        } else {
            assertTrue(
                    actual != null && Math.abs(actual - exact) <= Math.max(1, exact / 100.0),
                    what + ": " + actual + " for exact " + exact);
        }
    }

    /**
     * Adds a developer whose worst hour a late event moves, in the week clocks go back: two
     * failures in the first 02:00 hour of Sunday 25 October (+02:00), two in the second (+01:00),
     * so the earlier is the worst; then, after the week closed, a third failure in the second. Each
     * event goes where the generated events reach its time, so only the last one is late.
     */
    private static List<Line> inTheMiddle(List<Line> events, GeneratedEvent event) {
        List<Line> with = new ArrayList<>(events);
        with.add(with.size() / 2, new Line(event.json(), event));
        return with;
    }

    private static List<Line> withALateEventMovingTheWorstHour(List<Line> events, ZoneId zone) {
        List<Line> extra = new ArrayList<>();
        long monday = TestData.at(zone, "2026-10-19T09:00");
        for (int i = 1; i <= 5; i++) {
            extra.add(line(TestData.event(LATE_WORST_HOUR_DEVELOPER, monday + i).latency(100 * i)));
        }
        long firstTwo = Instant.parse("2026-10-25T00:10:00Z").toEpochMilli();
        long secondTwo = Instant.parse("2026-10-25T01:10:00Z").toEpochMilli();
        for (int i = 0; i < 2; i++) {
            extra.add(line(TestData.event(LATE_WORST_HOUR_DEVELOPER, firstTwo + i).status(500)));
            extra.add(line(TestData.event(LATE_WORST_HOUR_DEVELOPER, secondTwo + i).status(503)));
        }
        List<Line> merged = new ArrayList<>(events);
        for (Line line : extra) {
            merged.add(firstLaterThan(merged, line.event().eventTime()), line);
        }
        long weekEnd = TestData.at(zone, "2026-10-26T00:00");
        Line late =
                line(
                        TestData.event(LATE_WORST_HOUR_DEVELOPER, secondTwo + 30 * 60_000)
                                .connectError());
        merged.add(firstLaterThan(merged, weekEnd + Duration.ofHours(2).toMillis()), late);
        return merged;
    }

    private static int firstLaterThan(List<Line> events, long time) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).event() != null && events.get(i).event().eventTime() > time) {
                return i;
            }
        }
        throw new IllegalArgumentException("no event after " + Instant.ofEpochMilli(time));
    }

    private static Line line(TestData.EventJson json) {
        return new Line(json.json(), json.generated());
    }

    private void run(JobConfig config) throws Exception {
        SchemaMigrations.migrate(config.jdbc());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(500);
        AvailabilityJob.defineWorkflow(
                env,
                config,
                JobSources.files(config, Clock.fixed(NOW, ZoneOffset.UTC)),
                JobSinks.of(config));
        env.execute("pipeline-itcase");
    }

    private JobConfig config(ZoneId zone, Inputs inputs, TestDatabase database) throws Exception {
        return JobConfig.builder()
                .eventsFile(inputs.events())
                .standardsFile(inputs.standardsFile)
                .bindingsFile(inputs.bindingsFile)
                .dlqFile(dir.resolve("dlq.ndjson").toString())
                .jdbcUrl(database.newDatabase())
                .jdbcUser(database.user())
                .jdbcPassword(database.password())
                .weekZone(zone)
                .allowedLateness(Duration.ofDays(1))
                .build();
    }

    private static ResultTables tables(JobConfig config) {
        return new ResultTables(
                config.jdbc().connectionUrl(), config.jdbc().user(), config.jdbc().password());
    }

    private Inputs write(CallbackDataGenerator generator) throws Exception {
        return write(generator, UnaryOperator.identity());
    }

    private Inputs write(CallbackDataGenerator generator, UnaryOperator<List<Line>> events)
            throws Exception {
        Inputs inputs = new Inputs();
        inputs.events = events.apply(generator.events());
        inputs.standards = generator.standards();
        inputs.eventsFile =
                writeLines("events.ndjson", inputs.events.stream().map(Line::json).toList());
        inputs.standardsFile = writeLines("standards.ndjson", inputs.standards);
        inputs.bindings = generator.bindings();
        inputs.bindingsFile = writeLines("bindings.ndjson", inputs.bindings);
        return inputs;
    }

    private String writeLines(String name, List<String> lines) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file.toString();
    }

    private static Map<String, ReferenceModel.Row> onlyBreaches(
            Map<String, ReferenceModel.Row> rows) {
        return rows.entrySet().stream()
                .filter(e -> !e.getValue().satisfied())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static List<JsonNode> readDeadLetters(String file) throws Exception {
        List<JsonNode> letters = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
            letters.add(JSON.readTree(line));
        }
        return letters;
    }

    private static String[] reasons() {
        return Stream.of(RejectReason.values()).map(Enum::name).toArray(String[]::new);
    }

    private static List<String> raws(List<JsonNode> letters, String input, String... reasons) {
        List<String> wanted = List.of(reasons);
        return sorted(
                letters.stream()
                        .filter(l -> l.get("input").asText().equals(input))
                        .filter(l -> wanted.contains(l.get("reason").asText()))
                        .map(l -> l.get("raw").asText())
                        .collect(Collectors.toList()));
    }

    private static List<String> sorted(List<String> values) {
        List<String> copy = new ArrayList<>(values);
        Collections.sort(copy);
        return copy;
    }

    private static Configuration rocksDb() {
        Configuration config = new Configuration();
        config.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        return config;
    }

    private static final class Inputs {
        List<Line> events;
        List<String> standards;
        List<String> bindings;
        String eventsFile;
        String standardsFile;
        String bindingsFile;

        String events() {
            return eventsFile;
        }
    }
}
