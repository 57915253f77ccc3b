package com.openplatform.availability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openplatform.availability.config.JobConfig;
import com.openplatform.availability.sinks.SchemaMigrations;
import com.openplatform.availability.testing.AlertChecks;
import com.openplatform.availability.testing.EmbeddedPostgresExtension;
import com.openplatform.availability.testing.MariaDbExtension;
import com.openplatform.availability.testing.MiniClusters;
import com.openplatform.availability.testing.ReferenceModel;
import com.openplatform.availability.testing.ResultTables;
import com.openplatform.availability.testing.TestData;
import com.openplatform.availability.testing.TestDatabase;
import com.openplatform.availability.testing.WeekToDateReference;
import com.openplatform.availability.testkit.CallbackDataGenerator;
import com.openplatform.availability.testkit.CallbackDataGenerator.GeneratedEvent;
import com.openplatform.availability.testkit.CallbackDataGenerator.Line;
import com.openplatform.availability.testkit.WechatSimulator;
import com.openplatform.availability.wechat.AlertTemplate;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The in-week evaluation (docs/reference.md §10) of the whole job on a MiniCluster (parallelism 2),
 * from files to PostgreSQL and to MariaDB, with the WeChat app and a warning template configured to
 * the simulator: the early warnings in the ledger and at WeChat, and the last week_to_date rows,
 * equal an independent calculation ({@link WeekToDateReference}).
 *
 * <p>The data: generated background traffic of three weeks in Europe/Berlin (the second, from
 * 2026-10-19, has 169 hours), and developerIds shaped to burn in one way each: a fast burn, a slow
 * burn, a week-to-date burn, too few callbacks to burn, a standard of 1 (budget 0), a burn only in
 * the week's last hour (no warning), a fast burn in the repeated hour of the DST change and a
 * week-to-date burn over it. Every event lies within the watermark's out-of-orderness, so an
 * evaluation at h sees exactly the events before h.
 */
class WeekToDateITCase {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final LocalDate W1 = LocalDate.of(2026, 10, 12);
    private static final LocalDate W2 = LocalDate.of(2026, 10, 19);
    private static final LocalDate W3 = LocalDate.of(2026, 10, 26);
    private static final String APP_ID = "wx5f3c0ffee0000007";
    private static final String APP_SECRET = "S3CRET-w33k-t0-d4t3";
    private static final String BREACH_TEMPLATE = "tpl-isv-availability";
    private static final DateTimeFormatter LOCAL_MINUTE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private static final long FAST = 200_001;
    private static final long SLOW_UNBOUND = 200_002;
    private static final long WEEK_TO_DATE = 200_003;
    private static final long LOW_VOLUME = 200_004;
    private static final long STANDARD_ONE = 200_005;
    private static final long LAST_HOUR = 200_006;
    private static final long DST_FAST = 200_007;
    private static final long DST_WEEK_TO_DATE = 200_008;

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.twoSlots(new Configuration());

    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    @RegisterExtension static final MariaDbExtension MARIADB = new MariaDbExtension();

    @TempDir Path dir;

    private WechatSimulator simulator;
    private long sequence;

    static Stream<TestDatabase> databases() {
        return Stream.of(POSTGRES, MARIADB);
    }

    @BeforeEach
    void startSimulator() throws Exception {
        simulator = new WechatSimulator(APP_ID, APP_SECRET).start();
    }

