package com.openplatform.availability.sinks;

import com.openplatform.availability.config.JobConfig;
import com.openplatform.availability.records.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The dead-letter topic: each rejected record's raw bytes as the value, unchanged, and why it was
 * rejected in headers ({@value #REASON}, {@value #DETAIL}, {@value #INPUT}, UTF-8). Written in
 * Kafka transactions committed with the checkpoints: read with {@code isolation.level=
 * read_committed}, every rejected record is there exactly once.
 *
 * <p>It holds anything the inputs can hold: a record the events topic accepted can be larger with
 * the headers than the dead-letter topic's {@code max.message.bytes}, and the broker would refuse
 * it on every restart. So the writer reads that limit when it opens, and a dead letter that would
 * not fit keeps only the first bytes of its value, with {@value #TRUNCATED} {@code true} and
 * {@value #ORIGINAL_BYTES} (the record's whole size) saying so.
 */
public final class DeadLetterKafkaSink {
    public static final String REASON = "dlq.reason";
    public static final String DETAIL = "dlq.detail";
    public static final String INPUT = "dlq.input";
    public static final String TRUNCATED = "dlq.truncated";
    public static final String ORIGINAL_BYTES = "dlq.original-bytes";

    /**
     * The producer's {@code max.request.size}, and so the most a dead letter can be whatever the
     * topic allows: well above Kafka's 1 MiB default, within its default 32 MiB buffer.
     */
    static final int MAX_REQUEST_BYTES = 16 << 20;

    /** Room for the record batch's and the record's own framing within the limit. */
    static final int FRAMING_BYTES = 1024;

    private DeadLetterKafkaSink() {}

    public static KafkaSink<DeadLetter> create(JobConfig config) {
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(config.kafkaBootstrapServers())
                .setRecordSerializer(
                        new Serializer(config.topicDeadLetter(), config.kafkaBootstrapServers()))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(config.kafkaGroupId() + "-dlq")
                // Above the checkpoint interval, within the broker's 15-minute maximum.
                .setProperty("transaction.timeout.ms", "900000")
                // The sink makes a transactional producer per checkpoint, and each registered its
                // client metrics again (name collisions in the log); Flink's sink metrics stay.
                .setProperty("register.producer.metrics", "false")
                .setProperty("max.request.size", String.valueOf(MAX_REQUEST_BYTES))
                .build();
    }

    /** The topic's {@code max.message.bytes} as the broker applies it (its default included). */
    static int maxMessageBytes(String bootstrapServers, String topic) throws Exception {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        try (Admin admin = Admin.create(properties)) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS);
            return Integer.parseInt(
                    configs.get(resource).get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value());
        }
    }

    static final class Serializer implements KafkaRecordSerializationSchema<DeadLetter> {
        private static final long serialVersionUID = 1L;
        private static final byte[] TRUE = "true".getBytes(StandardCharsets.UTF_8);

        private final String topic;
        private final String bootstrapServers;
        private int maxRecordBytes;

        Serializer(String topic, String bootstrapServers) {
            this.topic = topic;
            this.bootstrapServers = bootstrapServers;
        }

        @Override
        public void open(
                SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext)
                throws Exception {
            limitTo(maxMessageBytes(bootstrapServers, topic));
        }

        /** Dead letters stay within a topic whose {@code max.message.bytes} is {@code limit}. */
        void limitTo(int limit) {
            maxRecordBytes = Math.min(limit, MAX_REQUEST_BYTES) - FRAMING_BYTES;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                DeadLetter letter, KafkaSinkContext context, Long timestamp) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(REASON, letter.getReason().name().getBytes(StandardCharsets.UTF_8));
            headers.add(DETAIL, letter.getDetail().getBytes(StandardCharsets.UTF_8));
            headers.add(INPUT, letter.getInput().getBytes(StandardCharsets.UTF_8));
            byte[] value = letter.getRaw();
            byte[] originalBytes =
                    String.valueOf(letter.getSize()).getBytes(StandardCharsets.UTF_8);
            // What the truncation headers would take, counted whether or not they are added.
            int room =
                    maxRecordBytes
                            - size(headers)
                            - TRUNCATED.length()
                            - TRUE.length
                            - ORIGINAL_BYTES.length()
                            - originalBytes.length;
            if (value.length > room || letter.isTruncated()) {
                value = Arrays.copyOf(value, Math.max(0, Math.min(value.length, room)));
                headers.add(TRUNCATED, TRUE);
                headers.add(ORIGINAL_BYTES, originalBytes);
            }
            return new ProducerRecord<>(topic, null, null, null, value, headers);
        }

        private static int size(RecordHeaders headers) {
            int bytes = 0;
            for (Header header : headers) {
                bytes += header.key().getBytes(StandardCharsets.UTF_8).length;
                bytes += header.value().length;
            }
            return bytes;
        }
    }
}
