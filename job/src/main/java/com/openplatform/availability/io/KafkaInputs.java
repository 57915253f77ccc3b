package com.openplatform.availability.io;

import com.openplatform.availability.config.ConfigException;
import com.openplatform.availability.config.JobConfig;
import com.openplatform.availability.config.KafkaStartFrom;
import com.openplatform.availability.io.CatchUpReader.OffsetRange;
import com.openplatform.availability.records.CallbackRecord;
import com.openplatform.availability.records.CallbackRecordReader;
import com.openplatform.availability.records.RawRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;

/**
 * The Kafka sources (docs/reference.md §3, §5). Events resume from the group's committed offsets
 * (earliest on the first start) unless {@code --kafka.start-from} says otherwise; standards and
 * bindings are compacted topics always read from the earliest offset, so a fresh start knows every
 * standard and binding. Offsets are committed on checkpoints.
 */
public final class KafkaInputs {
    private static final byte[] NO_VALUE = new byte[0];

    private KafkaInputs() {}

    /**
     * @param reader parses each record and applies the wall-clock rule, before the watermark
     *     strategy sees it
     */
    public static KafkaSource<CallbackRecord> events(
            JobConfig config, CallbackRecordReader reader) {
        KafkaSourceBuilder<CallbackRecord> builder =
                KafkaSource.<CallbackRecord>builder()
                        .setBootstrapServers(config.kafkaBootstrapServers())
                        .setGroupId(config.kafkaGroupId())
                        .setTopics(config.topicEvents())
                        .setStartingOffsets(startingOffsets(config.kafkaStartFrom()))
                        .setDeserializer(new CallbackRecords(reader))
                        .setProperty("partition.discovery.interval.ms", "60000")
                        .setProperty("commit.offsets.on.checkpoint", "true")
                        // Throughput (docs/benchmarks.md): larger fetches and polls, and more of
                        // them queued between the fetcher thread and the task.
                        .setProperty("max.poll.records", "5000")
                        .setProperty("max.partition.fetch.bytes", String.valueOf(8 << 20))
                        .setProperty("source.reader.element.queue.capacity", "8")
                        // The OS's auto-tuned socket buffer instead of Kafka's fixed 64 KiB, which
                        // read each 8 MiB fetch in small pieces.
                        .setProperty("receive.buffer.bytes", "-1");
        return sharedSettings(builder, config).build();
    }

    /**
     * What every Kafka input shares: {@code --kafka.stop-at-latest} reads up to the offsets that
     * are the latest at the start; and the Kafka consumer's own hundred-odd client metrics per
     * subtask stay unregistered: every metric report (web UI, Prometheus) collects them all, which
     * cost measurably (docs/benchmarks.md); Flink's source metrics, pendingRecords (the lag) and
     * the current and committed offsets per partition among them, stay.
     */
    private static <T> KafkaSourceBuilder<T> sharedSettings(
            KafkaSourceBuilder<T> builder, JobConfig config) {
        builder.setProperty("register.consumer.metrics", "false");
        return config.kafkaStopAtLatest()
                ? builder.setBounded(OffsetsInitializer.latest())
                : builder;
    }

    /**
     * Where the events are read from on a start without state ({@code --kafka.start-from}); a
     * restore resumes from the checkpointed offsets whatever this says.
     */
    @SuppressWarnings("deprecation") // the connector takes Kafka's deprecated OffsetResetStrategy
    public static OffsetsInitializer startingOffsets(KafkaStartFrom from) {
        switch (from.kind()) {
            case EARLIEST:
                return OffsetsInitializer.earliest();
            case TIMESTAMP:
                return OffsetsInitializer.timestamp(from.timestamp().toEpochMilli());
            default:
                return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        }
    }

    /**
     * A compacted update topic (standards or bindings), as raw record values, each marked if it
     * ends its partition's backlog at the start; its readers hold event time until the backlog is
     * read ({@link CatchUpReader}).
     */
    public static Source<RawRecord, ?, ?> updates(JobConfig config, String topic) {
        KafkaSourceBuilder<RawRecord> builder =
                KafkaSource.<RawRecord>builder()
                        .setBootstrapServers(config.kafkaBootstrapServers())
                        .setGroupId(config.kafkaGroupId() + "-" + topic)
                        .setTopics(topic)
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setDeserializer(new UpdateRecords(config.kafkaBootstrapServers(), topic))
                        .setProperty("partition.discovery.interval.ms", "60000");
        return new CatchUpSource(
                sharedSettings(builder, config).build(),
                config.kafkaBootstrapServers(),
                topic,
                config.watermarkIdleTimeout());
    }

