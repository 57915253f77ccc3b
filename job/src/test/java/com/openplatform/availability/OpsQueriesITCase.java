package com.openplatform.availability;

import static com.openplatform.availability.testing.ResultWriter.alert;
import static com.openplatform.availability.testing.ResultWriter.week;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openplatform.availability.config.JdbcOptions;
import com.openplatform.availability.config.JdbcOptions.Dialect;
import com.openplatform.availability.records.AlertKind;
import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.DeliveryStatus;
import com.openplatform.availability.records.HourlyCounts;
import com.openplatform.availability.records.LatencyHistogram;
import com.openplatform.availability.records.WarningRule;
import com.openplatform.availability.records.WeekToDateRow;
import com.openplatform.availability.records.WeeklyCounts;
import com.openplatform.availability.records.WeeklyResult;
import com.openplatform.availability.sinks.SchemaMigrations;
import com.openplatform.availability.testing.EmbeddedPostgresExtension;
import com.openplatform.availability.testing.MariaDbExtension;
import com.openplatform.availability.testing.ResultWriter;
import com.openplatform.availability.testing.TestDatabase;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every SQL block of {@code docs/ops-queries.md} on PostgreSQL and MariaDB against a small
 * known data set, so that the document cannot rot. The data is placed relative to today's week in
 * Asia/Shanghai, as the queries compute "last week" from the clock.
 */
class OpsQueriesITCase {
    private static final Path DOC = Path.of("docs", "ops-queries.md");
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    /** {@code ```sql <id> [postgresql|mysql]} … {@code ```}: no dialect means both. */
    private static final Pattern BLOCK =
            Pattern.compile(
                    "^```sql ([a-z0-9-]+)(?: (postgresql|mysql))?\\n(.*?)^```$",
                    Pattern.MULTILINE | Pattern.DOTALL);

    /** In expected rows: an instant written during this test. */
    private static final String NOW = "<now>";

    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    @RegisterExtension static final MariaDbExtension MARIADB = new MariaDbExtension();

    static Stream<TestDatabase> databases() {
        return Stream.of(POSTGRES, MARIADB);
    }

