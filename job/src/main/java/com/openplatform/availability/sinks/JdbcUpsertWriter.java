package com.openplatform.availability.sinks;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer of a {@link JdbcUpsertSink}: buffers records and writes them ({@link JdbcBatchWriter}:
 * retries, reconnects, row by row around refused rows) when the batch is full, {@link #MAX_DELAY}
 * after the first buffered record, and before every checkpoint ({@link #flush}). Everything runs on
 * the task thread: the delay is a processing-time timer, not a thread of its own.
 *
 * <p>With a {@link JdbcUpsertSink.RowKey}, a buffered record is replaced by a later one of the same
 * row, and the buffer holds up to {@link #ROW_BATCH_SIZE} rows for up to {@link #ROW_MAX_DELAY}: a
 * replay or backfill that rewrites each row many times a second writes it once in those seconds (or
 * once per checkpoint), while rows of hourly changes are written seconds after they change.
 *
 * <p>{@link #close()} never throws and never writes: buffered records belong to a checkpoint that
 * was not taken and are replayed after the restore.
 */
final class JdbcUpsertWriter<T> implements SinkWriter<T> {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcUpsertWriter.class);

    static final int BATCH_SIZE = 500;
    static final Duration MAX_DELAY = Duration.ofMillis(200);
    static final int ROW_BATCH_SIZE = 20_000;
    static final Duration ROW_MAX_DELAY = Duration.ofSeconds(5);

    private final JdbcBatchWriter<T> writer;
    private final String table;
    private final TypeSerializer<T> copier;
    private final ProcessingTimeService time;
    private final JdbcUpsertSink.RowKey<T> rowKey;
    private final int batchSize;
    private final long maxDelayMillis;
    private List<T> buffer = new ArrayList<>();
    private Map<Object, T> rows = new LinkedHashMap<>();
    private boolean timerPending;

    /**
     * @param copier copies records before they are buffered (object reuse); null when records are
     *     not reused
     * @param rowKey the row of a record, when only the latest record of a row need be written; null
     *     to write every record
     */
    JdbcUpsertWriter(
            JdbcBatchWriter<T> writer,
            String table,
            TypeSerializer<T> copier,
            ProcessingTimeService time,
            JdbcUpsertSink.RowKey<T> rowKey) {
        this.writer = writer;
        this.table = table;
        this.copier = copier;
        this.time = time;
        this.rowKey = rowKey;
        this.batchSize = rowKey == null ? BATCH_SIZE : ROW_BATCH_SIZE;
        this.maxDelayMillis = (rowKey == null ? MAX_DELAY : ROW_MAX_DELAY).toMillis();
    }

    @Override
    public void write(T record, Context context) throws IOException, InterruptedException {
        T copy = copier == null ? record : copier.copy(record);
        int buffered;
        if (rowKey == null) {
            buffer.add(copy);
            buffered = buffer.size();
        } else {
            rows.put(rowKey.of(copy), copy);
            buffered = rows.size();
        }
        if (buffered >= batchSize) {
            writeBuffer();
        } else if (!timerPending) {
            timerPending = true;
            time.registerTimer(
                    time.getCurrentProcessingTime() + maxDelayMillis,
                    now -> {
                        timerPending = false;
                        writeBuffer();
                    });
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        writeBuffer();
    }

    private void writeBuffer() throws IOException, InterruptedException {
        if (!rows.isEmpty()) {
            buffer.addAll(rows.values());
            rows = new LinkedHashMap<>();
        }
        writer.write(buffer);
        buffer = new ArrayList<>();
    }

    @Override
    public void close() {
        buffer.addAll(rows.values());
        rows = new LinkedHashMap<>();
        if (!buffer.isEmpty()) {
            LOG.info(
                    "Closing the {} writer with {} rows not written; they are written again after"
                            + " the restore",
                    table,
                    buffer.size());
        }
        buffer = new ArrayList<>();
        writer.close();
    }
}
