package com.openplatform.availability.wechat;

import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.sinks.ResultStatements;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The committer's background thread for released alerts WeChat has not taken yet: it tries them
 * again with jittered exponential backoff (1 s doubling up to {@code --wechat.retry-max-backoff})
 * until they reach a final status, off the task thread, so a WeChat outage never holds up a
 * checkpoint or the counting.
 *
 * <p>It gets its work from the committer ({@link #park}) and, when it starts, from the ledger: the
 * released PENDING rows of the developerIds this subtask owns ({@code developerId mod parallelism =
 * subtask}), so alerts a stopped or failed job left waiting are delivered by the next one.
 */
final class Redelivery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Redelivery.class);

    static final long FIRST_BACKOFF_MILLIS = 1_000;

    private final AlertLedger ledger;
    private final AlertDelivery delivery;
    private final long maxBackoffMillis;
    private final int modulus;
    private final int rest;
    private final Thread thread;

    private final PriorityQueue<Entry> queue =
            new PriorityQueue<>(Comparator.comparingLong(entry -> entry.dueAt));

    /** By ledger row: a breach and a warning of one week and openId are two alerts. */
    private final Map<Object, Entry> byKey = new HashMap<>();

    private int inFlight;
    private boolean recovered;
    private volatile boolean closed;

    private static final class Entry {
        final Object key;
        final AlertRequest alert;
        final int attempts;
        final SendResult unrecorded;
        final long dueAt;

        Entry(Object key, AlertRequest alert, int attempts, SendResult unrecorded, long dueAt) {
            this.key = key;
            this.alert = alert;
            this.attempts = attempts;
            this.unrecorded = unrecorded;
            this.dueAt = dueAt;
        }
    }

    Redelivery(
            AlertLedger ledger,
            AlertDelivery delivery,
            Duration maxBackoff,
            int parallelism,
            int subtask) {
        this.ledger = ledger;
        this.delivery = delivery;
        this.maxBackoffMillis = Math.max(1, maxBackoff.toMillis());
        this.modulus = parallelism;
        this.rest = subtask;
        this.thread = new Thread(this::run, "wechat-redelivery-" + subtask);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Hands over an alert to try again after {@code delayMillis}; with {@code unrecorded}, only
     * that answer (of attempt number {@code attempts}) is still to be recorded.
     */
    synchronized void park(
            AlertRequest alert, int attempts, SendResult unrecorded, long delayMillis) {
        Object key = ResultStatements.ledgerKey(alert);
        Entry known = byKey.get(key);
        long dueAt = System.currentTimeMillis() + delayMillis;
        if (known != null) {
            if (known.unrecorded != null && unrecorded == null) {
                return; // recording the answer WeChat gave comes first
            }
            queue.remove(known);
        }
        Entry entry = new Entry(key, alert, attempts, unrecorded, dueAt);
        byKey.put(key, entry);
        queue.add(entry);
        notifyAll();
    }

    /** The wait before attempt number {@code attempts + 1}: exponential, with equal jitter. */
    long backoff(int attempts) {
        long cap =
                Math.min(
                        maxBackoffMillis,
                        FIRST_BACKOFF_MILLIS << Math.min(Math.max(attempts - 1, 0), 20));
        long half = cap / 2;
        return half + ThreadLocalRandom.current().nextLong(half + 1);
    }

    /** Alerts waiting or being tried. */
    synchronized int waiting() {
        return byKey.size() + inFlight;
    }

    /**
     * Waits until every alert handed over (and recovered from the ledger) reached a final status,
     * at most {@code timeout}; says whether they all did.
     */
    synchronized boolean drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!(recovered && byKey.isEmpty() && inFlight == 0)) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || closed) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    private void run() {
        while (!closed) {
            try {
                if (!isRecovered()) {
                    recover();
                    continue;
                }
                Entry entry = next();
                if (entry != null) {
                    tryOnce(entry);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized boolean isRecovered() {
        return recovered;
    }

    private void recover() throws InterruptedException {
        try {
            for (AlertLedger.Released released : ledger.released(modulus, rest)) {
                park(released.alert(), released.attempts(), null, 0);
            }
            synchronized (this) {
                recovered = true;
                notifyAll();
            }
        } catch (SQLException e) {
            ledger.reset();
            LOG.warn("Could not read the alerts waiting for WeChat from alert_delivery", e);
            Thread.sleep(backoff(1));
        }
    }

    /** The next due entry, waiting for it; null once closed. */
    private synchronized Entry next() throws InterruptedException {
        while (!closed) {
            Entry head = queue.peek();
            long now = System.currentTimeMillis();
            if (head != null && head.dueAt <= now) {
                queue.poll();
                byKey.remove(head.key);
                inFlight++;
                return head;
            }
            wait(head == null ? 0 : head.dueAt - now);
        }
        return null;
    }

    private void tryOnce(Entry entry) throws InterruptedException {
        try {
            AlertDelivery.Attempt attempt =
                    delivery.attempt(ledger, entry.alert, entry.unrecorded, entry.attempts);
            switch (attempt.kind()) {
                case RETRY:
                    park(entry.alert, attempt.attempts(), null, backoff(attempt.attempts()));
                    break;
                case BUSY:
                    // In flight elsewhere (another thread or subtask): look again later.
                    park(entry.alert, attempt.attempts(), null, backoff(attempt.attempts()));
                    break;
                case UNRECORDED:
                    park(entry.alert, attempt.attempts(), attempt.unrecorded(), backoff(1));
                    break;
                default:
                    break;
            }
        } catch (SQLException e) {
            ledger.reset();
            LOG.warn("alert_delivery unavailable, retrying {} later", entry.alert, e);
            park(entry.alert, entry.attempts, entry.unrecorded, backoff(entry.attempts + 1));
        } catch (InterruptedException e) {
            park(entry.alert, entry.attempts, entry.unrecorded, 0);
            throw e;
        } catch (RuntimeException e) {
            // A bug or bad data, not an outage: do not spin on it. The row stays PENDING.
            LOG.error("Cannot deliver {}; it stays PENDING in alert_delivery", entry.alert, e);
        } finally {
            synchronized (this) {
                inFlight--;
                notifyAll();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        synchronized (this) {
            notifyAll();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ledger.close();
    }
}