    @Test
    void everyQueryOfTheDocumentHasItsExpectedRowsAndBothDialects() throws Exception {
        Map<String, Map<Dialect, String>> queries = queries();
        assertEquals(
                expected(LocalDate.of(2026, 11, 9)).keySet(),
                queries.keySet(),
                "every query in " + DOC + " is checked here, and nothing else");
        queries.forEach(
                (id, sql) ->
                        assertEquals(2, sql.size(), id + " has a PostgreSQL and a MySQL version"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void theDocumentedQueriesReturnTheExpectedRows(TestDatabase database) throws Exception {
        LocalDate thisMonday = thisMonday();
        LocalDate lastWeek = thisMonday.minusWeeks(1);
        Instant start = Instant.now().minusSeconds(1);
        JdbcOptions jdbc = database.newJdbcOptions();
        SchemaMigrations.migrate(jdbc);
        writeDataSet(new ResultWriter(jdbc), lastWeek);

        Map<String, List<String>> actual = new TreeMap<>();
        for (Map.Entry<String, Map<Dialect, String>> query : queries().entrySet()) {
            actual.put(
                    query.getKey(),
                    run(jdbc, query.getValue().get(jdbc.dialect()), start, query.getKey()));
        }
        Assumptions.assumeTrue(
                thisMonday.equals(thisMonday()), "a new week began during the test: try again");

        Map<String, List<String>> expected = expected(lastWeek);
        assertAll(
                expected.keySet().stream()
                        .map(id -> () -> assertEquals(expected.get(id), actual.get(id), id)));
    }

    /** The rows of each query for the data set, columns joined by '|'. */
    private static Map<String, List<String>> expected(LocalDate l) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        rows.put(
                "last-week-breaches",
                List.of(
                        "100237|" + l + "|100|50|0.5|0.995|CONNECT_ERROR|50|1",
                        "100234|" + l + "|1000|10|0.99|0.995|TIMEOUT|8|1",
                        "100235|" + l + "|10005|15|0.9985007496|0.999|HTTP_ERROR|15|2"));
        List<String> trend = new ArrayList<>();
        for (int k = 11; k >= 0; k--) {
            if (k == 5) {
                continue; // no callbacks that week
            }
            trend.add(
                    l.minusWeeks(k)
                            + (k == 0
                                    ? "|1000|10|0.99|0.995|false|TIMEOUT|1"
                                    : k == 3
                                            ? "|1000|20|0.98|0.995|false|BAD_RESPONSE|1"
                                            : "|1000|2|0.998|0.995|true|CONNECT_ERROR|1"));
        }
        rows.put("developer-trend", trend);
        LocalDate t = l.plusWeeks(1);
        rows.put(
                "deliveries-not-sent",
                List.of(
                        "100240|" + t + "||NO_RECIPIENT|0|null|<now>|<now>",
                        "100235|" + l + "|o-100235-b|FAILED|3|45009 api daily quota|<now>|<now>",
                        "100236|" + l + "|o-100236-a|STALE|0|null|<now>|<now>",
                        "100237|" + l + "||NO_RECIPIENT|0|null|<now>|<now>",
                        "100238|"
                                + l.minusWeeks(1)
                                + "|o-100238-a|UNREACHABLE|1|43004 require subscribe|<now>|<now>"));
        rows.put(
                "breaches-without-sent-alert",
                List.of(
                        "100237|" + l + "|0.5|0.995|CONNECT_ERROR|1|NO_RECIPIENT",
                        "100238|" + l.minusWeeks(1) + "|0.9|0.995|TIMEOUT|1|UNREACHABLE",
                        "100239|" + l.minusWeeks(2) + "|0.95|0.995|HTTP_ERROR|0|null"));
        List<String> overview = new ArrayList<>();
        for (int k = 0; k <= 11; k++) {
            String counts =
                    switch (k) {
                        case 0 -> "4|3|1|2|2";
                        case 1 -> "2|1|0|0|1";
                        case 2 -> "2|1|0|0|0";
                        case 3 -> "1|1|0|1|0";
                        case 5 -> null;
                        default -> "1|0|0|0|0";
                    };
            if (counts != null) {
                overview.add(l.minusWeeks(k) + "|" + counts);
            }
        }
        rows.put("weekly-overview", overview);
        rows.put(
                "recent-corrections",
                List.of("100235|" + l + "|2|false|0.9985007496|0.999|<now>|<now>"));
        rows.put("failures-by-callback-type", List.of("order.cancel|5|5", "order.push|995|5"));
        rows.put(
                "slowest-providers",
                List.of(
                        "100235|" + l + "|80|1496|1496|10005|15",
                        "100237|" + l + "|201|201|201|100|50",
                        "100234|" + l + "|120|120|2896|1000|10",
                        "100236|" + l + "|60|60|60|1000|0"));
        rows.put(
                "failures-by-hour",
                List.of(
                        l + "|10|" + l.plusDays(1) + " 10:00|8|120|" + l.plusDays(2) + " 20:00|150",
                        l.minusWeeks(1) + "|2|null|null|null|null|null",
                        l.minusWeeks(2) + "|2|null|null|null|null|null",
                        l.minusWeeks(3)
                                + "|20|"
                                + l.minusWeeks(3).plusDays(6)
                                + " 23:00|20|40|"
                                + l.minusWeeks(3)
                                + " 09:00|60"));
        rows.put(
                "burning-now",
                List.of(
                        "100235|" + t + "|" + t + " 10:00|2000|30|0.985|0.999|2|3|false",
                        "100236|" + t + "|" + t + " 10:00|500|40|0.92|0.995|20|null|true"));
        rows.put(
                "warned-weeks",
                List.of(
                        "100240|"
                                + t
                                + "|BUDGET_SPENT|"
                                + t
                                + " 08:00|0|NO_RECIPIENT|RUNNING|null|null",
                        "100237|" + l + "|BUDGET_SPENT|" + l + " 02:00|1|SENT|BREACH|0.5|0.995",
                        "100236|" + l + "|FAST_BURN|" + l + " 09:00|0|STALE|SATISFIED|1|0.995",
                        "100234|"
                                + l
                                + "|SLOW_BURN|"
                                + l.plusDays(1)
                                + " 06:00|1|SENT|BREACH|0.99|0.995"));
        return rows;
    }

    /**
     * The in-week results (docs/reference.md §10): this week's week_to_date rows (100234 on track
     * and slow, 100235 off track, 100236 burning fast; 100237's of last week), and early warnings:
     * 100234 last week (SENT, then breached), 100236 last week (STALE, then satisfied), 100237 last
     * week (SENT to an openId since unbound: its breach alert still reached nobody), 100240 this
     * week (nobody bound, running) and 100241 three weeks ago (too old to list).
     */
    private static void writeInWeek(ResultWriter writer, LocalDate l) throws SQLException {
        LocalDate t = l.plusWeeks(1);
        writer.weekToDate(
                running(100234, t, 1000, 2, "0.995", "0.4", "0.2", true),
                running(100235, t, 2000, 30, "0.999", "2", "3", false),
                running(100236, t, 500, 40, "0.995", "20", null, true),
                running(100237, l, 100, 50, "0.995", null, null, false));
        writer.alerts(
                List.of(
                        warning(100234, l, "SLOW_BURN", 30, "o-100234-a", DeliveryStatus.SENT),
                        warning(100236, l, "FAST_BURN", 9, "o-100236-a", DeliveryStatus.STALE),
                        warning(100237, l, "BUDGET_SPENT", 2, "o-100237-x", DeliveryStatus.SENT),
                        warning(100240, t, "BUDGET_SPENT", 8, null, DeliveryStatus.NO_RECIPIENT),
                        warning(
                                100241,
                                l.minusWeeks(2),
                                "FAST_BURN",
                                5,
                                "o-100241-a",
                                DeliveryStatus.SENT)));
    }

    /** A week_to_date row as of 10:00 on the week's Monday, Shanghai time. */
    private static WeekToDateRow running(
            long developerId,
            LocalDate monday,
            long total,
            long failed,
            String standard,
            String rate1h,
            String rate6h,
            boolean onTrack) {
        WeekToDateRow row = new WeekToDateRow();
        long start = monday.atStartOfDay(SHANGHAI).toInstant().toEpochMilli();
        row.setDeveloperId(developerId);
        row.setWeekStart(monday.toString());
        row.setWeekStartMillis(start);
        row.setWeekEndMillis(monday.plusWeeks(1).atStartOfDay(SHANGHAI).toInstant().toEpochMilli());
        row.setAsOfMillis(start + 10 * HourlyCounts.HOUR_MILLIS);
        row.setTotalCount(total);
        row.setFailedCount(failed);
        row.setTimeoutCount(failed);
        row.setAvailability(
                BigDecimal.valueOf(total - failed)
                        .divide(BigDecimal.valueOf(total), 10, java.math.RoundingMode.DOWN));
        row.setStandard(new BigDecimal(standard));
        row.setBurnRate1h(rate1h == null ? null : new BigDecimal(rate1h));
        row.setBurnRate6h(rate6h == null ? null : new BigDecimal(rate6h));
        row.setOnTrack(onTrack);
        return row;
    }

    /** A warning of {@code monday}'s week at {@code hours} after its start, as recorded. */
    private static AlertRequest warning(
            long developerId,
            LocalDate monday,
            String rule,
            int hours,
            String openId,
            DeliveryStatus status) {
        long start = monday.atStartOfDay(SHANGHAI).toInstant().toEpochMilli();
        AlertRequest warning = new AlertRequest();
        warning.setKind(AlertKind.WARNING);
        warning.setRule(WarningRule.valueOf(rule));
        warning.setDeveloperId(developerId);
        warning.setWeekStart(monday.toString());
        warning.setWeekStartMillis(start);
        warning.setWeekEndMillis(
                monday.plusWeeks(1).atStartOfDay(SHANGHAI).toInstant().toEpochMilli());
        warning.setAsOfMillis(start + hours * HourlyCounts.HOUR_MILLIS);
        warning.setOpenId(openId == null ? AlertRequest.NO_OPEN_ID : openId);
        warning.setStatus(status);
        warning.setStandard(new BigDecimal("0.995"));
        warning.setAvailability(new BigDecimal("0.99"));
        warning.setWindowAvailability(new BigDecimal("0.9"));
        warning.setTotalCount(1000);
        warning.setFailedCount(10);
        return warning;
    }

    /**
     * developerId 100234: 14 weeks up to last week but the 6th-last (no callbacks), breaches last
     * week (TIMEOUT, alert SENT) and 4 weeks ago (BAD_RESPONSE, alert SENT). Last week also: 100235
     * corrected from satisfied to a breach (alerts SENT and FAILED), 100236 satisfied, 100237 a
     * breach nobody is bound for. 100238: a breach the week before (UNREACHABLE); 100239: a breach
     * two weeks before with no ledger row.
     */
    private static void writeDataSet(ResultWriter writer, LocalDate l) throws SQLException {
        List<WeeklyResult> weeks = new ArrayList<>();
        for (int k = 13; k >= 1; k--) {
            if (k != 3 && k != 5) {
                weeks.add(week(100234, l.minusWeeks(k), SHANGHAI, "0.995", 998, 1, 1, 0, 0));
            }
        }
        // Diagnoses: latencies as {value, times}, hours (from the week start) as {hour, total,
        // failed}. The weeks without one stand for rows written before schema version 2.
        WeeklyResult badResponses =
                diagnosed(
                        week(100234, l.minusWeeks(3), SHANGHAI, "0.995", 980, 0, 0, 0, 20),
                        new long[][] {{100, 1000}},
                        new int[][] {{9, 60, 0}, {167, 40, 20}});
        WeeklyResult timeouts =
                diagnosed(
                        week(100234, l, SHANGHAI, "0.995", 990, 0, 8, 2, 0),
                        new long[][] {{120, 980}, {2896, 20}},
                        new int[][] {{34, 120, 8}, {68, 150, 2}});
        WeeklyResult nobodyBound =
                diagnosed(
                        week(100237, l, SHANGHAI, "0.995", 50, 50),
                        new long[][] {{201, 50}},
                        new int[][] {{0, 100, 50}});
        WeeklyResult unreachable = week(100238, l.minusWeeks(1), SHANGHAI, "0.995", 900, 0, 100);
        weeks.addAll(
                List.of(
                        badResponses,
                        timeouts,
                        week(100235, l, SHANGHAI, "0.999", 9990, 0, 0, 10, 0),
                        diagnosed(
                                week(100236, l, SHANGHAI, "0.995", 1000),
                                new long[][] {{60, 1000}},
                                new int[][] {{1, 1000, 0}}),
                        nobodyBound,
                        unreachable,
                        week(100239, l.minusWeeks(2), SHANGHAI, "0.995", 95, 0, 0, 5)));
        writer.weeks(weeks.toArray(new WeeklyResult[0]));
        // A late batch of HTTP errors turns 100235's satisfied week into a breach.
        WeeklyResult corrected =
                diagnosed(
                        week(100235, l, SHANGHAI, "0.999", 9990, 0, 0, 15, 0),
                        new long[][] {{80, 9000}, {1496, 1005}},
                        new int[][] {{50, 10005, 15}});
        writer.weeks(corrected);

        List<AlertRequest> alerts =
                List.of(
                        alert(timeouts, "o-100234-a"),
                        alert(badResponses, "o-100234-a"),
                        alert(corrected, "o-100235-a"),
                        alert(corrected, "o-100235-b"),
                        alert(nobodyBound, null),
                        alert(unreachable, "o-100238-a"));
        writer.alerts(alerts);
        // What the WeChat sink records.
        delivered(writer, 100234, l, "o-100234-a", "SENT", 1, "9001", null);
        delivered(writer, 100234, l.minusWeeks(3), "o-100234-a", "SENT", 1, "8001", null);
        delivered(writer, 100235, l, "o-100235-a", "SENT", 2, "9002", null);
        delivered(writer, 100235, l, "o-100235-b", "FAILED", 3, null, "45009 api daily quota");
        delivered(
                writer,
                100238,
                l.minusWeeks(1),
                "o-100238-a",
                "UNREACHABLE",
                1,
                null,
                "43004 require subscribe");
        writeInWeek(writer, l);
    }

    /** {@code week} with the given latencies ({value, times}) and hours ({hour, total, failed}). */
    private static WeeklyResult diagnosed(WeeklyResult week, long[][] latencies, int[][] hours) {
        WeeklyCounts counts = week.getCounts();
        LatencyHistogram histogram = new LatencyHistogram();
        for (long[] latency : latencies) {
            for (long i = 0; i < latency[1]; i++) {
                histogram.record(latency[0]);
            }
        }
        HourlyCounts hourly =
                new HourlyCounts(counts.getWeekStartMillis(), counts.getWeekEndMillis());
        for (int[] hour : hours) {
            for (int i = 0; i < hour[1]; i++) {
                hourly.count(hour[0], i < hour[2]);
            }
        }
        counts.addDiagnosis(histogram, hourly);
        return week;
    }

    private static void delivered(
            ResultWriter writer,
            long developerId,
            LocalDate week,
            String openId,
            String status,
            int attempts,
            String msgid,
            String lastError)
            throws SQLException {
        try (Connection c = writer.connect();
                PreparedStatement s =
                        c.prepareStatement(
                                "UPDATE alert_delivery SET status = ?, attempts = ?, msgid = ?,"
                                        + " last_error = ?, sent_at = ?,"
                                        + " updated_at = CURRENT_TIMESTAMP(3)"
                                        + " WHERE developer_id = ? AND week_start = ?"
                                        + " AND open_id = ? AND kind = 'BREACH'")) {
            s.setString(1, status);
            s.setInt(2, attempts);
            s.setString(3, msgid);
            s.setString(4, lastError);
            if (msgid != null) {
                s.setTimestamp(5, Timestamp.from(Instant.now()), utc());
            } else {
                s.setNull(5, Types.TIMESTAMP);
            }
            s.setLong(6, developerId);
            s.setObject(7, week);
            s.setString(8, openId);
            assertEquals(1, s.executeUpdate(), developerId + " " + week + " " + openId);
        }
    }

    private static List<String> run(JdbcOptions jdbc, String sql, Instant start, String id)
            throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = new ResultWriter(jdbc).connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            ResultSetMetaData meta = r.getMetaData();
            while (r.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    values.add(value(r, i, meta.getColumnType(i), start, id));
                }
                rows.add(String.join("|", values));
            }
        }
        return rows;
    }

    /** A column's value, the same for both dialects. */
    private static String value(ResultSet r, int i, int type, Instant start, String id)
            throws SQLException {
        switch (type) {
            case Types.DATE:
                return String.valueOf(r.getObject(i, LocalDate.class));
            case Types.TIMESTAMP:
            case Types.TIMESTAMP_WITH_TIMEZONE:
                Timestamp time = r.getTimestamp(i, utc());
                if (time == null) {
                    return "null";
                }
                Instant instant = time.toInstant();
                assertFalse(instant.isBefore(start), id + ": " + instant + " before " + start);
                assertTrue(instant.isBefore(Instant.now().plusSeconds(1)), id + ": " + instant);
                return NOW;
            default:
                Object value = r.getObject(i);
                if (value instanceof BigDecimal decimal) {
                    return decimal.signum() == 0
                            ? "0"
                            : decimal.stripTrailingZeros().toPlainString();
                }
                return String.valueOf(value);
        }
    }

    /** The SQL blocks of the document by id and dialect; a block without dialect is both. */
    private static Map<String, Map<Dialect, String>> queries() throws Exception {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        Map<String, Map<Dialect, String>> queries = new TreeMap<>();
        Matcher m = BLOCK.matcher(doc);
        while (m.find()) {
            String sql = m.group(3).strip();
            if (sql.endsWith(";")) {
                sql = sql.substring(0, sql.length() - 1);
            }
            Map<Dialect, String> byDialect =
                    queries.computeIfAbsent(m.group(1), k -> new TreeMap<>());
            for (Dialect dialect : Dialect.values()) {
                if (m.group(2) == null || Dialect.valueOf(m.group(2).toUpperCase()) == dialect) {
                    assertTrue(
                            byDialect.put(dialect, sql) == null,
                            m.group(1) + " has two " + dialect + " versions");
                }
            }
        }
        assertFalse(queries.isEmpty(), "no ```sql blocks in " + DOC);
        return queries;
    }

    private static LocalDate thisMonday() {
        return LocalDate.now(SHANGHAI).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    private static Calendar utc() {
        return Calendar.getInstance(TimeZone.getTimeZone("UTC"));
    }
}
