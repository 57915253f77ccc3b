package com.openplatform.availability.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openplatform.availability.io.KafkaInputs;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --kafka.start-from}: committed offsets, earliest, or a timestamp (replay, backfill). */
class KafkaStartFromTest {
    private static final String[] KAFKA = {
        "--jdbc.url", "jdbc:postgresql://localhost:5432/ops", "--kafka.bootstrap-servers", "k:9092"
    };

    private static JobConfig kafka(String... extra) {
        String[] args = new String[KAFKA.length + extra.length];
        System.arraycopy(KAFKA, 0, args, 0, KAFKA.length);
        System.arraycopy(extra, 0, args, KAFKA.length, extra.length);
        return JobConfig.fromArgs(args, Map.of());
    }

    @Test
    @SuppressWarnings("deprecation") // the connector answers with Kafka's OffsetResetStrategy
    void committedOffsetsAreTheDefault() {
        JobConfig config = kafka();
        assertEquals(KafkaStartFrom.COMMITTED, config.kafkaStartFrom());
        assertTrue(config.toString().contains("startFrom=committed"), config.toString());
        OffsetsInitializer offsets = KafkaInputs.startingOffsets(config.kafkaStartFrom());
        assertEquals(OffsetResetStrategy.EARLIEST, offsets.getAutoOffsetResetStrategy());
    }

    @Test
    void earliestAndCommittedAreNamesInAnyCase() {
        assertEquals(
                KafkaStartFrom.EARLIEST, kafka("--kafka.start-from", "earliest").kafkaStartFrom());
        assertEquals(
                KafkaStartFrom.EARLIEST, kafka("--kafka.start-from", "EARLIEST").kafkaStartFrom());
        assertEquals(
                KafkaStartFrom.COMMITTED,
                kafka("--kafka.start-from", "committed").kafkaStartFrom());
    }

    @Test
    void aTimestampWithItsOffsetIsAnInstant() {
        KafkaStartFrom from =
                kafka("--kafka.start-from", "2026-11-02T00:00:00+08:00").kafkaStartFrom();
        assertEquals(KafkaStartFrom.Kind.TIMESTAMP, from.kind());
        assertEquals(Instant.parse("2026-11-01T16:00:00Z"), from.timestamp());
        assertEquals(from, kafka("--kafka.start-from", "2026-11-01T16:00:00Z").kafkaStartFrom());
        assertEquals("2026-11-01T16:00:00Z", from.toString());
        // A timestamp initializer asks Kafka for offsets by time; where none is that late, the end.
        OffsetsInitializer offsets = KafkaInputs.startingOffsets(from);
        assertEquals("TimestampOffsetsInitializer", offsets.getClass().getSimpleName());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "latest-ish",
                "2026-11-02",
                "2026-11-02T00:00:00",
                "1763337600000",
                "",
                "1969-12-31T23:59:59Z"
            })
    void aBadValueStopsTheJobNamingTheFlag(String value) {
        ConfigException e =
                assertThrows(ConfigException.class, () -> kafka("--kafka.start-from", value));
        assertTrue(e.getMessage().contains("--kafka.start-from"), e.getMessage());
    }

    @Test
    void fileModeRefusesIt() {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                JobConfig.fromArgs(
                                        new String[] {
                                            "--jdbc.url",
                                            "jdbc:postgresql://h/db",
                                            "--events.file",
                                            "e",
                                            "--standards.file",
                                            "s",
                                            "--bindings.file",
                                            "b",
                                            "--dlq.file",
                                            "d",
                                            "--kafka.start-from",
                                            "earliest"
                                        },
                                        Map.of()));
        assertEquals("--kafka.start-from needs --kafka.bootstrap-servers", e.getMessage());
    }
}
