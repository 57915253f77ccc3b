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

    /** What the job wrote, in counts: rows, breaches and alerts by status. */
    public String summary() throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            StringBuilder summary = new StringBuilder();
            summary.append("weekly rows ")
                    .append(scalar(statement, "SELECT count(*) FROM weekly_availability"))
                    .append(", breaches ")
                    .append(scalar(statement, "SELECT count(*) FROM availability_breach"))
                    .append(", alerts");
            try (ResultSet rows =
                    statement.executeQuery(
                            "SELECT status, count(*) FROM alert_delivery GROUP BY status"
                                    + " ORDER BY status")) {
                String separator = " ";
                while (rows.next()) {
                    summary.append(separator)
                            .append(rows.getString(1))
                            .append(' ')
                            .append(rows.getLong(2));
                    separator = ", ";
                }
                if (separator.equals(" ")) {
                    summary.append(" none");
                }
            }
            return summary.toString();
        }
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
                    "alert_delivery by status",
                    "SELECT week_start, status, count(*) AS alerts FROM alert_delivery GROUP BY"
                            + " week_start, status ORDER BY week_start, status");
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