    @AfterEach
    void stopSimulator() {
        simulator.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void warningsAndWeekToDateRowsEqualAnIndependentCalculation(TestDatabase database)
            throws Exception {
        Inputs inputs = write();
        JobConfig config = config(inputs, database, b -> b.warningMaxAge(Duration.ofDays(365)));
        long started = System.nanoTime();
        run(config);
        long millis = (System.nanoTime() - started) / 1_000_000;

        Expectation expected = expected(config, inputs);
        assertTheDataIsShapedAsIntended(expected.inWeek.warnings());
        ResultTables tables = tables(config);

        List<String> ledger =
                WeekToDateReference.ledger(expected.inWeek.warnings(), inputs.bindings, "SENT");
        assertEquals(
                ledger, tables.warningDeliveries(), "one warning row per warned week and openId");
        assertTrue(ledger.stream().anyMatch(row -> row.contains("/NO_RECIPIENT/")));
        assertWarningMessagesOncePerOpenId(ledger);

        assertWeekToDate(expected, tables);
        assertEquals(expected.weekly.scaledRows(), tables.weeklyAvailability());
        AlertChecks.assertEachAlertDeliveredOnce(
                tables, expected.weekly.rows(), inputs.bindings, simulator, BREACH_TEMPLATE);
        assertEquals(0, simulator.duplicateCount(), "no resend reached WeChat");
        System.out.printf(
                "WeekToDateITCase on %s: %d events, %d warned weeks, %d warning rows, job %d ms%n",
                database,
                inputs.events.size(),
                expected.inWeek.warnings().size(),
                ledger.size(),
                millis);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void onOldDataWithTheDefaultMaxAgeEveryWarningIsStaleAndNoneIsSent(TestDatabase database)
            throws Exception {
        Inputs inputs = write();
        JobConfig config = config(inputs, database, b -> b);
        assertEquals(Duration.ofHours(6), config.warning().maxAge(), "the default max age");
        run(config);

        Expectation expected = expected(config, inputs);
        ResultTables tables = tables(config);
        List<String> ledger =
                WeekToDateReference.ledger(expected.inWeek.warnings(), inputs.bindings, "STALE");
        assertEquals(ledger, tables.warningDeliveries(), "every warning recorded STALE");
        assertTrue(
                simulator.messages().stream()
                        .noneMatch(m -> m.templateId().equals(AlertChecks.WARNING_TEMPLATE)),
                "no warning was sent");
        assertWeekToDate(expected, tables);
        // The breach alerts go out as ever.
        AlertChecks.assertEachAlertDeliveredOnce(
                tables, expected.weekly.rows(), inputs.bindings, simulator, BREACH_TEMPLATE);
    }

    // ---- the checks ----------------------------------------------------------------------

    /** The hand-made developerIds burn as designed (this checks the reference, too). */
    private static void assertTheDataIsShapedAsIntended(
            Map<String, WeekToDateReference.Warning> warnings) {
        assertWarning(warnings, FAST, W1, "FAST_BURN", hour(W1, 21));
        assertWarning(warnings, SLOW_UNBOUND, W1, "SLOW_BURN", hour(W1, 25));
        assertWarning(warnings, STANDARD_ONE, W1, "SLOW_BURN", hour(W1, 16));
        assertWarning(warnings, DST_FAST, W2, "FAST_BURN", hour(W2, 148));
        assertEquals("BUDGET_SPENT", warnings.get(WEEK_TO_DATE + "/" + W1).rule());
        assertEquals("BUDGET_SPENT", warnings.get(DST_WEEK_TO_DATE + "/" + W2).rule());
        assertNull(warnings.get(LOW_VOLUME + "/" + W1), "below --warning.min-callbacks");
        assertNull(warnings.get(LAST_HOUR + "/" + W1), "a burn in the week's last hour only");
        assertNull(warnings.get(FAST + "/" + W3), "a clean week");
    }

    private static void assertWarning(
            Map<String, WeekToDateReference.Warning> warnings,
            long developerId,
            LocalDate week,
            String rule,
            Instant asOf) {
        assertEquals(
                new WeekToDateReference.Warning(developerId, week, rule, asOf),
                warnings.get(developerId + "/" + week));
    }

    /** The week's last rows: as of its end, with the weekly row's counts and standard. */
    private static void assertWeekToDate(Expectation expected, ResultTables tables)
            throws Exception {
        Map<String, WeekToDateReference.Row> wanted = new TreeMap<>();
        expected.inWeek
                .rows()
                .forEach(
                        (key, row) -> {
                            ReferenceModel.Row weekly = expected.weekly.rows().get(key);
                            assertEquals(
                                    List.of(
                                            weekly.total(),
                                            weekly.failed(),
                                            weekly.connectError(),
                                            weekly.timeout(),
                                            weekly.httpError(),
                                            weekly.badResponse()),
                                    List.of(
                                            row.total(),
                                            row.failed(),
                                            row.connectError(),
                                            row.timeout(),
                                            row.httpError(),
                                            row.badResponse()),
                                    key + ": the last week_to_date row counts the weekly row");
                            assertEquals(
                                    0, weekly.availability().compareTo(row.availability()), key);
                            wanted.put(
                                    key,
                                    new WeekToDateReference.Row(
                                            row.developerId(),
                                            row.weekStart(),
                                            row.asOf(),
                                            row.total(),
                                            row.failed(),
                                            row.connectError(),
                                            row.timeout(),
                                            row.httpError(),
                                            row.badResponse(),
                                            ResultTables.scaled(row.availability()),
                                            ResultTables.scaled(row.standard()),
                                            ResultTables.rate(row.burnRate1h()),
                                            ResultTables.rate(row.burnRate6h()),
                                            row.onTrack()));
                        });
        assertEquals(wanted, tables.weekToDate(), "week_to_date as of each week's end");
        WeekToDateReference.Row dst = wanted.get(DST_FAST + "/" + W2);
        assertEquals(hour(W2, 169), dst.asOf(), "the DST week has 169 hours");
        assertFalse(wanted.get(LAST_HOUR + "/" + W1).onTrack(), "the last hour spent it");
        assertTrue(wanted.get(FAST + "/" + W3).onTrack());
        assertNull(wanted.get(STANDARD_ONE + "/" + W1).burnRate6h(), "no budget, no rate");
    }

    /** One message per warning row with an openId, with the warning template, none twice. */
    private void assertWarningMessagesOncePerOpenId(List<String> ledger) {
        Map<String, String[]> wanted = new TreeMap<>();
        for (String row : ledger) {
            String[] parts = row.split("/", -1);
            if (!parts[2].isEmpty()) {
                wanted.put(
                        AlertTemplate.clientMsgId(
                                Long.parseLong(parts[0]), parts[1], parts[2] + "/WARNING"),
                        parts);
            }
        }
        Map<String, Integer> sent = new TreeMap<>();
        for (WechatSimulator.Message message : simulator.messages()) {
            if (!message.templateId().equals(AlertChecks.WARNING_TEMPLATE)) {
                continue;
            }
            sent.merge(message.clientMsgId(), 1, Integer::sum);
            String[] row = wanted.get(message.clientMsgId());
            assertTrue(row != null, "a warning nobody expected: " + message);
            assertEquals(row[2], message.toUser(), "sent to the openId of its row");
            Instant asOf = Instant.parse(row[5]);
            assertEquals(
                    LOCAL_MINUTE.format(asOf.atZone(BERLIN)),
                    message.data().get("time7"),
                    "h in local time");
        }
        assertEquals(wanted.keySet(), sent.keySet(), "a message for every warning and openId");
        assertTrue(sent.values().stream().allMatch(n -> n == 1), "no warning twice: " + sent);
        assertFalse(wanted.isEmpty());
    }

    // ---- the data ------------------------------------------------------------------------

    /** The instant {@code hours} hours after the start of the week of {@code monday}. */
    private static Instant hour(LocalDate monday, long hours) {
        return monday.atStartOfDay(BERLIN).toInstant().plus(Duration.ofHours(hours));
    }

    /**
     * {@code perHour} callbacks of {@code developerId} in each hour [from, to) of the week, evenly
     * spread; {@code failures.applyAsInt(hour)} of them failed, the reasons taking turns.
     */
    private List<GeneratedEvent> hours(
            long developerId,
            LocalDate monday,
            int from,
            int to,
            int perHour,
            IntUnaryOperator failures) {
        List<GeneratedEvent> events = new ArrayList<>();
        for (int h = from; h < to; h++) {
            long start = hour(monday, h).toEpochMilli();
            int failed = failures.applyAsInt(h);
            for (int i = 0; i < perHour; i++) {
                long time = start + i * (3_600_000L / perHour) + 7;
                TestData.EventJson event =
                        TestData.event(developerId, time).id("wtd-" + (++sequence));
                if (i < failed) {
                    switch ((int) ((sequence) % 4)) {
                        case 0 -> event.connectError();
                        case 1 -> event.latency(5_000);
                        case 2 -> event.status(502);
                        default -> event.badReply();
                    }
                }
                events.add(event.generated());
            }
        }
        return events;
    }

    private List<GeneratedEvent> shapedEvents() {
        List<GeneratedEvent> events = new ArrayList<>();
        // 10 % failed in one hour: 14.4 × 0.005 = 7.2 % burns the hour.
        events.addAll(hours(FAST, W1, 10, 40, 120, h -> h == 20 ? 12 : 0));
        events.addAll(hours(FAST, W3, 0, 20, 120, h -> 0));
        // 5 of 120 (4.2 %) for six hours: not the hour's 7.2 %, but the six hours' 3 %.
        events.addAll(hours(SLOW_UNBOUND, W1, 10, 40, 120, h -> h >= 20 && h < 26 ? 5 : 0));
        // 10 an hour never fill a window to 100: only the week so far can burn.
        events.addAll(hours(WEEK_TO_DATE, W1, 0, 168, 10, h -> h % 5 == 0 ? 1 : 0));
        events.addAll(hours(LOW_VOLUME, W1, 50, 60, 5, h -> 3));
        // Standard 1: one failure burns any window of 100 or more (the hour has 20 only).
        events.addAll(hours(STANDARD_ONE, W1, 0, 21, 20, h -> h == 15 ? 1 : 0));
        // Half of the week's last hour fails: only h = week end sees it.
        events.addAll(hours(LAST_HOUR, W1, 160, 168, 120, h -> h == 167 ? 60 : 0));
        // Hour 147 of the week of 2026-10-19 is the second 02:00 of 2026-10-25 (CET).
        events.addAll(hours(DST_FAST, W2, 140, 152, 120, h -> h == 147 ? 20 : 0));
        events.addAll(hours(DST_WEEK_TO_DATE, W2, 0, 169, 10, h -> h % 4 == 0 ? 1 : 0));
        events.sort(Comparator.comparingLong(GeneratedEvent::eventTime));
        return events;
    }

    private static List<String> shapedBindings() {
        List<String> bindings = new ArrayList<>();
        for (long developerId :
                new long[] {
                    FAST,
                    WEEK_TO_DATE,
                    LOW_VOLUME,
                    STANDARD_ONE,
                    LAST_HOUR,
                    DST_FAST,
                    DST_WEEK_TO_DATE
                }) {
            bindings.add(TestData.binding(developerId, "o-" + developerId + "-a", true, 1));
        }
        bindings.add(TestData.binding(FAST, "o-" + FAST + "-b", true, 1));
        bindings.add(TestData.binding(DST_FAST, "o-" + DST_FAST + "-b", true, 1));
        bindings.add(TestData.binding(DST_FAST, "o-" + DST_FAST + "-b", false, 2));
        return bindings;
    }

    /**
     * The generated background (three weeks from {@link #W1}, no late events) with the shaped
     * events merged in: each after every generated event at or before its time, so that every event
     * stays within the out-of-orderness.
     */
    private Inputs write() throws Exception {
        CallbackDataGenerator generator =
                new CallbackDataGenerator(
                        new CallbackDataGenerator.Options()
                                .seed(23)
                                .developers(20)
                                .weeks(3)
                                .eventsPerWeek(400)
                                .firstMonday(W1)
                                .zone(BERLIN)
                                .malformedRatio(0)
                                .lateRatio(0)
                                .tooLateRatio(0));
        List<Line> background = generator.events();
        List<GeneratedEvent> shaped = shapedEvents();
        // lastAtOrBefore[i]: the largest index of a generated event with a time <= sorted time i.
        Integer[] order = new Integer[background.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong(i -> background.get(i).event().eventTime()));
        long[] times = new long[order.length];
        int[] lastAtOrBefore = new int[order.length];
        int max = -1;
        for (int k = 0; k < order.length; k++) {
            times[k] = background.get(order[k]).event().eventTime();
            max = Math.max(max, order[k]);
            lastAtOrBefore[k] = max;
        }
        Map<Integer, List<GeneratedEvent>> after = new TreeMap<>();
        for (GeneratedEvent event : shaped) {
            int k = upperBound(times, event.eventTime()) - 1;
            after.computeIfAbsent(k < 0 ? -1 : lastAtOrBefore[k], x -> new ArrayList<>())
                    .add(event);
        }
        Inputs inputs = new Inputs();
        inputs.events = new ArrayList<>();
        after.getOrDefault(-1, List.of()).forEach(e -> inputs.events.add(new Line(e.json(), e)));
        for (int i = 0; i < background.size(); i++) {
            inputs.events.add(background.get(i));
            after.getOrDefault(i, List.of()).forEach(e -> inputs.events.add(new Line(e.json(), e)));
        }
        assertEquals(background.size() + shaped.size(), inputs.events.size());
        inputs.standards = new ArrayList<>(generator.standards());
        inputs.standards.add(TestData.standard(STANDARD_ONE, "1", 1));
        inputs.bindings = new ArrayList<>(generator.bindings());
        inputs.bindings.addAll(shapedBindings());
        inputs.eventsFile =
                writeLines(
                        "events.ndjson",
                        inputs.events.stream().map(Line::json).collect(Collectors.toList()));
        inputs.standardsFile = writeLines("standards.ndjson", inputs.standards);
        inputs.bindingsFile = writeLines("bindings.ndjson", inputs.bindings);
        return inputs;
    }

    private static int upperBound(long[] sorted, long value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private String writeLines(String name, List<String> lines) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file.toString();
    }

    // ---- the expectation and the job -----------------------------------------------------

    private record Expectation(
            ReferenceModel.Expected weekly, WeekToDateReference.Expected inWeek) {}

    private static Expectation expected(JobConfig config, Inputs inputs) {
        ReferenceModel.Expected weekly =
                ReferenceModel.of(config).compute(inputs.events, inputs.standards);
        assertTrue(weekly.tooLate().isEmpty() && weekly.future().isEmpty());
        WeekToDateReference.Expected inWeek =
                new WeekToDateReference(
                                config.weekZone(),
                                config.callbackTimeout(),
                                config.watermarkOutOfOrderness(),
                                config.warning().fastBurnRate(),
                                config.warning().slowBurnRate(),
                                config.warning().minCallbacks())
                        .compute(
                                inputs.events,
                                (developerId, monday) ->
                                        weekly.rows().get(developerId + "/" + monday).standard(),
                                WeekToDateReference.Mode.EVENT_TIME);
        // Every event lies within the out-of-orderness: both readings agree.
        WeekToDateReference.Expected arrival =
                new WeekToDateReference(
                                config.weekZone(),
                                config.callbackTimeout(),
                                config.watermarkOutOfOrderness(),
                                config.warning().fastBurnRate(),
                                config.warning().slowBurnRate(),
                                config.warning().minCallbacks())
                        .compute(
                                inputs.events,
                                (developerId, monday) ->
                                        weekly.rows().get(developerId + "/" + monday).standard(),
                                WeekToDateReference.Mode.ARRIVAL);
        assertEquals(inWeek, arrival, "no event arrives late");
        return new Expectation(weekly, inWeek);
    }

    private void run(JobConfig config) throws Exception {
        SchemaMigrations.migrate(config.jdbc());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(200);
        AvailabilityJob.defineWorkflow(
                env, config, JobSources.files(config, Clock.systemUTC()), JobSinks.of(config));
        env.execute("week-to-date-itcase");
    }

    private JobConfig config(
            Inputs inputs, TestDatabase database, UnaryOperator<JobConfig.Builder> tweak)
            throws Exception {
        JobConfig.Builder builder =
                JobConfig.builder()
                        .eventsFile(inputs.eventsFile)
                        .standardsFile(inputs.standardsFile)
                        .bindingsFile(inputs.bindingsFile)
                        .dlqFile(dir.resolve("dlq.ndjson").toString())
                        .jdbcUrl(database.newDatabase())
                        .jdbcUser(database.user())
                        .jdbcPassword(database.password())
                        .weekZone(BERLIN)
                        .wechatApiBaseUrl(simulator.baseUrl())
                        .wechatAppId(APP_ID)
                        .wechatAppSecret(APP_SECRET)
                        .wechatTemplateId(BREACH_TEMPLATE)
                        .wechatWarningTemplateId(AlertChecks.WARNING_TEMPLATE)
                        .wechatSendRate(500)
                        .wechatRequestTimeout(Duration.ofSeconds(1))
                        .wechatRetryMaxBackoff(Duration.ofSeconds(1))
                        .wechatDrainTimeout(Duration.ofMinutes(1));
        JobConfig config = tweak.apply(builder).build();
        assertEquals(new BigDecimal("0.995"), config.standardDefault());
        return config;
    }

    private static ResultTables tables(JobConfig config) {
        return new ResultTables(
                config.jdbc().url(), config.jdbc().user(), config.jdbc().password());
    }

    private static final class Inputs {
        List<Line> events;
        List<String> standards;
        List<String> bindings;
        String eventsFile;
        String standardsFile;
        String bindingsFile;
    }
}
