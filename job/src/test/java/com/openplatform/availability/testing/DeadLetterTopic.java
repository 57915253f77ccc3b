package com.openplatform.availability.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.openplatform.availability.sinks.DeadLetterKafkaSink;
import com.openplatform.availability.testkit.CallbackDataGenerator.Line;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * What a dead-letter topic holds, by kind: the raw malformed events and too-late events (each
 * sorted), and how many update records (standards, bindings) were rejected.
 */
public record DeadLetterTopic(List<String> malformed, List<String> late, int updates) {

    /** Every committed dead letter of {@code topic}. */
    public static DeadLetterTopic read(KafkaBrokerExtension kafka, String topic) {
        List<String> malformed = new ArrayList<>();
        List<String> late = new ArrayList<>();
        int updates = 0;
        for (ConsumerRecord<byte[], byte[]> record : kafka.readCommitted(topic)) {
            String raw = new String(record.value(), StandardCharsets.UTF_8);
            if (!header(record, DeadLetterKafkaSink.INPUT).equals("events")) {
                updates++;
            } else if (header(record, DeadLetterKafkaSink.REASON).equals("LATE")) {
                late.add(raw);
            } else {
                malformed.add(raw);
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
