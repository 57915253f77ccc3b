package com.openplatform.availability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.openplatform.availability.config.JobConfig;
import com.openplatform.availability.sinks.DeadLetterKafkaSink;
import com.openplatform.availability.sinks.SchemaMigrations;
import com.openplatform.availability.testing.EmbeddedPostgresExtension;
import com.openplatform.availability.testing.KafkaBrokerExtension;
import com.openplatform.availability.testing.ResultTables;
import com.openplatform.availability.testing.TestData;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dead-letter topic takes whatever the events topic took: a record as large as Kafka's defaults
 * let the events topic accept would not fit the dead-letter topic with its headers, and the
 * broker's refusal would restart the job forever. Here the job must finish, with the record in the
 * dead letter, cut and marked so.
 */
class DeadLetterKafkaITCase {
    /** Fits the events topic under Kafka's default limits; with the headers it would not fit. */
    private static final int LARGEST_EVENT = 1_048_400;

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(noRestarts())
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    @Test
    void eventAsLargeAsTheTopicAcceptsLandsInTheDeadLetterAndTheJobGoesOn() throws Exception {
        JobConfig config =
                JobConfig.builder()
                        .kafkaBootstrapServers(KAFKA.bootstrapServers())
                        .kafkaGroupId("dlq-itcase")
                        .kafkaStopAtLatest(true)
                        .topicEvents("large-events")
                        .topicStandards("large-standards")
                        .topicBindings("large-bindings")
                        .topicDeadLetter("large-dead-letter")
                        .jdbcUrl(POSTGRES.newDatabase())
                        .jdbcUser("postgres")
                        .jdbcPassword("postgres")
                        .build();
        for (String topic :
                List.of(
                        config.topicEvents(),
                        config.topicStandards(),
                        config.topicBindings(),
                        config.topicDeadLetter())) {
            KAFKA.broker().createTopic(topic, 1, false);
        }
        long time = TestData.at(TestData.SHANGHAI, "2026-11-04T10:00:00");
        String good = TestData.event(100234, time).json();
        String large = padded(TestData.event(100234, time + 1).json(), LARGEST_EVENT);
        KAFKA.produce(
                config.topicEvents(),
                0,
                List.of(good, large, TestData.event(100234, time + 2).json()));

        SchemaMigrations.migrate(config.jdbc());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.enableCheckpointing(300);
        AvailabilityJob.defineWorkflow(env, config, JobSources.of(config), JobSinks.of(config));
        env.execute("dead-letter-kafka-itcase"); // fails on the first restart

        List<ConsumerRecord<byte[], byte[]>> letters =
                KAFKA.readCommitted(config.topicDeadLetter());
        assertEquals(1, letters.size());
        ConsumerRecord<byte[], byte[]> letter = letters.get(0);
        assertEquals("TOO_LARGE", header(letter, DeadLetterKafkaSink.REASON));
        assertEquals("true", header(letter, DeadLetterKafkaSink.TRUNCATED));
        assertEquals(
                String.valueOf(LARGEST_EVENT), header(letter, DeadLetterKafkaSink.ORIGINAL_BYTES));
        String kept = new String(letter.value(), StandardCharsets.UTF_8);
        assertEquals(large.substring(0, kept.length()), kept);
        ResultTables tables =
                new ResultTables(
                        config.jdbc().url(), config.jdbc().user(), config.jdbc().password());
        assertEquals(2, tables.scalar("SELECT total_count FROM weekly_availability"));
    }

    /** {@code json} with an unknown field that makes it {@code bytes} long. */
    private static String padded(String json, int bytes) {
        String open = json.substring(0, json.length() - 1) + ",\"pad\":\"";
        return open + "x".repeat(bytes - open.length() - 2) + "\"}";
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Configuration noRestarts() {
        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return config;
    }
}
