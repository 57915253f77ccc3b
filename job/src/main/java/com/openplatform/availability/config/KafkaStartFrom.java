package com.openplatform.availability.config;

import java.io.Serializable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the events topic is read from when the job starts without a checkpoint or savepoint ({@code
 * --kafka.start-from}); a restored job always resumes from the offsets in its state.
 *
 * <ul>
 *   <li>{@code committed} (default): the consumer group's committed offsets, the earliest offset
 *       where the group has none;
 *   <li>{@code earliest}: the beginning of every partition;
 *   <li>an ISO-8601 timestamp with an offset or {@code Z}, e.g. {@code 2026-11-02T00:00:00+08:00}:
 *       the first record of each partition whose Kafka timestamp is at or after it (a replay or
 *       backfill, see docs/operations.md).
 * </ul>
 */
public final class KafkaStartFrom implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How the starting offsets are chosen. */
    public enum Kind {
        COMMITTED,
        EARLIEST,
        TIMESTAMP
    }

    public static final KafkaStartFrom COMMITTED = new KafkaStartFrom(Kind.COMMITTED, null);
    public static final KafkaStartFrom EARLIEST = new KafkaStartFrom(Kind.EARLIEST, null);

    private final Kind kind;
    private final Instant timestamp;

    private KafkaStartFrom(Kind kind, Instant timestamp) {
        this.kind = kind;
        this.timestamp = timestamp;
    }

    /** From the first record at or after {@code timestamp} (Kafka record time). */
    public static KafkaStartFrom timestamp(Instant timestamp) {
        if (timestamp.toEpochMilli() < 0) {
            throw new ConfigException(
                    "--kafka.start-from must not be before 1970-01-01T00:00:00Z, found "
                            + timestamp);
        }
        return new KafkaStartFrom(Kind.TIMESTAMP, timestamp);
    }

    /** Parses the flag's value; a bad one is a {@link ConfigException} naming {@code flag}. */
    public static KafkaStartFrom parse(String flag, String value) {
        String trimmed = value.trim();
        switch (trimmed.toLowerCase(Locale.ROOT)) {
            case "committed":
                return COMMITTED;
            case "earliest":
                return EARLIEST;
            default:
                break;
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(trimmed).toInstant();
        } catch (DateTimeParseException e) {
            throw new ConfigException(
                    "Invalid value for --"
                            + flag
                            + ": '"
                            + value
                            + "' (expected committed, earliest or an ISO-8601 timestamp with its"
                            + " offset, e.g. 2026-11-02T00:00:00+08:00)");
        }
        if (instant.toEpochMilli() < 0) {
            throw new ConfigException(
                    "Invalid value for --" + flag + ": '" + value + "' is before 1970");
        }
        return new KafkaStartFrom(Kind.TIMESTAMP, instant);
    }

    public Kind kind() {
        return kind;
    }

    /** The timestamp of {@link Kind#TIMESTAMP}, else null. */
    public Instant timestamp() {
        return timestamp;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KafkaStartFrom that
                && kind == that.kind
                && Objects.equals(timestamp, that.timestamp);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, timestamp);
    }

    @Override
    public String toString() {
        return kind == Kind.TIMESTAMP ? timestamp.toString() : kind.name().toLowerCase(Locale.ROOT);
    }
}
