package com.openplatform.availability.sinks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.openplatform.availability.config.JdbcOptions;
import com.openplatform.availability.records.WeekToDateRow;
import com.openplatform.availability.sinks.JdbcBatchWriterTest.Row;
import com.openplatform.availability.testing.EmbeddedPostgresExtension;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The writer of rows that are rewritten often, against a real PostgreSQL: the latest record of a
 * row is written after the delay, a checkpoint carries what is not written yet, and the end of the
 * input writes everything. Rows whose value starts with "end" are final here.
 */
class JdbcLatestRowWriterTest {
    private static final long DELAY = JdbcLatestRowWriter.MAX_DELAY.toMillis();

    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    private JdbcOptions jdbc;
    private final TestProcessingTimeService time = new TestProcessingTimeService();

    @BeforeEach
    void createTable() throws Exception {
        jdbc = new JdbcOptions(POSTGRES.newDatabase(), POSTGRES.user(), POSTGRES.password());
        try (Connection c = JdbcConnections.open(jdbc);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (k INT PRIMARY KEY, v VARCHAR(10) NOT NULL)");
        }
        time.setCurrentTime(0);
    }

    @Test
    void laterRecordOfARowReplacesTheUnwrittenOneAndIsWrittenAfterTheDelay() throws Exception {
        JdbcLatestRowWriter<Row> writer = writer(List.of());
        writer.write(new Row(1, "a"), null);
        writer.write(new Row(2, "b"), null);
        writer.write(new Row(1, "c"), null);

        time.setCurrentTime(DELAY - 1);
        assertEquals(Map.of(), rows());

        time.setCurrentTime(DELAY);
        assertEquals(Map.of(1, "c", 2, "b"), rows());
        writer.close();
    }

    @Test
    void checkpointCarriesTheUnwrittenRowsAndTheRestoredWriterWritesThem() throws Exception {
        JdbcLatestRowWriter<Row> writer = writer(List.of());
        writer.write(new Row(1, "a"), null);
        writer.write(new Row(1, "b"), null);

        writer.flush(false);
        List<Row> carried = writer.snapshotState(1);
        writer.close();

        assertEquals(Map.of(), rows(), "a checkpoint writes nothing");
        assertEquals(List.of(new Row(1, "b")), carried);
        JdbcLatestRowWriter<Row> restored = writer(carried);
        time.setCurrentTime(DELAY);
        assertEquals(Map.of(1, "b"), rows());
        restored.close();
    }

    @Test
    void endOfInputWritesEveryRowInTransactionsOfAChunk() throws Exception {
        JdbcLatestRowWriter<Row> writer = writer(List.of());
        for (int k = 0; k <= JdbcLatestRowWriter.CHUNK; k++) {
            writer.write(new Row(k, "v" + k), null);
        }

        writer.flush(true);

        Map<Integer, String> rows = rows();
        assertEquals(JdbcLatestRowWriter.CHUNK + 1, rows.size());
        assertEquals("v" + JdbcLatestRowWriter.CHUNK, rows.get(JdbcLatestRowWriter.CHUNK));
        assertEquals(List.of(), writer.snapshotState(2));
        writer.close();
    }

    @Test
    void aFinalRowReplacesTheHeldOneAndIsWrittenBeforeTheCheckpointInsteadOfCarried()
            throws Exception {
        JdbcLatestRowWriter<Row> writer = writer(List.of());
        writer.write(new Row(1, "a"), null);
        writer.write(new Row(2, "b"), null);
        writer.write(new Row(1, "end"), null);
        assertEquals(Map.of(), rows(), "nothing is written before the checkpoint or the delay");

        writer.flush(false);
        List<Row> carried = writer.snapshotState(1);

        assertEquals(Map.of(1, "end"), rows());
        assertEquals(List.of(new Row(2, "b")), carried);
        writer.close();
    }

    @Test
    void finalRowsAreWrittenAChunkAtATimeWithoutWaiting() throws Exception {
        JdbcLatestRowWriter<Row> writer = writer(List.of());
        for (int k = 1; k < JdbcLatestRowWriter.CHUNK; k++) {
            writer.write(new Row(k, "end"), null);
        }
        assertEquals(Map.of(), rows());

        writer.write(new Row(0, "end"), null);

        assertEquals(JdbcLatestRowWriter.CHUNK, rows().size());
        assertEquals(List.of(), writer.snapshotState(1));
        writer.close();
    }

    @Test
    void restoredFinalRowsAreWrittenAtTheNextCheckpointInTransactionsOfAChunk() throws Exception {
        List<Row> carried = new ArrayList<>();
        for (int k = 1; k <= 2 * JdbcLatestRowWriter.CHUNK + 1; k++) {
            carried.add(new Row(k, "end"));
        }
        carried.add(new Row(0, "b"));
        JdbcLatestRowWriter<Row> restored = writer(carried);

        restored.flush(false);

        assertEquals(2 * JdbcLatestRowWriter.CHUNK + 1, rows().size());
        assertEquals(3, transactions(), "one transaction per chunk");
        assertEquals(List.of(new Row(0, "b")), restored.snapshotState(2));
        restored.close();
    }

    private long transactions() throws SQLException {
        try (Connection c = JdbcConnections.open(jdbc);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(DISTINCT xmin::text) FROM t")) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void weekToDateRowSurvivesTheCheckpoint() throws Exception {
        WeekToDateRow row = new WeekToDateRow();
        row.setDeveloperId(100234L);
        row.setWeekStart("2026-11-16");
        row.setAsOfMillis(1_794_762_000_000L);
        row.setTotalCount(1002);
        row.setFailedCount(2);
        row.setStandard(new BigDecimal("0.995"));
        SimpleVersionedSerializer<WeekToDateRow> serializer =
                JdbcSinks.weekToDate(jdbc).getWriterStateSerializer();

        WeekToDateRow read =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(row));

        assertEquals(row, read);
    }

    private JdbcLatestRowWriter<Row> writer(Collection<Row> restored) throws IOException {
        return new JdbcLatestRowWriter<>(
                JdbcBatchWriterTest.writer(jdbc, Retries.DEFAULT),
                null,
                time,
                Row::k,
                row -> row.v().startsWith("end"),
                restored);
    }

    private Map<Integer, String> rows() throws SQLException {
        return JdbcBatchWriterTest.rows(jdbc);
    }
}