    /** Fails at start, naming them, if any of the job's topics does not exist. */
    public static void requireTopics(JobConfig config) {
        List<String> needed =
                List.of(
                        config.topicEvents(),
                        config.topicStandards(),
                        config.topicBindings(),
                        config.topicDeadLetter());
        try (Admin admin = admin(config.kafkaBootstrapServers())) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            Set<String> missing = new TreeSet<>(needed);
            missing.removeAll(existing);
            if (!missing.isEmpty()) {
                throw new ConfigException(
                        "Kafka topics missing on "
                                + config.kafkaBootstrapServers()
                                + ": "
                                + missing
                                + " (create them first, see README: Running against Kafka)");
            }
        } catch (ConfigException e) {
            throw e;
        } catch (Exception e) {
            throw new ConfigException(
                    "Cannot reach Kafka at --kafka.bootstrap-servers "
                            + config.kafkaBootstrapServers()
                            + ": "
                            + e);
        }
    }

    private static Admin admin(String bootstrapServers) {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        return Admin.create(properties);
    }

    /** The end offset of each partition of {@code topic} now. */
    static Map<Integer, Long> endOffsets(String bootstrapServers, String topic) throws Exception {
        try (Admin admin = admin(bootstrapServers)) {
            return offsets(admin, topic, OffsetSpec.latest());
        }
    }

    /** Where each partition of {@code topic} begins and ends now. */
    static Map<Integer, OffsetRange> offsetRanges(String bootstrapServers, String topic)
            throws Exception {
        try (Admin admin = admin(bootstrapServers)) {
            Map<Integer, Long> ends = offsets(admin, topic, OffsetSpec.latest());
            Map<Integer, OffsetRange> ranges = new HashMap<>();
            offsets(admin, topic, OffsetSpec.earliest())
                    .forEach(
                            (partition, beginning) ->
                                    ranges.put(
                                            partition,
                                            new OffsetRange(
                                                    beginning,
                                                    ends.getOrDefault(partition, beginning))));
            return ranges;
        }
    }

    private static Map<Integer, Long> offsets(Admin admin, String topic, OffsetSpec spec)
            throws Exception {
        Map<TopicPartition, OffsetSpec> wanted = new HashMap<>();
        admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(topic)
                .partitions()
                .forEach(p -> wanted.put(new TopicPartition(topic, p.partition()), spec));
        Map<Integer, Long> offsets = new HashMap<>();
        admin.listOffsets(wanted)
                .all()
                .get(30, TimeUnit.SECONDS)
                .forEach((partition, info) -> offsets.put(partition.partition(), info.offset()));
        return offsets;
    }

    /** Parses each event in the source, so watermarks can follow each partition. */
    private static final class CallbackRecords
            implements KafkaRecordDeserializationSchema<CallbackRecord> {
        private static final long serialVersionUID = 1L;
        private final CallbackRecordReader reader;

        CallbackRecords(CallbackRecordReader reader) {
            this.reader = reader;
        }

        @Override
        public void deserialize(
                ConsumerRecord<byte[], byte[]> record, Collector<CallbackRecord> out) {
            out.collect(reader.read(record.value() == null ? NO_VALUE : record.value()));
        }

        @Override
        public TypeInformation<CallbackRecord> getProducedType() {
            return TypeInformation.of(CallbackRecord.class);
        }
    }

    /**
     * Record values as they are (a tombstone becomes an empty record, and a dead letter), the last
     * one of each partition's backlog marked. The end offsets are looked up whenever the reader
     * opens, after a restore too: the backlog is then what was written since the checkpoint.
     */
    static final class UpdateRecords implements KafkaRecordDeserializationSchema<RawRecord> {
        private static final long serialVersionUID = 1L;
        private final String bootstrapServers;
        private final String topic;
        private transient Map<Integer, Long> endOffsets;

        UpdateRecords(String bootstrapServers, String topic) {
            this.bootstrapServers = bootstrapServers;
            this.topic = topic;
        }

        @Override
        public void open(DeserializationSchema.InitializationContext context) throws Exception {
            endOffsets = endOffsets(bootstrapServers, topic);
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
            // A partition that appeared since the start had no backlog.
            long end = endOffsets.getOrDefault(record.partition(), 0L);
            byte[] value = record.value() == null ? NO_VALUE : record.value();
            out.collect(new RawRecord(value, value.length, record.offset() >= end - 1));
        }

        @Override
        public TypeInformation<RawRecord> getProducedType() {
            return TypeInformation.of(RawRecord.class);
        }
    }
}
