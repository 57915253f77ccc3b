package com.openplatform.availability.sinks;

import com.openplatform.availability.records.DeadLetter;
import com.openplatform.availability.records.DeadLetterJson;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Writes dead letters to one NDJSON file (file mode, docs/reference.md §3), exactly once: the
 * writer checkpoints the file length and a restore cuts the file back to it before the replay, so
 * no line appears twice. A fresh start overwrites the file. Runs with parallelism 1.
 */
public class DeadLetterFileSink implements Sink<DeadLetter>, SupportsWriterState<DeadLetter, Long> {
    private static final long serialVersionUID = 1L;

    private final String path;

    public DeadLetterFileSink(String path) {
        this.path = path;
    }

    @Override
    public StatefulSinkWriter<DeadLetter, Long> createWriter(WriterInitContext context)
            throws IOException {
        return new Writer(Paths.get(path), 0L);
    }

    @Override
    public StatefulSinkWriter<DeadLetter, Long> restoreWriter(
            WriterInitContext context, Collection<Long> recoveredState) throws IOException {
        long length = recoveredState.stream().mapToLong(Long::longValue).max().orElse(0L);
        return new Writer(Paths.get(path), length);
    }

    @Override
    public SimpleVersionedSerializer<Long> getWriterStateSerializer() {
        return new LengthSerializer();
    }

    private static final class Writer implements StatefulSinkWriter<DeadLetter, Long> {
        private final FileChannel channel;
        private final OutputStream out;

        Writer(Path file, long length) throws IOException {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            channel.truncate(length);
            channel.position(length);
            out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
        }

        @Override
        public void write(DeadLetter letter, Context context) throws IOException {
            out.write(DeadLetterJson.toJson(letter));
            out.write('\n');
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            out.flush();
        }

        @Override
        public List<Long> snapshotState(long checkpointId) throws IOException {
            out.flush();
            channel.force(false);
            return Collections.singletonList(channel.position());
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    private static final class LengthSerializer implements SimpleVersionedSerializer<Long> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Long length) {
            return ByteBuffer.allocate(Long.BYTES).putLong(length).array();
        }

        @Override
        public Long deserialize(int version, byte[] serialized) {
            return ByteBuffer.wrap(serialized).getLong();
        }
    }
}
