package com.openplatform.availability.io;

import com.openplatform.availability.records.RawRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Newline-delimited records read as raw bytes (no charset decoding: the JSON parser reads UTF-8)
 * and decoded by the given function. Every line is a record, blank ones included, so that nothing
 * in the file is skipped unseen; a trailing {@code \r} is dropped.
 *
 * <p>Memory is bounded whatever the file holds: of a line longer than {@link
 * RawRecord#MAX_KEPT_BYTES} (a record that is rejected as too large anyway) only the first bytes
 * are kept, the rest is skipped up to the next newline, and the decoder gets the kept bytes with
 * the line's whole length.
 */
public final class NdjsonFormat<T> extends SimpleStreamFormat<T> {
    private static final long serialVersionUID = 1L;

    /** Turns one line into a record. */
    @FunctionalInterface
    public interface LineDecoder<T> extends Serializable {
        /**
         * @param line the line, or only its first bytes when {@code length} is larger
         * @param length the line's length in bytes
         */
        T decode(byte[] line, long length);
    }

    private final LineDecoder<T> decoder;
    private final TypeInformation<T> type;

    public NdjsonFormat(LineDecoder<T> decoder, TypeInformation<T> type) {
        this.decoder = decoder;
        this.type = type;
    }

    @Override
    public Reader<T> createReader(Configuration config, FSDataInputStream stream) {
        return new LineReader<>(stream, decoder);
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return type;
    }

    static final class LineReader<T> implements Reader<T> {
        private final InputStream in;
        private final LineDecoder<T> decoder;
        private final byte[] buffer = new byte[64 * 1024];
        private int position;
        private int limit;
        // Grows up to MAX_KEPT_BYTES, never further.
        private byte[] line = new byte[1024];

        LineReader(InputStream in, LineDecoder<T> decoder) {
            this.in = in;
            this.decoder = decoder;
        }

        @Override
        public T read() throws IOException {
            long length = 0;
            boolean sawAny = false;
            while (true) {
                if (position == limit) {
                    limit = in.read(buffer, 0, buffer.length);
                    position = 0;
                    if (limit <= 0) {
                        limit = 0;
                        return sawAny ? decode(length) : null;
                    }
                }
                sawAny = true;
                int start = position;
                while (position < limit && buffer[position] != '\n') {
                    position++;
                }
                int chunk = position - start;
                int kept = (int) Math.min(length, RawRecord.MAX_KEPT_BYTES);
                int toKeep = Math.min(chunk, RawRecord.MAX_KEPT_BYTES - kept);
                if (kept + toKeep > line.length) {
                    line =
                            Arrays.copyOf(
                                    line,
                                    Math.min(
                                            RawRecord.MAX_KEPT_BYTES,
                                            Math.max(line.length * 2, kept + toKeep)));
                }
                System.arraycopy(buffer, start, line, kept, toKeep);
                length += chunk;
                if (position < limit) {
                    position++; // the '\n'
                    return decode(length);
                }
            }
        }

        private T decode(long length) {
            if (length > RawRecord.MAX_KEPT_BYTES) {
                return decoder.decode(Arrays.copyOf(line, RawRecord.MAX_KEPT_BYTES), length);
            }
            int end = (int) length;
            if (end > 0 && line[end - 1] == '\r') {
                end--;
            }
            return decoder.decode(Arrays.copyOf(line, end), end);
        }

        /** How many bytes the reader holds for the current line: bounded, for tests. */
        int lineCapacity() {
            return line.length;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
