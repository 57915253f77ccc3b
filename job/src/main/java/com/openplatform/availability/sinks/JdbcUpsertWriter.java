package com.openplatform.availability.sinks;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * <p>{@link #close()} never throws and never writes: buffered records belong to a checkpoint that
 * was not taken and are replayed after the restore.
 */
final class JdbcUpsertWriter<T> implements SinkWriter<T> {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcUpsertWriter.class);

    static final int BATCH_SIZE = 5_000;
    static final Duration MAX_DELAY = Duration.ofMillis(200);

    private final JdbcBatchWriter<T> writer;
    private final String table;
    private final TypeSerializer<T> copier;
    private final WriteTimer timer;
    private List<T> buffer = new ArrayList<>();

    /**
     * @param copier copies records before they are buffered (object reuse); null when records are
     *     not reused
     */
    JdbcUpsertWriter(
            JdbcBatchWriter<T> writer,
            String table,
            TypeSerializer<T> copier,
            ProcessingTimeService time) {
        this.writer = writer;
        this.table = table;
        this.copier = copier;
        this.timer = new WriteTimer(time, MAX_DELAY, this::writeBuffer);
    }

    @Override
    public void write(T record, Context context) throws IOException, InterruptedException {
        buffer.add(copier == null ? record : copier.copy(record));
        if (buffer.size() >= BATCH_SIZE) {
            writeBuffer();
        } else {
            timer.start();
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        writeBuffer();
    }

    private void writeBuffer() throws IOException, InterruptedException {
        writer.write(buffer);
        buffer = new ArrayList<>();
    }

    @Override
    public void close() {
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
