package com.openplatform.availability.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The Monday burst of a job run, measured in its database: every developerId's row of a week leaves
 * the job when the watermark passes that week's end. How long they took to be committed, from the
 * moment the watermark passed it (BurstClock), and the same rows written by PostgreSQL's own bulk
 * load ({@code COPY}) and by a plain batched upsert into empty tables of the same shape, on the
 * same server, right after: the ceilings.
 *
 * <p>Commit times are PostgreSQL's own ({@code track_commit_timestamp = on}: {@code
 * pg_xact_commit_timestamp(xmin)} of each row), on the clock of this machine, like the read time.
 */
final class MondayBurst {
    /** Rows per batch and transaction of the plain upsert: what a plain loader would do. */
    static final int UPSERT_BATCH = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private MondayBurst() {}

    /**
     * Measures the burst of the last week in the job's tables and the two ceilings for its rows.
     *
     * @param week the week that ends at the burst's Monday (local date of its own Monday)
     * @param watermarkEpochMillis when the watermark passed the end of that week (BurstClock)
     * @param onTimeDevelopers the developerIds with an on-time event in that week: the rows of the
     *     windows that fire when the watermark passes its end. The others' rows are made by late
     *     events, when they are read: in a replay, after the burst; in real time, up to a day
     *     later.
     */
    static ObjectNode measure(
            String url,
            String user,
            String password,
            String week,
            long watermarkEpochMillis,
            long[] onTimeDevelopers)
            throws Exception {
        ObjectNode burst = JSON.createObjectNode();
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement s = c.createStatement()) {
            burst.put("week", week);
            burst.put("watermarkEpochMillis", watermarkEpochMillis);
            String ofTheWeek = " WHERE week_start = DATE '" + week + "'";
            // A late event can correct a row after the burst (revision 2 on): its commit time is
            // the correction's, so the burst's clock reads the rows never corrected since.
            long[] rows =
                    firstRow(
                            s,
                            "SELECT count(*), count(*) FILTER (WHERE revision > 1) FROM"
                                    + " weekly_availability"
                                    + ofTheWeek);
            long[] times =
                    firstRow(
                            s,
                            "SELECT "
                                    + epochMillis("min")
                                    + ", "
                                    + epochMillis("max")
                                    + ", count(DISTINCT xmin::text) FROM weekly_availability"
                                    + ofTheWeek
                                    + " AND revision = 1");
            burst.put("rows", rows[0]);
            burst.put("rowsCorrectedSince", rows[1]);
            burst.put("firstRowEpochMillis", times[0]);
            burst.put("lastRowEpochMillis", times[1]);
            burst.put("rowTransactions", times[2]);
            long[] alerts =
                    firstRow(
                            s,
                            "SELECT count(*), "
                                    + epochMillis("max")
                                    + " FROM alert_delivery"
                                    + ofTheWeek
                                    + " AND kind = 'BREACH'");
            burst.put("alerts", alerts[0]);
            burst.put("lastAlertEpochMillis", alerts[1]);
            loadOnTimeDevelopers(c, onTimeDevelopers);
            String onTime = " AND developer_id IN (SELECT developer_id FROM burst_on_time)";
            long[] windowRows =
                    firstRow(
                            s,
                            "SELECT count(*), "
                                    + epochMillis("max")
                                    + " FROM weekly_availability"
                                    + ofTheWeek
                                    + onTime
                                    + " AND revision = 1");
            long[] windowAlerts =
                    firstRow(
                            s,
                            "SELECT "
                                    + epochMillis("max")
                                    + " FROM alert_delivery"
                                    + ofTheWeek
                                    + " AND kind = 'BREACH' AND developer_id IN (SELECT"
                                    + " developer_id FROM weekly_availability"
                                    + ofTheWeek
                                    + " AND revision = 1"
                                    + onTime
                                    + ")");
            long[] lateRows =
                    firstRow(
                            s,
                            "SELECT count(*), "
                                    + epochMillis("max")
                                    + " FROM weekly_availability"
                                    + ofTheWeek
                                    + " AND NOT EXISTS (SELECT 1 FROM burst_on_time o"
                                    + " WHERE o.developer_id = weekly_availability.developer_id)");
            burst.put("windowRows", windowRows[0]);
            burst.put("toLastWindowRowSeconds", (windowRows[1] - watermarkEpochMillis) / 1e3);
            if (windowAlerts[0] > 0) {
                burst.put(
                        "toLastWindowAlertSeconds", (windowAlerts[0] - watermarkEpochMillis) / 1e3);
            }
            burst.put("rowsMadeByLateEvents", lateRows[0]);
            if (lateRows[0] > 0) {
                burst.put(
                        "toLastRowMadeByLateEventsSeconds",
                        (lateRows[1] - watermarkEpochMillis) / 1e3);
            }
            burst.put(
                    "toLastRowSeconds",
                    (burst.path("lastRowEpochMillis").asLong() - watermarkEpochMillis) / 1e3);
            burst.put(
                    "firstToLastRowSeconds",
                    (burst.path("lastRowEpochMillis").asLong()
                                    - burst.path("firstRowEpochMillis").asLong())
                            / 1e3);
            if (burst.path("alerts").asLong() > 0) {
                burst.put(
                        "toLastAlertSeconds",
                        (burst.path("lastAlertEpochMillis").asLong() - watermarkEpochMillis) / 1e3);
            }
            burst.put("copySeconds", copy(c, week));
            burst.put("upsertSeconds", upsert(c, week));
        }
        // The same upsert as the driver's multi-row INSERTs, as the job's writers send it: not a
        // ceiling of the target, the figure that shows what the rewrite is worth on this server.
        String multiRow = url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
        try (Connection c = DriverManager.getConnection(multiRow, user, password)) {
            burst.put("multiRowUpsertSeconds", upsert(c, week));
        }
        double job = burst.path("toLastRowSeconds").asDouble();
        if (job > 0) {
            burst.put("jobToCopy", burst.path("copySeconds").asDouble() / job);
            burst.put("jobToUpsert", burst.path("upsertSeconds").asDouble() / job);
        }
        return burst;
    }

    /** The developerIds into a temporary table {@code burst_on_time} of this connection. */
    private static void loadOnTimeDevelopers(Connection c, long[] developers) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMPORARY TABLE burst_on_time (developer_id BIGINT PRIMARY KEY)");
        }
        StringBuilder ids = new StringBuilder(developers.length * 8);
        for (long developer : developers) {
            ids.append(developer).append('\n');
        }
        c.unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn(
                        "COPY burst_on_time FROM STDIN",
                        new ByteArrayInputStream(
                                ids.toString().getBytes(StandardCharsets.US_ASCII)));
        try (Statement s = c.createStatement()) {
            s.execute("ANALYZE burst_on_time");
        }
    }

    /** The first or last commit time of the rows ({@code min} or {@code max}), epoch ms. */
    private static String epochMillis(String aggregate) {
        return "coalesce(extract(epoch FROM "
                + aggregate
                + "(pg_xact_commit_timestamp(xmin))) * 1000, 0)";
    }

    /** The first row of a query of numbers. */
    private static long[] firstRow(Statement s, String query) throws Exception {
        try (ResultSet rs = s.executeQuery(query)) {
            rs.next();
            long[] values = new long[rs.getMetaData().getColumnCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = rs.getLong(i + 1);
            }
            return values;
        }
    }

    /** An empty table like weekly_availability: its columns, primary key and indexes. */
    private static void emptyCopyOfTheTable(Connection c, String table) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
            s.execute("CREATE TABLE " + table + " (LIKE weekly_availability INCLUDING ALL)");
        }
    }

    /** Seconds for {@code COPY … FROM STDIN} of the week's rows, read out beforehand. */
    private static double copy(Connection c, String week) throws Exception {
        emptyCopyOfTheTable(c, "burst_copy");
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        copy.copyOut(
                "COPY (SELECT * FROM weekly_availability WHERE week_start = DATE '"
                        + week
                        + "') TO STDOUT",
                rows);
        byte[] data = rows.toByteArray();
        long began = System.nanoTime();
        copy.copyIn("COPY burst_copy FROM STDIN", new ByteArrayInputStream(data));
        return (System.nanoTime() - began) / 1e9;
    }

    /**
     * Seconds for a plain upsert of the week's rows ({@code INSERT … ON CONFLICT DO UPDATE} of
     * every column, {@value #UPSERT_BATCH} rows a batch and a transaction, the driver's defaults),
     * read into memory beforehand.
     */
    private static double upsert(Connection c, String week) throws Exception {
        emptyCopyOfTheTable(c, "burst_upsert");
        List<Object[]> rows = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT * FROM weekly_availability WHERE week_start = DATE '"
                                        + week
                                        + "'")) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnName(i));
            }
            while (rs.next()) {
                Object[] row = new Object[columns.size()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                rows.add(row);
            }
        }
        StringJoiner values = new StringJoiner(", ");
        StringJoiner updates = new StringJoiner(", ");
        for (String column : columns) {
            values.add("?");
            updates.add(column + " = EXCLUDED." + column);
        }
        String sql =
                "INSERT INTO burst_upsert ("
                        + String.join(", ", columns)
                        + ") VALUES ("
                        + values
                        + ") ON CONFLICT (developer_id, week_start) DO UPDATE SET "
                        + updates;
        boolean autoCommit = c.getAutoCommit();
        long began = System.nanoTime();
        c.setAutoCommit(false);
        try (PreparedStatement insert = c.prepareStatement(sql)) {
            for (int from = 0; from < rows.size(); from += UPSERT_BATCH) {
                for (Object[] row :
                        rows.subList(from, Math.min(rows.size(), from + UPSERT_BATCH))) {
                    for (int i = 0; i < row.length; i++) {
                        insert.setObject(i + 1, row[i]);
                    }
                    insert.addBatch();
                }
                insert.executeBatch();
                c.commit();
            }
        } finally {
            c.setAutoCommit(autoCommit);
        }
        return (System.nanoTime() - began) / 1e9;
    }
}
