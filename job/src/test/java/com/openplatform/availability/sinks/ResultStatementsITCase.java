package com.openplatform.availability.sinks;

import static com.openplatform.availability.testing.ResultWriter.alert;
import static com.openplatform.availability.testing.ResultWriter.week;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openplatform.availability.config.JdbcOptions;
import com.openplatform.availability.config.JdbcOptions.Dialect;
import com.openplatform.availability.records.AlertKind;
import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.FailureReason;
import com.openplatform.availability.records.HourlyCounts;
import com.openplatform.availability.records.LatencyHistogram;
import com.openplatform.availability.records.WarningRule;
import com.openplatform.availability.records.WeekToDateRow;
import com.openplatform.availability.records.WeeklyCounts;
import com.openplatform.availability.records.WeeklyResult;
import com.openplatform.availability.testing.EmbeddedPostgresExtension;
import com.openplatform.availability.testing.MariaDbExtension;
import com.openplatform.availability.testing.ResultWriter;
import com.openplatform.availability.testing.TestDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import java.util.stream.Stream;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The result tables' migrations and the sinks' statements on real PostgreSQL and MariaDB (the
 * latter also through a {@code jdbc:mysql:} URL): the same meanings on both (docs/reference.md §6).
 */
class ResultStatementsITCase {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final LocalDate MONDAY = LocalDate.of(2026, 11, 16);
    private static final long DEVELOPER = 100234;

    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    @RegisterExtension static final MariaDbExtension MARIADB = new MariaDbExtension();

