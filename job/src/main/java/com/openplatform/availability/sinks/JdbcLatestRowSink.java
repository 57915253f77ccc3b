package com.openplatform.availability.sinks;

import com.openplatform.availability.config.JdbcOptions;
import java.io.IOException;
import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Idempotent upserts of rows that are rewritten often (a running total per key): only the latest
 * record of a row is kept, written at most every {@link JdbcLatestRowWriter#MAX_DELAY}; what is not
 * yet written is carried in the checkpoint instead of being written before it. A replay or backfill
 * that rewrites every row at each of its checkpoints thus writes each row once in that delay, not
 * once per checkpoint. The statement must never move a row back (a restore writes the carried rows
 * again, and after a rescale two writers may hold the same row). A row's final record is written
 * without the delay ({@link JdbcLatestRowWriter}).
 */
public final class JdbcLatestRowSink<T> implements Sink<T>, SupportsWriterState<T, T> {
    private static final long serialVersionUID = 1L;

    private final JdbcOptions jdbc;
    private final UpsertStatement statement;
    private final JdbcUpsertSink.Binder<T> binder;
    private final JdbcUpsertSink.RowKey<T> rowKey;
    private final FinalRow<T> isFinal;
    private final TypeInformation<T> type;

    /** Whether a record is its row's last: no later record replaces it. */
    @FunctionalInterface
    public interface FinalRow<T> extends Serializable {
        boolean test(T record);
    }

    public JdbcLatestRowSink(
            JdbcOptions jdbc,
            UpsertStatement statement,
            JdbcUpsertSink.Binder<T> binder,
            JdbcUpsertSink.RowKey<T> rowKey,
            FinalRow<T> isFinal,
            TypeInformation<T> type) {
        this.jdbc = jdbc;
        this.statement = statement;
        this.binder = binder;
        this.rowKey = rowKey;
        this.isFinal = isFinal;
        this.type = type;
    }

    @Override
    public StatefulSinkWriter<T, T> createWriter(WriterInitContext context) throws IOException {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<T, T> restoreWriter(
            WriterInitContext context, Collection<T> recoveredState) throws IOException {
        return new JdbcLatestRowWriter<>(
                new JdbcBatchWriter<>(
                        jdbc, statement, binder, rowKey, Retries.DEFAULT, context.metricGroup()),
                context.isObjectReuseEnabled() ? context.<T>createInputSerializer() : null,
                context.getProcessingTimeService(),
                rowKey,
                isFinal,
                recoveredState);
    }

    @Override
    public SimpleVersionedSerializer<T> getWriterStateSerializer() {
        return new RowSerializer<>(type.createSerializer(new SerializerConfigImpl()));
    }

    @Override
    public String toString() {
        return "JdbcLatestRowSink{" + statement.table() + ", " + jdbc + '}';
    }

    /** An unwritten row in the checkpoint, in the record's own Flink serialization. */
    static final class RowSerializer<T> implements SimpleVersionedSerializer<T> {
        private final TypeSerializer<T> serializer;

        RowSerializer(TypeSerializer<T> serializer) {
            this.serializer = serializer;
        }

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(T row) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(256);
            serializer.serialize(row, out);
            return out.getCopyOfBuffer();
        }

        @Override
        public T deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) {
                throw new IOException("Unknown version " + version + " of an unwritten row");
            }
            return serializer.deserialize(new DataInputDeserializer(serialized));
        }
    }
}
