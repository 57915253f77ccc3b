package com.openplatform.availability.sinks;

import java.io.Serializable;
import java.time.Duration;

/**
 * How often and how patiently a JDBC write is tried before its task fails and Flink's restart
 * strategy takes over: exponential backoff from {@code firstBackoff}, capped at {@code maxBackoff}.
 */
public record Retries(int attempts, Duration firstBackoff, Duration maxBackoff)
        implements Serializable {
    /** 5 attempts, 0.5 s to 4 s apart: about 8 s, plus the timeouts of the attempts. */
    public static final Retries DEFAULT =
            new Retries(5, Duration.ofMillis(500), Duration.ofSeconds(4));

    /** The wait after failed attempt number {@code failedAttempts} (1, 2, …). */
    public Duration backoff(int failedAttempts) {
        Duration backoff = firstBackoff.multipliedBy(1L << Math.min(failedAttempts - 1, 20));
        return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
    }
}
