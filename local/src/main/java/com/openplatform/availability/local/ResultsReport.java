package com.openplatform.availability.local;

import com.openplatform.availability.config.JdbcOptions;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;

/** Prints what the job wrote, as ops would query it. */
public final class ResultsReport {
    private final JdbcOptions jdbc;
    private final PrintStream out;

    public ResultsReport(JdbcOptions jdbc, PrintStream out) {
        this.jdbc = jdbc;
        this.out = out;
    }

    /** What the job wrote, in counts: rows, breaches, and alerts and warnings by status. */
    public String summary() throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            return "weekly rows "
                    + scalar(statement, "SELECT count(*) FROM weekly_availability")
                    + ", breaches "
                    + scalar(statement, "SELECT count(*) FROM availability_breach")
                    + ", week_to_date rows "
                    + scalar(statement, "SELECT count(*) FROM week_to_date")
                    + "\nbreach alerts"
                    + byStatus(statement, "BREACH")
                    + "\nearly warnings"
                    + byStatus(statement, "WARNING");
        }
    }

    private static String byStatus(Statement statement, String kind) throws SQLException {
        StringBuilder counts = new StringBuilder();
        try (ResultSet rows =
                statement.executeQuery(
                        "SELECT status, count(*) FROM alert_delivery WHERE kind = '"
                                + kind
                                + "' GROUP BY status ORDER BY status")) {
            String separator = " ";
            while (rows.next()) {
                counts.append(separator)
                        .append(rows.getString(1))
                        .append(' ')
                        .append(rows.getLong(2));
                separator = ", ";
            }
        }
        return counts.length() == 0 ? " none" : counts.toString();
    }

    private static long scalar(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbc.connectionUrl(), jdbc.user(), jdbc.password());
    }

    public void print() throws SQLException {
        try (Connection connection = connect()) {
            table(
                    connection,
                    "weekly_availability",
                    "SELECT developer_id, week_start, total_count AS total, failed_count AS"
                            + " failed, availability, standard, satisfied, main_failure_reason AS"
                            + " main_reason, revision FROM weekly_availability ORDER BY"
                            + " week_start, developer_id");
            table(
                    connection,
                    "availability_breach",
                    "SELECT developer_id, week_start, total_count AS total, failed_count AS"
                            + " failed, availability, standard, main_failure_reason AS main_reason"
                            + " FROM availability_breach ORDER BY week_start, developer_id");
            table(
                    connection,
                    "week_to_date (each week as of its last hour boundary)",
                    "SELECT developer_id, week_start, as_of, total_count AS total, failed_count"
                            + " AS failed, availability, burn_rate_1h, burn_rate_6h, on_track"
                            + " FROM week_to_date ORDER BY week_start, developer_id");
            table(
                    connection,
                    "alert_delivery by kind and status",
                    "SELECT week_start, kind, status, count(*) AS alerts FROM alert_delivery"
                            + " GROUP BY week_start, kind, status ORDER BY week_start, kind,"
                            + " status");
        }
    }

    private void table(Connection connection, String title, String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            ResultSetMetaData meta = rows.getMetaData();
            int columns = meta.getColumnCount();
            StringBuilder header = new StringBuilder();
            for (int i = 1; i <= columns; i++) {
                header.append(String.format("%-14s", meta.getColumnLabel(i)));
            }
            out.println();
            out.println("== " + title + " ==");
            out.println(header.toString().stripTrailing());
            int count = 0;
            while (rows.next()) {
                StringBuilder line = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    Object value = rows.getObject(i);
                    line.append(String.format("%-14s", value == null ? "" : value));
                }
                out.println(line.toString().stripTrailing());
                count++;
            }
            out.println("(" + count + " rows)");
        }
    }
}
