package com.openplatform.availability.sinks;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.openplatform.availability.config.JdbcOptions;
import com.openplatform.availability.config.JdbcOptions.Dialect;
import com.openplatform.availability.testing.EmbeddedPostgresExtension;
import java.io.IOException;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job's own JDBC batch writer against a real PostgreSQL that the tests stop and start: it
 * retries, reconnects, fails its task cleanly when the database stays away, never throws from
 * close, and leaves out only the rows the database refuses.
 */
class JdbcBatchWriterTest {
    private static final UpsertStatement UPSERT =
            UpsertStatement.insertInto(Dialect.POSTGRESQL, "t", null)
                    .bound("k", "v")
                    .onConflict("ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v");
    private static final Retries FAST =
            new Retries(3, Duration.ofMillis(10), Duration.ofMillis(20));

    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    record Row(int k, String v) implements Serializable {}

    private JdbcOptions jdbc;

    @BeforeEach
    void createTable() throws Exception {
        jdbc = new JdbcOptions(POSTGRES.newDatabase(), POSTGRES.user(), POSTGRES.password());
        execute("CREATE TABLE t (k INT PRIMARY KEY, v VARCHAR(10) NOT NULL)");
    }

    @AfterEach
    void databaseUp() throws IOException {
        POSTGRES.start();
    }

    @Test
    void whileTheDatabaseIsDownAFlushFailsAfterItsRetriesAndCloseDoesNotThrow() throws Exception {
        JdbcBatchWriter<Row> writer = writer(FAST);
        POSTGRES.stop();

        IOException failure =
                assertThrows(IOException.class, () -> writer.write(List.of(new Row(1, "a"))));

        assertEquals(
                "Could not write 1 rows to t at " + jdbc.url() + " in 3 attempts",
                failure.getMessage());
        assertDoesNotThrow(writer::close);
    }

    @Test
    void aWriterCreatedWhileTheDatabaseIsDownFailsAtOnce() throws Exception {
        POSTGRES.stop();

        IOException failure = assertThrows(IOException.class, () -> writer(FAST));

        assertEquals("Cannot connect to " + jdbc.url() + " to write t", failure.getMessage());
    }

