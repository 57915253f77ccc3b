package com.openplatform.availability.sinks;

import com.openplatform.availability.config.JdbcOptions;
import java.io.IOException;
import java.io.Serializable;
import java.sql.SQLException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Batched idempotent upserts (or inserts that leave existing rows alone) over plain JDBC, flushed
 * before every checkpoint: a restart replays into the same rows (exactly-once results).
 *
 * <p>Not flink-connector-jdbc's sink: when its reconnect fails, its writer keeps a closed statement
 * (a NullPointerException in its flush thread) and its {@code close()} throws during the task's
 * clean-up, which Flink treats as fatal and answers by killing the TaskManager. {@link
 * JdbcBatchWriter} fails its task cleanly instead, so the job restarts until the database is back.
 */
public final class JdbcUpsertSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    /** Adds a record's values in the order of the statement's bound columns. */
    @FunctionalInterface
    public interface Binder<T> extends Serializable {
        void bind(RowValues values, T record) throws SQLException;
    }

    /** The row a record writes: its primary key in the table. */
    @FunctionalInterface
    public interface RowKey<T> extends Serializable {
        Object of(T record);
    }

    private final JdbcOptions jdbc;
    private final UpsertStatement statement;
    private final Binder<T> binder;
    private final RowKey<T> rowKey;

    public JdbcUpsertSink(
            JdbcOptions jdbc, UpsertStatement statement, Binder<T> binder, RowKey<T> rowKey) {
        this.jdbc = jdbc;
        this.statement = statement;
        this.binder = binder;
        this.rowKey = rowKey;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new JdbcUpsertWriter<>(
                new JdbcBatchWriter<>(
                        jdbc, statement, binder, rowKey, Retries.DEFAULT, context.metricGroup()),
                statement.table(),
                context.isObjectReuseEnabled() ? context.<T>createInputSerializer() : null,
                context.getProcessingTimeService());
    }

    @Override
    public String toString() {
        return "JdbcUpsertSink{" + statement.table() + ", " + jdbc + '}';
    }
}
