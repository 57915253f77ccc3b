package com.openplatform.availability.testing;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;

/** Reads the job's result tables back, in the reference model's terms. */
public final class ResultTables {
    private final String url;
    private final String user;
    private final String password;

    public ResultTables(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    public Map<String, ReferenceModel.Row> weeklyAvailability() throws SQLException {
        return rows("SELECT * FROM weekly_availability");
    }

    public Map<String, ReferenceModel.Row> breaches() throws SQLException {
        return rows("SELECT * FROM availability_breach");
    }

    /** The diagnosis columns of weekly_availability, keyed like {@link #weeklyAvailability}. */
    public Map<String, ReferenceModel.Diagnosis> diagnoses() throws SQLException {
        Map<String, ReferenceModel.Diagnosis> diagnoses = new TreeMap<>();
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT * FROM weekly_availability")) {
            while (r.next()) {
                diagnoses.put(
                        r.getLong("developer_id")
                                + "/"
                                + r.getObject("week_start", java.time.LocalDate.class),
                        new ReferenceModel.Diagnosis(
                                r.getObject("latency_p50_ms", Long.class),
                                r.getObject("latency_p95_ms", Long.class),
                                r.getObject("latency_p99_ms", Long.class),
                                instant(r, "peak_hour_start_at"),
                                r.getObject("peak_hour_count", Long.class),
                                instant(r, "worst_hour_start_at"),
                                r.getObject("worst_hour_failed", Long.class),
                                r.getObject("worst_hour_total", Long.class)));
            }
        }
        return diagnoses;
    }

    /** A TIMESTAMPTZ, or a TIMESTAMP of a '+00:00' session, as an instant; null for NULL. */
    private static Instant instant(ResultSet r, String column) throws SQLException {
        Timestamp time = r.getTimestamp(column, Calendar.getInstance(TimeZone.getTimeZone("UTC")));
        return time == null ? null : time.toInstant();
    }

    /**
     * Every breach alert row of alert_delivery as "developerId/weekStart/openId/status" (early
     * warnings, kind WARNING, are read by {@link #warningDeliveries}).
     */
    public List<String> alertDeliveries() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT developer_id, week_start, open_id, status FROM"
                                        + " alert_delivery WHERE kind = 'BREACH' ORDER BY 1, 2, 3")) {
            while (r.next()) {
                rows.add(
                        r.getLong(1)
                                + "/"
                                + r.getObject(2, java.time.LocalDate.class)
                                + "/"
                                + r.getString(3)
                                + "/"
                                + r.getString(4));
            }
        }
        return rows;
    }

    /**
     * Every early warning row of alert_delivery (kind WARNING) as
     * "developerId/weekStart/openId/status/rule/asOf", asOf an ISO instant.
     */
    public List<String> warningDeliveries() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT developer_id, week_start, open_id, status, rule, as_of FROM"
                                        + " alert_delivery WHERE kind = 'WARNING'"
                                        + " ORDER BY 1, 2, 3")) {
            while (r.next()) {
                rows.add(
                        r.getLong(1)
                                + "/"
                                + r.getObject(2, java.time.LocalDate.class)
                                + "/"
                                + r.getString(3)
                                + "/"
                                + r.getString(4)
                                + "/"
                                + r.getString(5)
                                + "/"
                                + instant(r, "as_of"));
            }
        }
        return rows;
    }

    /** The week_to_date rows, keyed "developerId/weekStart", in the reference's terms. */
    public Map<String, WeekToDateReference.Row> weekToDate() throws SQLException {
        Map<String, WeekToDateReference.Row> rows = new TreeMap<>();
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT * FROM week_to_date")) {
            while (r.next()) {
                WeekToDateReference.Row row =
                        new WeekToDateReference.Row(
                                r.getLong("developer_id"),
                                r.getObject("week_start", java.time.LocalDate.class),
                                instant(r, "as_of"),
                                r.getLong("total_count"),
                                r.getLong("failed_count"),
                                r.getLong("connect_error_count"),
                                r.getLong("timeout_count"),
                                r.getLong("http_error_count"),
                                r.getLong("bad_response_count"),
                                scaled(r.getBigDecimal("availability")),
                                scaled(r.getBigDecimal("standard")),
                                rate(r.getBigDecimal("burn_rate_1h")),
                                rate(r.getBigDecimal("burn_rate_6h")),
                                r.getBoolean("on_track"));
                rows.put(row.developerId() + "/" + row.weekStart(), row);
            }
        }
        return rows;
    }

    /** A burn rate at the table's scale (4 places); null stays null. */
    public static BigDecimal rate(BigDecimal value) {
        return value == null ? null : value.setScale(4);
    }

    /** The first column of the first row of a query, e.g. a count. */
    public long scalar(String sql) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private Map<String, ReferenceModel.Row> rows(String sql) throws SQLException {
        Map<String, ReferenceModel.Row> rows = new TreeMap<>();
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            boolean hasSatisfied = false;
            for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                hasSatisfied |= "satisfied".equalsIgnoreCase(r.getMetaData().getColumnName(i));
            }
            while (r.next()) {
                ReferenceModel.Row row =
                        new ReferenceModel.Row(
                                r.getLong("developer_id"),
                                r.getObject("week_start", java.time.LocalDate.class),
                                r.getLong("total_count"),
                                r.getLong("failed_count"),
                                r.getLong("connect_error_count"),
                                r.getLong("timeout_count"),
                                r.getLong("http_error_count"),
                                r.getLong("bad_response_count"),
                                scaled(r.getBigDecimal("availability")),
                                scaled(r.getBigDecimal("standard")),
                                // The breach view holds unsatisfied weeks only.
                                hasSatisfied && r.getBoolean("satisfied"));
                rows.put(row.developerId() + "/" + row.weekStart(), row);
            }
        }
        return rows;
    }

    /** Decimals compared at the tables' scale, so 0.995 equals 0.9950000000. */
    public static BigDecimal scaled(BigDecimal value) {
        return value.setScale(10);
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }
}
