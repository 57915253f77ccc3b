package com.openplatform.availability.sinks;

import com.openplatform.availability.config.JdbcOptions;
import com.openplatform.availability.functions.DeadLetters;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes batches of records with one statement over one JDBC connection, each batch in one
 * transaction, riding out short database outages and never blocked by one bad row:
 *
 * <ul>
 *   <li>The connection is made when the writer is created, so a task that cannot reach the database
 *       fails at once (the job shows RESTARTING, not RUNNING with nothing behind it).
 *   <li>A failed batch is tried again on a new connection with exponential backoff ({@link
 *       Retries}); after the last attempt {@link #write} throws an {@link IOException}, which fails
 *       the task cleanly: Flink restarts it from the last checkpoint (the statements are
 *       idempotent, so a replay writes the same rows).
 *   <li>A batch the database refuses for its data (SQLSTATE 22/23), on a connection that still
 *       works, is written row by row; the rows refused are logged with the error, counted ({@code
 *       rowsRefused}) and returned, and the others are written.
 *   <li>{@link #close()} never throws: a failed task's clean-up must not fail, or Flink treats it
 *       as fatal and kills the TaskManager.
 *   <li>On PostgreSQL a batch is copied into a staging table of the session ({@code COPY}) and
 *       merged into the table by one {@code INSERT … SELECT} ({@link UpsertStatement#staging()}),
 *       which the server executes at a fraction of the cost of the same rows as parameters
 *       (docs/benchmarks.md). Rows written one by one, and MySQL/MariaDB's batches, are sent as
 *       parameters; PostgreSQL's driver rewrites those into multi-row {@code INSERT}s ({@link
 *       JdbcConnections#openForBatches}).
 *   <li>One statement must not affect a row twice ({@code ON CONFLICT DO UPDATE} refuses it), so a
 *       batch holding a row again is written in parts, each row's versions in their order, all in
 *       the batch's transaction.
 * </ul>
 *
 * Not thread-safe: one writer per task thread.
 */
public final class JdbcBatchWriter<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcBatchWriter.class);

    private final JdbcOptions jdbc;
    private final String table;
    private final String sql;
    private final UpsertStatement.Staging staging;
    private final JdbcUpsertSink.Binder<T> binder;
    private final JdbcUpsertSink.RowKey<T> rowKey;
    private final Retries retries;
    private final Counter retried;
    private final Counter refused;
    private Connection connection;
    private CopyText copyText;

    /** The connection whose staging table exists (made in a transaction that committed). */
    private Connection staged;

    /**
     * @throws IOException if the database cannot be reached
     */
    public JdbcBatchWriter(
            JdbcOptions jdbc,
            UpsertStatement statement,
            JdbcUpsertSink.Binder<T> binder,
            JdbcUpsertSink.RowKey<T> rowKey,
            Retries retries,
            MetricGroup operatorGroup)
            throws IOException {
        this.jdbc = jdbc;
        this.table = statement.table();
        this.sql = statement.sql();
        this.staging = statement.staging();
        this.binder = binder;
        this.rowKey = rowKey;
        this.retries = retries;
        MetricGroup group = operatorGroup.addGroup(DeadLetters.METRIC_GROUP);
        this.retried = group.counter("jdbcWriteRetries");
        this.refused = group.counter("rowsRefused");
        try {
            connection = JdbcConnections.openForBatches(jdbc);
        } catch (SQLException e) {
            throw new IOException("Cannot connect to " + describe() + " to write " + table, e);
        }
    }

    /**
     * Writes {@code records}; returns those the database refused for their data (the others are
     * written).
     *
     * @throws IOException if the database could not be written in {@link Retries#attempts()}
     */
    public List<T> write(List<T> records) throws IOException, InterruptedException {
        if (records.isEmpty()) {
            return List.of();
        }
        boolean rowByRow = false;
        int attempt = 0;
        while (true) {
            try {
                if (rowByRow) {
                    return writeRowByRow(records);
                }
                writeBatch(records);
                return List.of();
            } catch (SQLException e) {
                if (!rowByRow && SqlErrors.isDataError(e) && connectionWorks()) {
                    rowByRow = true;
                    continue;
                }
                attempt++;
                dropConnection();
                if (attempt >= retries.attempts()) {
                    throw new IOException(
                            String.format(
                                    "Could not write %d rows to %s at %s in %d attempts",
                                    records.size(), table, describe(), attempt),
                            e);
                }
                Duration backoff = retries.backoff(attempt);
                LOG.warn(
                        "Writing {} rows to {} failed (attempt {} of {}), retrying in {} ms: {}",
                        records.size(),
                        table,
                        attempt,
                        retries.attempts(),
                        backoff.toMillis(),
                        e.toString());
                retried.inc();
                Thread.sleep(backoff.toMillis());
            }
        }
    }

    private void writeBatch(List<T> records) throws SQLException {
        if (connection == null) {
            connection = JdbcConnections.openForBatches(jdbc);
        }
        Connection c = connection;
        c.setAutoCommit(false);
        boolean copied = staging != null && records.size() > 1;
        try {
            if (copied) {
                writeStaged(c, records);
            } else {
                writeParameters(c, records);
            }
            c.commit();
        } catch (SQLException e) {
            rollbackQuietly(c);
            throw e;
        }
        if (copied) {
            staged = c;
        }
    }

    private void writeParameters(Connection c, List<T> records) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            inParts(
                    records,
                    record -> {
                        binder.bind(RowValues.of(statement), record);
                        statement.addBatch();
                    },
                    first -> statement.executeBatch());
        }
    }

    private void writeStaged(Connection c, List<T> records) throws SQLException {
        if (copyText == null) {
            copyText = new CopyText();
        }
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        try (Statement statement = c.createStatement()) {
            if (staged != c) {
                statement.execute(staging.create());
            }
            inParts(
                    records,
                    record -> {
                        binder.bind(copyText, record);
                        copyText.endRow();
                    },
                    first -> {
                        if (!first) {
                            statement.execute("TRUNCATE " + staging.table());
                        }
                        try {
                            copy.copyIn(staging.copy(), new ByteArrayInputStream(copyText.bytes()));
                        } catch (IOException e) {
                            throw new SQLException(
                                    "Could not copy rows into " + staging.table(), "08006", e);
                        }
                        copyText.clear();
                        statement.executeUpdate(staging.merge());
                    });
        } finally {
            copyText.clear();
        }
    }

    /**
     * Adds the records to parts in which no row appears twice, in their order, and ends each part
     * when it is complete.
     */
    private void inParts(List<T> records, PartRecord<T> add, PartEnd end) throws SQLException {
        Set<Object> rowsInPart = new HashSet<>();
        boolean first = true;
        for (T record : records) {
            Object row = rowKey.of(record);
            if (!rowsInPart.add(row)) {
                end.end(first);
                first = false;
                rowsInPart.clear();
                rowsInPart.add(row);
            }
            add.add(record);
        }
        end.end(first);
    }

    @FunctionalInterface
    private interface PartRecord<T> {
        void add(T record) throws SQLException;
    }

    @FunctionalInterface
    private interface PartEnd {
        void end(boolean firstPart) throws SQLException;
    }

    /**
     * The rows one by one, each in a transaction of its own. A connection error ends it, and the
     * whole batch is tried again (the statements are idempotent).
     */
    private List<T> writeRowByRow(List<T> records) throws SQLException {
        List<T> refusedRows = new ArrayList<>();
        for (T record : records) {
            try {
                writeBatch(List.of(record));
            } catch (SQLException e) {
                if (!SqlErrors.isDataError(e)) {
                    throw e;
                }
                refused.inc();
                refusedRows.add(record);
                LOG.error("{} refused a row, which is left out: {}", table, record, e);
            }
        }
        return refusedRows;
    }

    private boolean connectionWorks() {
        try {
            return connection != null && connection.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            // the connection is broken: it is dropped and replaced
        }
    }

    private void dropConnection() {
        JdbcConnections.closeQuietly(connection);
        connection = null;
        staged = null;
    }

    private String describe() {
        return jdbc.redactedUrl();
    }

    @Override
    public void close() {
        dropConnection();
    }
}
