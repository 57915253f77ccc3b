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
 *
 * <p>A row's final record (a week's row at its end) can never be replaced, so holding it gains
 * nothing: final records are written like upserts, {@link #CHUNK} at a time and the rest before
 * every checkpoint, which then does not carry them. At the end of a week every running week's row
 * becomes final at once.
 */
final class JdbcLatestRowWriter<T> implements StatefulSinkWriter<T, T> {
    static final Duration MAX_DELAY = Duration.ofSeconds(30);
    static final int CHUNK = 5_000;

    private final JdbcBatchWriter<T> writer;
    private final TypeSerializer<T> copier;
    private final WriteTimer timer;
    private final JdbcUpsertSink.RowKey<T> rowKey;
    private final JdbcLatestRowSink.FinalRow<T> isFinal;
    private Map<Object, T> rows = new LinkedHashMap<>();
    private List<T> finalRows = new ArrayList<>();

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
            JdbcLatestRowSink.FinalRow<T> isFinal,
            Collection<T> restored) {
        this.writer = writer;
        this.copier = copier;
        this.timer = new WriteTimer(time, MAX_DELAY, this::writeRows);
        this.rowKey = rowKey;
        this.isFinal = isFinal;
        for (T row : restored) {
            keep(row);
        }
    }

    @Override
    public void write(T record, Context context) throws IOException, InterruptedException {
        keep(copier == null ? record : copier.copy(record));
        if (finalRows.size() >= CHUNK) {
            writeFinalRows();
        }
    }

    private void keep(T row) {
        Object key = rowKey.of(row);
        if (isFinal.test(row)) {
            rows.remove(key);
            finalRows.add(row);
        } else {
            rows.put(key, row);
        }
        timer.start();
    }

    /** Writes the final rows, and the others at the end of the input only. */
    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        writeFinalRows();
        if (endOfInput) {
            writeRows();
        }
    }

    /** The rows not written yet: those the next records may still replace. */
    @Override
    public List<T> snapshotState(long checkpointId) {
        List<T> unwritten = new ArrayList<>(rows.values());
        unwritten.addAll(finalRows);
        return unwritten;
    }

    private void writeFinalRows() throws IOException, InterruptedException {
        // A restore may bring more than a chunk of them.
        writeInChunks(finalRows);
        finalRows = new ArrayList<>();
    }

    private void writeRows() throws IOException, InterruptedException {
        writeFinalRows();
        writeInChunks(new ArrayList<>(rows.values()));
        rows = new LinkedHashMap<>();
    }

    private void writeInChunks(List<T> all) throws IOException, InterruptedException {
        for (int from = 0; from < all.size(); from += CHUNK) {
            writer.write(all.subList(from, Math.min(all.size(), from + CHUNK)));
        }
    }

    @Override
    public void close() {
        writer.close();
    }
}
