package com.openplatform.availability.wechat;

import com.openplatform.availability.config.JdbcOptions;
import com.openplatform.availability.config.WechatOptions;
import com.openplatform.availability.records.AlertRequest;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the alerts of a completed checkpoint (docs/reference.md §7, exactly once). For each: if its
 * ledger row is final already (a replay, a restart or a correction), nothing; else one delivery
 * attempt (claim, send, record). Alerts WeChat could not take stay PENDING (released, with attempts
 * and the error) and go to the {@link Redelivery} thread, which keeps trying them with backoff.
 *
 * <p>A committable is never left to Flink to retry: Flink 2.x calls {@code commit} again at once
 * for a {@link CommitRequest#retryLater()} and fails the job after {@code sink.committer.retries}
 * (10), so during a WeChat outage that would spin and then restart the job instead of waiting.
 * Handing the alert to the ledger and the redelivery thread makes the wait cost nothing. Only a
 * ledger (database) failure is left to Flink's retry: without the ledger nothing can be decided.
 *
 * <p>A commit does not wait for long: after WeChat's first retryable failure, and once about one
 * request timeout has been spent, the remaining alerts are only released and handed over.
 */
final class WechatAlertCommitter implements Committer<AlertRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(WechatAlertCommitter.class);

    private final DeliveryMetrics metrics;
    private final WechatClient client;
    private final AlertDelivery delivery;
    private final AlertLedger ledger;
    private final Redelivery redelivery;
    private final long budgetNanos;
    private final Duration drainTimeout;
    private volatile boolean cancelled;

    /**
     * @param drainTimeout how long {@link #close()} waits for alerts WeChat has not taken yet (a
     *     bounded job's end); zero to leave them to the next run
     */
    WechatAlertCommitter(
            JdbcOptions jdbc,
            WechatOptions wechat,
            MetricGroup operatorGroup,
            int subtask,
            int parallelism,
            Duration drainTimeout) {
        this.metrics = new DeliveryMetrics(operatorGroup);
        this.client = new WechatClient(wechat, wechat.sendRate() / parallelism, metrics);
        this.delivery = new AlertDelivery(client, new AlertTemplate(wechat), metrics);
        Duration lease = lease(wechat);
        this.ledger = new AlertLedger(jdbc, lease);
        this.redelivery =
                new Redelivery(
                        new AlertLedger(jdbc, lease),
                        delivery,
                        wechat.retryMaxBackoff(),
                        parallelism,
                        subtask);
        this.budgetNanos = wechat.requestTimeout().toNanos();
        this.drainTimeout = drainTimeout;
        metrics.awaitingWechat(operatorGroup, redelivery::waiting);
        redelivery.start();
    }

    /**
     * The longest one delivery attempt can take, with room to spare: every request and token fetch
     * timing out (and a cancelled task's grace for the reply), plus the backoffs between them.
     */
    static Duration lease(WechatOptions wechat) {
        return wechat.requestTimeout()
                .multipliedBy(3L * wechat.maxAttempts())
                .plus(Duration.ofSeconds(2L * wechat.maxAttempts()))
                .plus(Duration.ofSeconds(30));
    }

    @Override
    public void commit(Collection<CommitRequest<AlertRequest>> requests)
            throws InterruptedException {
        long deadline = System.nanoTime() + budgetNanos;
        boolean deliverNow = true;
        for (CommitRequest<AlertRequest> request : requests) {
            if (Thread.interrupted()) {
                // Cancelled: the rest stay in Flink's state and are committed after the restore.
                cancelled = true;
                throw new InterruptedException("cancelled while committing alerts");
            }
            AlertRequest alert = request.getCommittable();
            try {
                if (deliverNow && System.nanoTime() - deadline < 0) {
                    AlertDelivery.Attempt attempt = delivery.attempt(ledger, alert, null, 0);
                    switch (attempt.kind()) {
                        case RETRY:
                            // WeChat is struggling: hand over the rest of this commit untried.
                            deliverNow = false;
                            redelivery.park(
                                    alert,
                                    attempt.attempts(),
                                    null,
                                    redelivery.backoff(attempt.attempts()));
                            break;
                        case BUSY:
                            redelivery.park(
                                    alert,
                                    attempt.attempts(),
                                    null,
                                    Redelivery.FIRST_BACKOFF_MILLIS);
                            break;
                        case UNRECORDED:
                            redelivery.park(
                                    alert,
                                    attempt.attempts(),
                                    attempt.unrecorded(),
                                    Redelivery.FIRST_BACKOFF_MILLIS);
                            break;
                        default:
                            break;
                    }
                } else {
                    ledger.release(alert, AlertTemplate.clientMsgId(alert));
                    redelivery.park(
                            alert, 0, null, deliverNow ? 0 : Redelivery.FIRST_BACKOFF_MILLIS);
                }
            } catch (SQLException e) {
                ledger.reset();
                LOG.warn("alert_delivery unavailable while committing {}", alert, e);
                request.retryLater();
            } catch (InterruptedException e) {
                cancelled = true;
                throw e;
            }
        }
    }

    /** Alerts of this subtask waiting for WeChat (for tests and the gauge). */
    int awaitingWechat() {
        return redelivery.waiting();
    }

    DeliveryMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        try {
            // Waiting makes sense at a bounded job's end, not when the task is being cancelled.
            boolean cancelling = cancelled || Thread.currentThread().isInterrupted();
            if (!drainTimeout.isZero() && !cancelling && !redelivery.drain(drainTimeout)) {
                LOG.warn(
                        "{} alerts still wait for WeChat after {}; they stay PENDING in"
                                + " alert_delivery and are delivered when the job runs again",
                        redelivery.waiting(),
                        drainTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            redelivery.close();
            ledger.close();
            client.close();
        }
    }
}
