package com.openplatform.availability.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openplatform.availability.JobSources;
import com.openplatform.availability.io.KafkaInputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.Boundedness;
import org.junit.jupiter.api.Test;

/** {@code --kafka.stop-at-latest}: bounded Kafka mode for backfills and benchmarks. */
class KafkaStopAtLatestTest {

    private static JobConfig kafka(String... more) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--kafka.bootstrap-servers", "127.0.0.1:9092",
                                "--jdbc.url", "jdbc:postgresql://localhost/ops"));
        args.addAll(List.of(more));
        return JobConfig.fromArgs(args.toArray(new String[0]), Map.of());
    }

    @Test
    void kafkaModeIsUnboundedByDefault() {
        JobConfig config = kafka();
        assertFalse(config.kafkaStopAtLatest());
        assertEquals(
                Boundedness.CONTINUOUS_UNBOUNDED,
                JobSources.kafka(config).events().getBoundedness());
        assertEquals(
                Boundedness.CONTINUOUS_UNBOUNDED,
                KafkaInputs.updates(config, config.topicStandards()).getBoundedness());
        assertFalse(JobSources.of(config).bounded());
    }

    @Test
    void stopAtLatestBoundsAllThreeTopics() {
        JobConfig config = kafka("--kafka.stop-at-latest", "true");
        assertTrue(config.kafkaStopAtLatest());
        JobSources sources = JobSources.of(config);
        assertTrue(sources.bounded(), "bounded: no idleness, alerts wait for every update");
        assertEquals(Boundedness.BOUNDED, sources.events().getBoundedness());
        assertEquals(Boundedness.BOUNDED, sources.standards().getBoundedness());
        assertEquals(Boundedness.BOUNDED, sources.bindings().getBoundedness());
        assertTrue(config.toString().contains("stopAtLatest"), config::toString);
    }

    @Test
    void falseIsTheDefault() {
        assertFalse(kafka("--kafka.stop-at-latest", "false").kafkaStopAtLatest());
    }

    @Test
    void onlyTrueOrFalse() {
        ConfigException e =
                assertThrows(ConfigException.class, () -> kafka("--kafka.stop-at-latest", "yes"));
        assertTrue(e.getMessage().contains("--kafka.stop-at-latest"), e.getMessage());
        assertTrue(e.getMessage().contains("true or false"), e.getMessage());
    }

    @Test
    void needsKafka() {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                JobConfig.fromArgs(
                                        new String[] {
                                            "--events.file",
                                            "e",
                                            "--standards.file",
                                            "s",
                                            "--bindings.file",
                                            "b",
                                            "--dlq.file",
                                            "d",
                                            "--jdbc.url",
                                            "jdbc:postgresql://localhost/ops",
                                            "--kafka.stop-at-latest",
                                            "true"
                                        },
                                        Map.of()));
        assertTrue(e.getMessage().contains("--kafka.bootstrap-servers"), e.getMessage());
    }
}
