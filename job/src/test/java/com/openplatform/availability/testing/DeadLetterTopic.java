package com.openplatform.availability.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openplatform.availability.sinks.DeadLetterKafkaSink;
import com.openplatform.availability.testkit.CallbackDataGenerator.Line;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * What a dead-letter topic (or file mode's dead-letter file) holds, by kind: the raw malformed
 * events and too-late events (each sorted), and how many update records (standards, bindings) were
 * rejected.
 */
public record DeadLetterTopic(List<String> malformed, List<String> late, int updates) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every committed dead letter of {@code topic}. */
    public static DeadLetterTopic read(KafkaBrokerExtension kafka, String topic) {
        List<String[]> letters = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : kafka.readCommitted(topic)) {
            letters.add(
                    new String[] {
                        header(record, DeadLetterKafkaSink.INPUT),
                        header(record, DeadLetterKafkaSink.REASON),
                        new String(record.value(), StandardCharsets.UTF_8)
                    });
        }
        return of(letters);
    }

    /** Every dead letter of file mode's NDJSON {@code file}, in the same shape. */
    public static DeadLetterTopic readFile(Path file) throws IOException {
        List<String[]> letters = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            JsonNode letter = JSON.readTree(line);
            letters.add(
                    new String[] {
                        letter.get("input").asText(),
                        letter.get("reason").asText(),
                        letter.get("raw").asText()
                    });
        }
        return of(letters);
    }

    /** From (input, reason, raw) triples. */
    private static DeadLetterTopic of(List<String[]> letters) {
        List<String> malformed = new ArrayList<>();
        List<String> late = new ArrayList<>();
        int updates = 0;
        for (String[] letter : letters) {
            if (!letter[0].equals("events")) {
                updates++;
            } else if (letter[1].equals("LATE")) {
                late.add(letter[2]);
            } else {
                malformed.add(letter[2]);
            }
        }
        malformed.sort(null);
        late.sort(null);
        return new DeadLetterTopic(malformed, late, updates);
    }

    /** Each malformed line of {@code events} and each too-late event once, and the bad updates. */
    public static DeadLetterTopic expected(
            List<Line> events, ReferenceModel.Expected model, int badUpdates) {
        List<String> malformed = new ArrayList<>();
        for (Line line : events) {
            if (line.event() == null) {
                malformed.add(line.json());
            }
        }
        malformed.sort(null);
        return new DeadLetterTopic(malformed, model.tooLateJson(), badUpdates);
    }

    /** Fails unless {@code actual} holds exactly what this expects. */
    public void assertHeldBy(DeadLetterTopic actual) {
        assertEquals(malformed, actual.malformed(), "each malformed event once");
        assertEquals(late, actual.late(), "each too-late event once, LATE");
        assertEquals(updates, actual.updates(), "the bad standard and binding once each");
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
