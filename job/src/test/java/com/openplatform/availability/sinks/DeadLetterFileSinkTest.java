package com.openplatform.availability.sinks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openplatform.availability.records.DeadLetter;
import com.openplatform.availability.records.RejectReason;
import com.openplatform.availability.testing.TestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

// Flink's harnesses and writers declare close() throws Exception, InterruptedException included.
@SuppressWarnings("try")
class DeadLetterFileSinkTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private Path file;
    private DeadLetterFileSink sink;

    @BeforeEach
    void createSink() {
        file = dir.resolve("out/dlq.ndjson");
        sink = new DeadLetterFileSink(file.toString());
    }

    private static DeadLetter letter(String raw) {
        return new DeadLetter(
                "events", RejectReason.INVALID_JSON, "malformed JSON", TestData.bytes(raw));
    }

    private static void write(StatefulSinkWriter<DeadLetter, Long> writer, String... raws)
            throws Exception {
        for (String raw : raws) {
            writer.write(letter(raw), null);
        }
    }

    /** The raw payloads of the file's dead letters, checking that each line is one object. */
    private List<String> rawsInFile() throws Exception {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<String> raws = new ArrayList<>();
        if (text.isEmpty()) {
            return raws;
        }
        assertEquals('\n', text.charAt(text.length() - 1), "every line ends with a newline");
        for (String line : text.substring(0, text.length() - 1).split("\n", -1)) {
            JsonNode json = JSON.readTree(line);
            assertEquals("INVALID_JSON", json.get("reason").asText());
            assertEquals("events", json.get("input").asText());
            raws.add(json.get("raw").asText());
        }
        return raws;
    }

    /** The writer state as it goes through a checkpoint. */
    private List<Long> checkpointed(List<Long> state) throws Exception {
        SimpleVersionedSerializer<Long> serializer = sink.getWriterStateSerializer();
        List<Long> restored = new ArrayList<>();
        for (Long length : state) {
            restored.add(
                    serializer.deserialize(serializer.getVersion(), serializer.serialize(length)));
        }
        return restored;
    }

    @Test
    void writesOneJsonObjectPerLineCreatingTheDirectory() throws Exception {
        try (StatefulSinkWriter<DeadLetter, Long> writer = sink.createWriter(null)) {
            write(writer, "not json", "{\"a\":\n1}", "");
            writer.flush(true);
        }

        assertEquals(List.of("not json", "{\"a\":\n1}", ""), rawsInFile());
    }

    @Test
    void snapshotIsTheLengthOfWhatWasWrittenSoFar() throws Exception {
        try (StatefulSinkWriter<DeadLetter, Long> writer = sink.createWriter(null)) {
            write(writer, "one", "two");

            List<Long> state = writer.snapshotState(1);

            assertEquals(List.of(Files.size(file)), state);
        }
    }

    @Test
    void restoredWriterCutsTheFileBackToTheSnapshotSoNoLineIsDuplicated() throws Exception {
        List<Long> state;
        StatefulSinkWriter<DeadLetter, Long> crashed = sink.createWriter(null);
        write(crashed, "one", "two");
        state = checkpointed(crashed.snapshotState(1));
        write(crashed, "three", "four");
        crashed.flush(false);
        crashed.close();
        assertEquals(List.of("one", "two", "three", "four"), rawsInFile());

        try (StatefulSinkWriter<DeadLetter, Long> restored = sink.restoreWriter(null, state)) {
            write(restored, "three", "four", "five");
        }

        assertEquals(List.of("one", "two", "three", "four", "five"), rawsInFile());
    }

    @Test
    void restoreFromAnEarlierCheckpointDropsEverythingAfterIt() throws Exception {
        List<Long> first;
        try (StatefulSinkWriter<DeadLetter, Long> writer = sink.createWriter(null)) {
            write(writer, "one");
            first = checkpointed(writer.snapshotState(1));
            write(writer, "two");
            writer.snapshotState(2);
            write(writer, "three");
        }

        sink.restoreWriter(null, first).close();

        assertEquals(List.of("one"), rawsInFile());
    }

    @Test
    void freshWriterOverwritesAnExistingFile() throws Exception {
        try (StatefulSinkWriter<DeadLetter, Long> writer = sink.createWriter(null)) {
            write(writer, "old one", "old two");
        }

        try (StatefulSinkWriter<DeadLetter, Long> writer = sink.createWriter(null)) {
            write(writer, "new");
        }

        assertEquals(List.of("new"), rawsInFile());
    }

    @Test
    void freshWriterWithNothingToWriteLeavesAnEmptyFile() throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "left over from an earlier run\n");

        sink.createWriter(null).close();

        assertEquals(0, Files.size(file));
    }

    @Test
    void writerStateSerializerRoundTripsLengths() throws Exception {
        assertEquals(
                List.of(0L, 123_456_789_012L, Long.MAX_VALUE),
                checkpointed(List.of(0L, 123_456_789_012L, Long.MAX_VALUE)));
    }
}
