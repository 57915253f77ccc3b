package com.openplatform.availability.sinks;

import com.openplatform.availability.config.JobConfig;
import com.openplatform.availability.records.DeadLetter;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The dead-letter topic: each rejected record's raw bytes as the value, unchanged, and why it was
 * rejected in headers ({@value #REASON}, {@value #DETAIL}, {@value #INPUT}, UTF-8). Written in
 * Kafka transactions committed with the checkpoints: read with {@code isolation.level=
 * read_committed}, every rejected record is there exactly once.
 */
public final class DeadLetterKafkaSink {
    public static final String REASON = "dlq.reason";
    public static final String DETAIL = "dlq.detail";
    public static final String INPUT = "dlq.input";

    private DeadLetterKafkaSink() {}

    public static KafkaSink<DeadLetter> create(JobConfig config) {
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(config.kafkaBootstrapServers())
                .setRecordSerializer(new Serializer(config.topicDeadLetter()))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(config.kafkaGroupId() + "-dlq")
                // Above the checkpoint interval, within the broker's 15-minute maximum.
                .setProperty("transaction.timeout.ms", "900000")
                // The sink makes a transactional producer per checkpoint, and each registered its
                // client metrics again (name collisions in the log); Flink's sink metrics stay.
                .setProperty("register.producer.metrics", "false")
                .build();
    }

    private static final class Serializer implements KafkaRecordSerializationSchema<DeadLetter> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        Serializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                DeadLetter letter, KafkaSinkContext context, Long timestamp) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(REASON, letter.getReason().name().getBytes(StandardCharsets.UTF_8));
            headers.add(DETAIL, letter.getDetail().getBytes(StandardCharsets.UTF_8));
            headers.add(INPUT, letter.getInput().getBytes(StandardCharsets.UTF_8));
            return new ProducerRecord<>(topic, null, null, null, letter.getRaw(), headers);
        }
    }
}