    @Test
    void aPasswordInTheUrlIsNotInTheErrors() {
        jdbc = new JdbcOptions("jdbc:postgresql://127.0.0.1:1/x?password=s3cret", "u", null);

        IOException failure = assertThrows(IOException.class, () -> writer(FAST));

        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains("s3cret"), t.toString());
        }
        assertEquals(
                "Cannot connect to jdbc:postgresql://127.0.0.1:1/x?password=*** to write t",
                failure.getMessage());
    }

    @Test
    void aDatabaseBackWithinTheRetriesGetsTheRowsOnANewConnection() throws Exception {
        JdbcBatchWriter<Row> writer =
                writer(new Retries(10, Duration.ofMillis(200), Duration.ofSeconds(1)));
        POSTGRES.stop();
        CompletableFuture<Void> restart =
                CompletableFuture.runAsync(
                        () -> {
                            try {
                                Thread.sleep(1_000);
                                POSTGRES.start();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });

        List<Row> refused = writer.write(List.of(new Row(1, "a"), new Row(2, "b")));

        restart.join();
        assertEquals(List.of(), refused);
        assertEquals(Map.of(1, "a", 2, "b"), rows());
        writer.close();
    }

    @Test
    void aRowTheDatabaseRefusesIsLeftOutAndTheOthersAreWritten() throws Exception {
        JdbcBatchWriter<Row> writer = writer(FAST);
        Row tooLong = new Row(2, "far too long for the column");

        List<Row> refused = writer.write(List.of(new Row(1, "a"), tooLong, new Row(3, "c")));

        assertEquals(List.of(tooLong), refused);
        assertEquals(Map.of(1, "a", 3, "c"), rows());
        writer.close();
    }

    @Test
    void aBatchHoldingARowTwiceAppliesBothVersionsInTheirOrder() throws Exception {
        execute("ALTER TABLE t ADD COLUMN changes INT NOT NULL DEFAULT 1");
        JdbcBatchWriter<Row> writer =
                writer(
                        jdbc,
                        UpsertStatement.insertInto(Dialect.POSTGRESQL, "t", "o")
                                .bound("k", "v")
                                .onConflict(
                                        "ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v,"
                                                + " changes = o.changes + 1"),
                        FAST);

        writer.write(List.of(new Row(1, "a"), new Row(2, "b"), new Row(1, "c"), new Row(1, "d")));

        assertEquals(Map.of(1, "d", 2, "b"), rows());
        assertEquals(Map.of(1, "3", 2, "1"), rows("SELECT k, changes FROM t"));
        writer.close();
    }

    @Test
    void aBatchAfterASingleRowOnTheSameConnectionIsWrittenAtTheFirstAttempt() throws Exception {
        JdbcBatchWriter<Row> writer =
                writer(new Retries(1, Duration.ofMillis(10), Duration.ofMillis(20)));

        writer.write(List.of(new Row(1, "a")));
        writer.write(List.of(new Row(2, "b"), new Row(3, "c")));

        assertEquals(Map.of(1, "a", 2, "b", 3, "c"), rows());
        writer.close();
    }

    @Test
    void batchConnectionsSendMultiRowInsertsUnlessTheUrlSaysOtherwise() throws Exception {
        assertEquals(Statement.SUCCESS_NO_INFO, insertTwoRowsInOneBatch(jdbc)[0]);

        JdbcOptions plain =
                new JdbcOptions(
                        jdbc.url()
                                + (jdbc.url().contains("?") ? "&" : "?")
                                + "reWriteBatchedInserts=false",
                        POSTGRES.user(),
                        POSTGRES.password());
        execute("DELETE FROM t");
        assertEquals(1, insertTwoRowsInOneBatch(plain)[0]);
    }

    private static int[] insertTwoRowsInOneBatch(JdbcOptions jdbc) throws SQLException {
        try (Connection c = JdbcConnections.openForBatches(jdbc);
                PreparedStatement insert = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
            for (int k = 1; k <= 2; k++) {
                insert.setInt(1, k);
                insert.setString(2, "v");
                insert.addBatch();
            }
            return insert.executeBatch();
        }
    }

    @Test
    void connectionsCarryTheStatementTimeout() throws Exception {
        try (Connection c = JdbcConnections.open(jdbc);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SHOW statement_timeout")) {
            r.next();
            assertEquals("30s", r.getString(1));
        }
    }

    private JdbcBatchWriter<Row> writer(Retries retries) throws IOException {
        return writer(jdbc, retries);
    }

    /** A writer of {@link Row}s into table {@code t (k, v)}. */
    static JdbcBatchWriter<Row> writer(JdbcOptions jdbc, Retries retries) throws IOException {
        return writer(jdbc, UPSERT, retries);
    }

    private static JdbcBatchWriter<Row> writer(
            JdbcOptions jdbc, UpsertStatement statement, Retries retries) throws IOException {
        return new JdbcBatchWriter<>(
                jdbc,
                statement,
                (values, row) -> {
                    values.addLong(row.k());
                    values.addString(row.v());
                },
                Row::k,
                retries,
                new UnregisteredMetricsGroup());
    }

    private Map<Integer, String> rows() throws SQLException {
        return rows(jdbc);
    }

    /** The rows of table {@code t}, by k. */
    static Map<Integer, String> rows(JdbcOptions jdbc) throws SQLException {
        return rows(jdbc, "SELECT k, v FROM t");
    }

    private Map<Integer, String> rows(String query) throws SQLException {
        return rows(jdbc, query);
    }

    private static Map<Integer, String> rows(JdbcOptions jdbc, String query) throws SQLException {
        Map<Integer, String> rows = new TreeMap<>();
        try (Connection c = JdbcConnections.open(jdbc);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(query)) {
            while (r.next()) {
                rows.put(r.getInt(1), r.getString(2));
            }
        }
        return rows;
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = JdbcConnections.open(jdbc);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
