package com.openplatform.availability.sinks;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;

/**
 * The writer of a {@link JdbcLatestRowSink}: the latest record of each row, written {@link
 * #MAX_DELAY} after the first unwritten one arrived (a processing-time timer on the task thread)
 * and at the end of the input, in transactions of up to {@link #CHUNK} rows; a checkpoint carries
 * the unwritten rows.
 */
final class JdbcLatestRowWriter<T> implements StatefulSinkWriter<T, T> {
    static final Duration MAX_DELAY = Duration.ofSeconds(30);
    static final int CHUNK = 5_000;

    private final JdbcBatchWriter<T> writer;
    private final TypeSerializer<T> copier;
    private final WriteTimer timer;
    private final JdbcUpsertSink.RowKey<T> rowKey;
    private Map<Object, T> rows = new LinkedHashMap<>();

    /**
     * @param copier copies records before they are kept (object reuse); null when records are not
     *     reused
     * @param restored the rows a checkpoint carried
     */
    JdbcLatestRowWriter(
            JdbcBatchWriter<T> writer,
            TypeSerializer<T> copier,
            ProcessingTimeService time,
            JdbcUpsertSink.RowKey<T> rowKey,
            Collection<T> restored) {
        this.writer = writer;
        this.copier = copier;
        this.timer = new WriteTimer(time, MAX_DELAY, this::writeRows);
        this.rowKey = rowKey;
        for (T row : restored) {
            keep(row);
        }
    }

    @Override
    public void write(T record, Context context) {
        keep(copier == null ? record : copier.copy(record));
    }

    private void keep(T row) {
        rows.put(rowKey.of(row), row);
        timer.start();
    }

    /** Writes at the end of the input only: a checkpoint carries the rows instead. */
    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        if (endOfInput) {
            writeRows();
        }
    }

    @Override
    public List<T> snapshotState(long checkpointId) {
        return new ArrayList<>(rows.values());
    }

    private void writeRows() throws IOException, InterruptedException {
        List<T> all = new ArrayList<>(rows.values());
        for (int from = 0; from < all.size(); from += CHUNK) {
            writer.write(all.subList(from, Math.min(all.size(), from + CHUNK)));
        }
        rows = new LinkedHashMap<>();
    }

    @Override
    public void close() {
        writer.close();
    }
}
