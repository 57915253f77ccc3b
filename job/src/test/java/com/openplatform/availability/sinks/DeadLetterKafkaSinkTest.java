package com.openplatform.availability.sinks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openplatform.availability.records.DeadLetter;
import com.openplatform.availability.records.RejectReason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

class DeadLetterKafkaSinkTest {
    /** Kafka's default max.message.bytes. */
    private static final int TOPIC_LIMIT = 1_048_588;

    private static ProducerRecord<byte[], byte[]> serialize(DeadLetter letter, int topicLimit) {
        DeadLetterKafkaSink.Serializer serializer =
                new DeadLetterKafkaSink.Serializer("dlq", "unused:9092");
        serializer.limitTo(topicLimit);
        return serializer.serialize(letter, null, null);
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static int size(ProducerRecord<byte[], byte[]> record) {
        int bytes = record.value().length;
        for (Header header : record.headers()) {
            bytes += header.key().length() + header.value().length;
        }
        return bytes;
    }

    @Test
    void deadLetterThatFitsKeepsItsRawBytesUnchanged() {
        byte[] raw = "{\"eventId\":".getBytes(StandardCharsets.UTF_8);

        ProducerRecord<byte[], byte[]> record =
                serialize(
                        new DeadLetter("events", RejectReason.INVALID_JSON, "x", raw), TOPIC_LIMIT);

        assertArrayEquals(raw, record.value());
        assertEquals("INVALID_JSON", header(record, DeadLetterKafkaSink.REASON));
        assertNull(header(record, DeadLetterKafkaSink.TRUNCATED));
    }

    @Test
    void recordAsLargeAsTheEventsTopicAcceptsIsCutToFitTheDeadLetterTopic() {
        byte[] raw = new byte[1_048_400];
        Arrays.fill(raw, (byte) 'x');
        DeadLetter letter =
                new DeadLetter(
                        "events",
                        RejectReason.TOO_LARGE,
                        "record has 1048400 bytes, more than 65536",
                        raw);

        ProducerRecord<byte[], byte[]> record = serialize(letter, TOPIC_LIMIT);

        assertTrue(size(record) <= TOPIC_LIMIT - DeadLetterKafkaSink.FRAMING_BYTES);
        assertArrayEquals(Arrays.copyOf(raw, record.value().length), record.value());
        assertEquals("true", header(record, DeadLetterKafkaSink.TRUNCATED));
        assertEquals("1048400", header(record, DeadLetterKafkaSink.ORIGINAL_BYTES));
    }

    @Test
    void topicLimitAboveTheProducersIsCappedByTheProducers() {
        byte[] raw = new byte[DeadLetterKafkaSink.MAX_REQUEST_BYTES + 10];

        ProducerRecord<byte[], byte[]> record =
                serialize(
                        new DeadLetter("events", RejectReason.TOO_LARGE, "big", raw),
                        Integer.MAX_VALUE);

        assertTrue(size(record) <= DeadLetterKafkaSink.MAX_REQUEST_BYTES);
        assertEquals("true", header(record, DeadLetterKafkaSink.TRUNCATED));
    }

    @Test
    void lineAlreadyCutByTheFileReaderSaysSoWithItsWholeSize() {
        byte[] start = "[1,2".getBytes(StandardCharsets.UTF_8);

        ProducerRecord<byte[], byte[]> record =
                serialize(
                        new DeadLetter(
                                "standards", RejectReason.TOO_LARGE, "big", start, 9_000_000L),
                        TOPIC_LIMIT);

        assertArrayEquals(start, record.value());
        assertEquals("true", header(record, DeadLetterKafkaSink.TRUNCATED));
        assertEquals("9000000", header(record, DeadLetterKafkaSink.ORIGINAL_BYTES));
    }
}
