package com.openplatform.availability.io;

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
 */
public final class NdjsonFormat<T> extends SimpleStreamFormat<T> {
    private static final long serialVersionUID = 1L;

    /** Turns one line into a record. */
    @FunctionalInterface
    public interface LineDecoder<T> extends Serializable {
        T decode(byte[] line);
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

    private static final class LineReader<T> implements Reader<T> {
        private final InputStream in;
        private final LineDecoder<T> decoder;
        private final byte[] buffer = new byte[64 * 1024];
        private int position;
        private int limit;
        private byte[] line = new byte[1024];

        LineReader(InputStream in, LineDecoder<T> decoder) {
            this.in = in;
            this.decoder = decoder;
        }

        @Override
        public T read() throws IOException {
            int length = 0;
            boolean sawAny = false;
            while (true) {
                if (position == limit) {
                    limit = in.read(buffer, 0, buffer.length);
                    position = 0;
                    if (limit <= 0) {
                        limit = 0;
                        return sawAny ? decoder.decode(lineOf(length)) : null;
                    }
                }
                sawAny = true;
                int start = position;
                while (position < limit && buffer[position] != '\n') {
                    position++;
                }
                int chunk = position - start;
                if (length + chunk > line.length) {
                    line = Arrays.copyOf(line, Math.max(line.length * 2, length + chunk));
                }
                System.arraycopy(buffer, start, line, length, chunk);
                length += chunk;
                if (position < limit) {
                    position++; // the '\n'
                    return decoder.decode(lineOf(length));
                }
            }
        }

        private byte[] lineOf(int length) {
            int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
            return Arrays.copyOf(line, end);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