    static Stream<TestDatabase> databases() {
        return Stream.of(POSTGRES, MARIADB, MARIADB.viaMysqlScheme());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void migrationsCreateTheTablesOnceAndSessionsHoldInstants(TestDatabase database)
            throws Exception {
        JdbcOptions jdbc = database.newJdbcOptions();
        assertEquals("3", SchemaMigrations.migrate(jdbc));
        assertEquals("3", SchemaMigrations.migrate(jdbc), "a second migration is a no-op");
        if (jdbc.dialect() == Dialect.MYSQL) {
            try (Connection c = new ResultWriter(jdbc).connect();
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT @@session.time_zone")) {
                r.next();
                assertEquals("+00:00", r.getString(1));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void ledgerRowsOfTheReleaseBeforeWarningsAreBreachesAndAWeekCanAlsoHoldAWarning(
            TestDatabase database) throws Exception {
        JdbcOptions jdbc = database.newJdbcOptions();
        assertEquals("2", SchemaMigrations.migrate(jdbc, MigrationVersion.fromVersion("2")));
        ResultWriter writer = new ResultWriter(jdbc);
        String insert =
                "INSERT INTO alert_delivery (developer_id, week_start, open_id, channel, status,"
                        + " attempts, availability, standard, total_count, failed_count,"
                        + " created_at, updated_at) VALUES (100234, DATE '2026-11-16', 'o-a',"
                        + " 'wechat', 'SENT', 1, 0.5, 0.995, 2, 1, CURRENT_TIMESTAMP(3),"
                        + " CURRENT_TIMESTAMP(3))";
        try (Connection c = writer.connect();
                Statement s = c.createStatement()) {
            s.executeUpdate(insert);
        }
        assertEquals("3", SchemaMigrations.migrate(jdbc));
        try (Connection c = writer.connect();
                Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT kind, rule, as_of FROM alert_delivery")) {
                assertTrue(r.next());
                assertEquals("BREACH", r.getString(1));
                assertNull(r.getString(2));
                assertNull(r.getObject(3));
            }
            s.executeUpdate(
                    insert.replace("created_at, updated_at)", "created_at, updated_at, kind)")
                            .replace("CURRENT_TIMESTAMP(3))", "CURRENT_TIMESTAMP(3), 'WARNING')"));
            try (ResultSet r = s.executeQuery("SELECT kind FROM alert_delivery ORDER BY kind")) {
                assertTrue(r.next());
                assertEquals("BREACH", r.getString(1));
                assertTrue(r.next());
                assertEquals("WARNING", r.getString(1));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aWeekToDateRowMovesForwardOnlyAndKeepsNullBurnRates(TestDatabase database)
            throws Exception {
        JdbcOptions jdbc = database.newJdbcOptions();
        SchemaMigrations.migrate(jdbc);
        long weekStart = MONDAY.atStartOfDay(SHANGHAI).toInstant().toEpochMilli();
        try (Connection c = new ResultWriter(jdbc).connect()) {
            upsertWeekToDate(c, jdbc, weekToDate(weekStart, 10, 100, 1));
            upsertWeekToDate(c, jdbc, weekToDate(weekStart, 9, 90, 0));
            assertEquals("10 100 1 0.9900000000 null false", weekToDateRow(c));
            upsertWeekToDate(c, jdbc, weekToDate(weekStart, 11, 120, 1));
            assertEquals("11 120 1 0.9916666666 null false", weekToDateRow(c));
        }
    }

    private static WeekToDateRow weekToDate(long weekStart, int hour, long total, long failed) {
        WeekToDateRow row = new WeekToDateRow();
        row.setDeveloperId(DEVELOPER);
        row.setWeekStart(MONDAY.toString());
        row.setWeekStartMillis(weekStart);
        row.setWeekEndMillis(weekStart + 168 * HourlyCounts.HOUR_MILLIS);
        row.setAsOfMillis(weekStart + hour * HourlyCounts.HOUR_MILLIS);
        row.setTotalCount(total);
        row.setFailedCount(failed);
        row.setTimeoutCount(failed);
        row.setAvailability(
                new BigDecimal(total - failed)
                        .divide(new BigDecimal(total), 10, java.math.RoundingMode.DOWN));
        row.setStandard(BigDecimal.ONE);
        return row;
    }

    private static void upsertWeekToDate(Connection c, JdbcOptions jdbc, WeekToDateRow row)
            throws Exception {
        try (PreparedStatement statement =
                c.prepareStatement(ResultStatements.upsertWeekToDate(jdbc.dialect()).sql())) {
            ResultStatements.bindWeekToDate(RowValues.of(statement), row);
            statement.executeUpdate();
        }
    }

    private static String weekToDateRow(Connection c) throws Exception {
        try (Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT as_of, week_start_at, total_count, failed_count,"
                                        + " availability, burn_rate_1h, on_track FROM"
                                        + " week_to_date")) {
            assertTrue(r.next());
            long hours =
                    (r.getTimestamp(1).getTime() - r.getTimestamp(2).getTime())
                            / HourlyCounts.HOUR_MILLIS;
            String row =
                    hours
                            + " "
                            + r.getLong(3)
                            + " "
                            + r.getLong(4)
                            + " "
                            + r.getBigDecimal(5)
                            + " "
                            + r.getBigDecimal(6)
                            + " "
                            + r.getBoolean(7);
            assertFalse(r.next());
            return row;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aReplayLeavesTheRowAndACorrectionIncreasesTheRevision(TestDatabase database)
            throws Exception {
        JdbcOptions jdbc = database.newJdbcOptions();
        SchemaMigrations.migrate(jdbc);
        ResultWriter writer = new ResultWriter(jdbc);

        // 994 valid of 1000 against 0.995: a breach, exactly.
        WeeklyResult first = week(DEVELOPER, MONDAY, SHANGHAI, "0.995", 994, 1, 3, 2, 0);
        Instant before = Instant.now().minusSeconds(1);
        writer.weeks(first);
        Row written = row(jdbc);
        assertEquals(1, written.revision);
        assertEquals(1000, written.total);
        assertEquals(6, written.failed);
        assertEquals(new BigDecimal("0.9940000000"), written.availability);
        assertEquals(new BigDecimal("0.9950000000"), written.standard);
        assertFalse(written.satisfied);
        assertEquals("TIMEOUT", written.mainReason);
        assertEquals(MONDAY, written.weekStart);
        assertEquals(Instant.parse("2026-11-15T16:00:00Z"), written.weekStartAt);
        assertEquals(Instant.parse("2026-11-22T16:00:00Z"), written.weekEndAt);
        assertTrue(
                !written.updatedAt.isBefore(before)
                        && written.updatedAt.isBefore(Instant.now().plusSeconds(1)),
                "updated_at is the instant of the write: " + written.updatedAt);
        assertEquals(written.firstJudgedAt, written.updatedAt);

        Thread.sleep(20);
        // A replay, also with the standard at another scale: nothing changes, not even updated_at.
        writer.weeks(first, first.withStandard(new BigDecimal("0.99500")));
        assertEquals(written, row(jdbc));

        // A late failure: a correction.
        WeeklyResult late = week(DEVELOPER, MONDAY, SHANGHAI, "0.995", 994, 1, 3, 3, 0);
        writer.weeks(late, late);
        Row corrected = row(jdbc);
        assertEquals(2, corrected.revision);
        assertEquals(1001, corrected.total);
        assertEquals(7, corrected.failed);
        assertEquals(new BigDecimal("0.9930069930"), corrected.availability);
        assertEquals(written.firstJudgedAt, corrected.firstJudgedAt);
        assertTrue(corrected.updatedAt.isAfter(written.updatedAt));
        assertEquals(written.weekStartAt, corrected.weekStartAt);

        // A re-judged standard: a correction that makes the week satisfied.
        writer.weeks(late.withStandard(new BigDecimal("0.99")));
        Row rejudged = row(jdbc);
        assertEquals(3, rejudged.revision);
        assertTrue(rejudged.satisfied);
        assertEquals(new BigDecimal("0.9900000000"), rejudged.standard);

        // The same numbers under a callback type that differs only in case: a change too.
        WeeklyResult sameCase = week(DEVELOPER, MONDAY, SHANGHAI, "0.99", 1);
        WeeklyCounts counts =
                new WeeklyCounts(
                        DEVELOPER,
                        sameCase.getCounts().getWeekStartMillis(),
                        sameCase.getCounts().getWeekEndMillis());
        counts.count("Order.Push", null);
        WeeklyResult renamed =
                WeeklyResult.judge(counts, MONDAY.toString(), new BigDecimal("0.99"));
        writer.weeks(sameCase);
        assertEquals(4, row(jdbc).revision);
        writer.weeks(renamed);
        assertEquals(5, row(jdbc).revision);
        writer.weeks(renamed);
        assertEquals(5, row(jdbc).revision);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void diagnosisColumnsAreNullOnOlderRowsAndFollowCorrectionsLikeTheCounts(TestDatabase database)
            throws Exception {
        JdbcOptions jdbc = database.newJdbcOptions();
        assertEquals("1", SchemaMigrations.migrate(jdbc, MigrationVersion.fromVersion("1")));
        ResultWriter writer = new ResultWriter(jdbc);
        try (Connection c = writer.connect();
                Statement s = c.createStatement()) {
            s.executeUpdate(
                    "INSERT INTO weekly_availability (developer_id, week_start, week_start_at,"
                            + " week_end_at, total_count, failed_count, connect_error_count,"
                            + " timeout_count, http_error_count, bad_response_count,"
                            + " main_failure_reason, availability, standard, satisfied,"
                            + " callback_type_counts, revision, first_judged_at, updated_at)"
                            + " VALUES (100234, DATE '2026-11-16', CURRENT_TIMESTAMP(3),"
                            + " CURRENT_TIMESTAMP(3), 2, 1, 0, 0, 1, 0, 'HTTP_ERROR', 0.5, 0.995,"
                            + " FALSE, '{}', 1, CURRENT_TIMESTAMP(3), CURRENT_TIMESTAMP(3))");
        }
        assertEquals("3", SchemaMigrations.migrate(jdbc));
        assertEquals("1 null null null null null null null null", diagnosisRow(jdbc), "older row");

        long weekStart = MONDAY.atStartOfDay(SHANGHAI).toInstant().toEpochMilli();
        long tuesdayTen = weekStart + 34 * HourlyCounts.HOUR_MILLIS;
        long wednesdayNine = weekStart + 57 * HourlyCounts.HOUR_MILLIS;
        WeeklyCounts counts = new WeeklyCounts(DEVELOPER, weekStart, weekStart + 168 * 3_600_000L);
        counts.count("order.push", null);
        counts.count("order.push", FailureReason.HTTP_ERROR);
        LatencyHistogram latencies = new LatencyHistogram();
        latencies.record(90);
        latencies.record(110);
        HourlyCounts hours = new HourlyCounts(weekStart, counts.getWeekEndMillis());
        hours.count(34, true);
        hours.count(57, false);
        counts.addDiagnosis(latencies, hours);
        WeeklyResult first = WeeklyResult.judge(counts, MONDAY.toString(), new BigDecimal("0.995"));
        writer.weeks(first, first);
        assertEquals(
                "2 90 110 110 "
                        + Instant.ofEpochMilli(tuesdayTen)
                        + " 1 "
                        + Instant.ofEpochMilli(tuesdayTen)
                        + " 1 1",
                diagnosisRow(jdbc),
                "the diagnosis written is a change of the older row");

        // The same counts, the failure an hour later: a correction of the diagnosis alone.
        WeeklyCounts moved = new WeeklyCounts(DEVELOPER, weekStart, counts.getWeekEndMillis());
        moved.count("order.push", null);
        moved.count("order.push", FailureReason.HTTP_ERROR);
        HourlyCounts movedHours = new HourlyCounts(weekStart, counts.getWeekEndMillis());
        movedHours.count(34, false);
        movedHours.count(57, true);
        moved.addDiagnosis(latencies, movedHours);
        WeeklyResult corrected =
                WeeklyResult.judge(moved, MONDAY.toString(), new BigDecimal("0.995"));
        writer.weeks(corrected);
        writer.weeks(corrected);
        assertEquals(
                "3 90 110 110 "
                        + Instant.ofEpochMilli(tuesdayTen)
                        + " 1 "
                        + Instant.ofEpochMilli(wednesdayNine)
                        + " 1 1",
                diagnosisRow(jdbc));
    }

    @Test
    void onPostgresqlRowsCopiedAndMergedInBatchesEqualRowsSentAsParameters() throws Exception {
        JdbcOptions jdbc = POSTGRES.newJdbcOptions();
        SchemaMigrations.migrate(jdbc);
        long weekStart = MONDAY.atStartOfDay(SHANGHAI).toInstant().toEpochMilli();
        WeeklyCounts counts = new WeeklyCounts(DEVELOPER, weekStart, weekStart + 168 * 3_600_000L);
        counts.count("tab\there \\ and\na line", null);
        counts.count("订单.推送", FailureReason.TIMEOUT);
        LatencyHistogram latencies = new LatencyHistogram();
        latencies.record(3_001);
        HourlyCounts hours = new HourlyCounts(weekStart, counts.getWeekEndMillis());
        hours.count(3, false);
        hours.count(4, true);
        counts.addDiagnosis(latencies, hours);
        WeeklyResult withDiagnosis =
                WeeklyResult.judge(counts, MONDAY.toString(), new BigDecimal("0.9999999999"));
        WeeklyResult plain = week(DEVELOPER + 1, MONDAY, SHANGHAI, "1", 3, 1, 0, 2, 0);
        AlertRequest warning = alert(withDiagnosis, "o\\penId\t1");
        warning.setKind(AlertKind.WARNING);
        warning.setRule(WarningRule.FAST_BURN);
        warning.setAsOfMillis(weekStart + 7 * HourlyCounts.HOUR_MILLIS + 1);
        warning.setWindowAvailability(new BigDecimal("0.25"));
        List<AlertRequest> alerts = List.of(alert(plain, null), warning, alert(plain, "o2"));
        List<WeekToDateRow> running =
                List.of(weekToDate(weekStart, 10, 100, 1), weekToDate(weekStart, 11, 120, 0));
        running.get(1).setDeveloperId(DEVELOPER + 1);
        running.get(1).setBurnRate1h(new BigDecimal("12.5"));

        List<String> staged = writeEach(jdbc, List.of(withDiagnosis, plain), alerts, running, true);
        List<String> asParameters =
                writeEach(jdbc, List.of(withDiagnosis, plain), alerts, running, false);

        assertEquals(asParameters, staged);
        assertEquals(7, staged.size());
    }

    /**
     * Writes the rows through the sinks' batch writers, as one batch each (PostgreSQL copies and
     * merges it) or row by row (as parameters), and reads every column that does not hold the time
     * of writing.
     */
    private static List<String> writeEach(
            JdbcOptions jdbc,
            List<WeeklyResult> weeks,
            List<AlertRequest> alerts,
            List<WeekToDateRow> running,
            boolean asOneBatch)
            throws Exception {
        try (Connection c = new ResultWriter(jdbc).connect();
                Statement s = c.createStatement()) {
            s.execute("TRUNCATE weekly_availability, alert_delivery, week_to_date");
        }
        write(
                jdbc,
                ResultStatements.upsertWeeklyAvailability(jdbc.dialect()),
                ResultStatements::bindWeekly,
                weeks,
                asOneBatch);
        write(
                jdbc,
                ResultStatements.insertAlert(jdbc.dialect()),
                ResultStatements::bindAlert,
                alerts,
                asOneBatch);
        write(
                jdbc,
                ResultStatements.upsertWeekToDate(jdbc.dialect()),
                ResultStatements::bindWeekToDate,
                running,
                asOneBatch);
        List<String> rows = new ArrayList<>();
        try (Connection c = new ResultWriter(jdbc).connect();
                Statement s = c.createStatement()) {
            for (String query :
                    List.of(
                            "SELECT to_jsonb(w) - 'first_judged_at' - 'updated_at' FROM"
                                    + " weekly_availability w ORDER BY developer_id",
                            "SELECT to_jsonb(a) - 'created_at' - 'updated_at' FROM alert_delivery a"
                                    + " ORDER BY developer_id, open_id",
                            "SELECT to_jsonb(t) - 'updated_at' FROM week_to_date t"
                                    + " ORDER BY developer_id")) {
                try (ResultSet r = s.executeQuery(query)) {
                    while (r.next()) {
                        rows.add(r.getString(1));
                    }
                }
            }
        }
        return rows;
    }

    private static <T> void write(
            JdbcOptions jdbc,
            UpsertStatement statement,
            JdbcUpsertSink.Binder<T> binder,
            List<T> records,
            boolean asOneBatch)
            throws Exception {
        try (JdbcBatchWriter<T> writer =
                new JdbcBatchWriter<>(
                        jdbc,
                        statement,
                        binder,
                        record -> record,
                        Retries.DEFAULT,
                        new UnregisteredMetricsGroup())) {
            if (asOneBatch) {
                assertEquals(List.of(), writer.write(records));
            } else {
                for (T record : records) {
                    assertEquals(List.of(), writer.write(List.of(record)));
                }
            }
        }
    }

    private static String diagnosisRow(JdbcOptions jdbc) throws SQLException {
        try (Connection c = new ResultWriter(jdbc).connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT revision, latency_p50_ms, latency_p95_ms, latency_p99_ms,"
                                        + " peak_hour_start_at, peak_hour_count,"
                                        + " worst_hour_start_at, worst_hour_failed,"
                                        + " worst_hour_total FROM weekly_availability")) {
            assertTrue(r.next());
            List<String> values = new ArrayList<>();
            for (int i = 1; i <= 9; i++) {
                values.add(
                        i == 5 || i == 7
                                ? String.valueOf(r.getTimestamp(i) == null ? null : instant(r, i))
                                : String.valueOf(r.getObject(i)));
            }
            assertFalse(r.next(), "one row per developer and week");
            return String.join(" ", values);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aReplayedAlertLeavesItsLedgerRowAsTheWechatSinkLeftIt(TestDatabase database)
            throws Exception {
        JdbcOptions jdbc = database.newJdbcOptions();
        SchemaMigrations.migrate(jdbc);
        ResultWriter writer = new ResultWriter(jdbc);
        WeeklyResult breach = week(DEVELOPER, MONDAY, SHANGHAI, "0.995", 90, 10);

        writer.alerts(List.of(alert(breach, "oAbC-1"), alert(breach, "oabc-1")));
        try (Connection c = writer.connect();
                PreparedStatement s =
                        c.prepareStatement(
                                "UPDATE alert_delivery SET status = 'SENT', attempts = 1,"
                                        + " msgid = '7001' WHERE open_id = ?")) {
            s.setString(1, "oAbC-1");
            assertEquals(1, s.executeUpdate(), "openIds are case-sensitive");
        }
        writer.alerts(
                List.of(alert(breach, "oAbC-1"), alert(breach, "oabc-1"), alert(breach, null)));

        assertEquals(
                List.of(
                        "100234/2026-11-16//NO_RECIPIENT/0/null",
                        "100234/2026-11-16/oAbC-1/SENT/1/7001",
                        "100234/2026-11-16/oabc-1/PENDING/0/null"),
                ledger(jdbc));
    }

    /** explicit_defaults_for_timestamp=OFF (MySQL 5.7, MariaDB before 10.10) adds no ON UPDATE. */
    @Test
    void mariaDbMigrationGivesNoTimestampAnAutomaticUpdate() throws Exception {
        String url =
                MARIADB.newDatabase() + "?sessionVariables=explicit_defaults_for_timestamp=OFF";
        JdbcOptions jdbc = new JdbcOptions(url, MARIADB.user(), MARIADB.password());
        SchemaMigrations.migrate(jdbc);
        for (String table : List.of("weekly_availability", "alert_delivery")) {
            try (Connection c = new ResultWriter(jdbc).connect();
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SHOW CREATE TABLE " + table)) {
                r.next();
                String ddl = r.getString(2).toLowerCase(Locale.ROOT);
                assertFalse(ddl.contains("on update"), ddl);
                assertTrue(ddl.contains("utf8mb4_bin"), ddl);
            }
        }
    }

    private static List<String> ledger(JdbcOptions jdbc) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = new ResultWriter(jdbc).connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT developer_id, week_start, open_id, status, attempts, msgid"
                                        + " FROM alert_delivery")) {
            while (r.next()) {
                rows.add(
                        r.getLong(1)
                                + "/"
                                + r.getObject(2, LocalDate.class)
                                + "/"
                                + r.getString(3)
                                + "/"
                                + r.getString(4)
                                + "/"
                                + r.getInt(5)
                                + "/"
                                + r.getString(6));
            }
        }
        rows.sort(null);
        return rows;
    }

    private static Row row(JdbcOptions jdbc) throws SQLException {
        try (Connection c = new ResultWriter(jdbc).connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT week_start, week_start_at, week_end_at, total_count,"
                                        + " failed_count, availability, standard, satisfied,"
                                        + " main_failure_reason, revision, first_judged_at,"
                                        + " updated_at FROM weekly_availability")) {
            assertTrue(r.next());
            Row row = new Row();
            row.weekStart = r.getObject(1, LocalDate.class);
            row.weekStartAt = instant(r, 2);
            row.weekEndAt = instant(r, 3);
            row.total = r.getLong(4);
            row.failed = r.getLong(5);
            row.availability = r.getBigDecimal(6);
            row.standard = r.getBigDecimal(7);
            row.satisfied = r.getBoolean(8);
            row.mainReason = r.getString(9);
            row.revision = r.getInt(10);
            row.firstJudgedAt = instant(r, 11);
            row.updatedAt = instant(r, 12);
            assertFalse(r.next(), "one row per developer and week");
            return row;
        }
    }

    /**
     * A TIMESTAMPTZ (PostgreSQL) or a TIMESTAMP read in a '+00:00' session (MySQL) as an instant.
     */
    private static Instant instant(ResultSet r, int column) throws SQLException {
        return r.getTimestamp(column, Calendar.getInstance(TimeZone.getTimeZone("UTC")))
                .toInstant();
    }

    private static final class Row {
        LocalDate weekStart;
        Instant weekStartAt;
        Instant weekEndAt;
        long total;
        long failed;
        BigDecimal availability;
        BigDecimal standard;
        boolean satisfied;
        String mainReason;
        int revision;
        Instant firstJudgedAt;
        Instant updatedAt;

        @Override
        public boolean equals(Object o) {
            return o instanceof Row && toString().equals(o.toString());
        }

        @Override
        public int hashCode() {
            return toString().hashCode();
        }

        @Override
        public String toString() {
            return String.join(
                    " ",
                    String.valueOf(weekStart),
                    String.valueOf(weekStartAt),
                    String.valueOf(weekEndAt),
                    String.valueOf(total),
                    String.valueOf(failed),
                    String.valueOf(availability),
                    String.valueOf(standard),
                    String.valueOf(satisfied),
                    mainReason,
                    String.valueOf(revision),
                    String.valueOf(firstJudgedAt),
                    String.valueOf(updatedAt));
        }
    }
}
