package com.openplatform.availability.wechat;

import java.util.concurrent.TimeUnit;

/**
 * A token bucket: {@code permitsPerSecond} sustained, bursts of up to one second's worth (at least
 * one). {@link #acquire()} waits for a token; thread-safe.
 */
public final class SendRateLimiter {
    private final double permitsPerNano;
    private final double capacity;

    private double tokens;
    private long refilledAt;

    public SendRateLimiter(double permitsPerSecond) {
        if (!(permitsPerSecond > 0)) {
            throw new IllegalArgumentException("permitsPerSecond must be positive");
        }
        this.permitsPerNano = permitsPerSecond / TimeUnit.SECONDS.toNanos(1);
        this.capacity = Math.max(1, permitsPerSecond);
        this.tokens = capacity;
        this.refilledAt = System.nanoTime();
    }

    /** Takes one token, waiting as long as the rate requires. */
    public void acquire() throws InterruptedException {
        long wait;
        synchronized (this) {
            refill();
            tokens -= 1;
            // A negative balance is a reservation: this caller waits until it is paid back.
            wait = tokens >= 0 ? 0 : (long) Math.ceil(-tokens / permitsPerNano);
        }
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - refilledAt) * permitsPerNano);
        refilledAt = now;
    }
}
