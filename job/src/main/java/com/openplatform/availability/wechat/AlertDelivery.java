package com.openplatform.availability.wechat;

import com.openplatform.availability.records.AlertRequest;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One delivery attempt of a released alert, against the ledger: skip it if its row is final, claim
 * the attempt, send, record the outcome. Shared by the committer and its redelivery thread (each
 * with a ledger of its own).
 */
final class AlertDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(AlertDelivery.class);

    /** What an attempt came to. */
    enum Kind {
        /** The row has a final status: sent, unreachable or failed, now or before. */
        DONE,
        /** WeChat failed in a retryable way; the row stays PENDING with the error. */
        RETRY,
        /** Another attempt changed the row since it was read: look again later. */
        BUSY,
        /** WeChat answered but the ledger could not record it: record it later, do not resend. */
        UNRECORDED
    }

    /**
     * @param attempts the row's attempts after this one
     * @param unrecorded for {@link Kind#UNRECORDED}, WeChat's answer still to be recorded
     */
    record Attempt(Kind kind, int attempts, SendResult unrecorded) {}

    private final WechatClient client;
    private final AlertTemplate template;
    private final DeliveryMetrics metrics;

    AlertDelivery(WechatClient client, AlertTemplate template, DeliveryMetrics metrics) {
        this.client = client;
        this.template = template;
        this.metrics = metrics;
    }

    /**
     * Delivers {@code alert} once, or only records {@code unrecorded} (the answer of an earlier
     * attempt number {@code unrecordedAttempts}) if there is one.
     *
     * @throws SQLException if the ledger could not be read or claimed: nothing was sent
     */
    Attempt attempt(
            AlertLedger ledger, AlertRequest alert, SendResult unrecorded, int unrecordedAttempts)
            throws SQLException, InterruptedException {
        if (unrecorded != null) {
            return record(ledger, alert, unrecordedAttempts, unrecorded);
        }
        AlertLedger.Row row = ledger.find(alert);
        if (row == null) {
            // Recorded at prepareCommit; only a row deleted since then is missing.
            ledger.recordIfMissing(alert);
            row = ledger.find(alert);
            if (row == null) {
                throw new SQLException("alert_delivery has no row for " + alert);
            }
        }
        if (!row.isPending()) {
            return new Attempt(Kind.DONE, row.attempts(), null);
        }
        TemplateMessage message = template.render(alert);
        if (!ledger.claim(alert, message.clientMsgId(), row.attempts())) {
            return new Attempt(Kind.BUSY, row.attempts(), null);
        }
        int attempts = row.attempts() + 1;
        SendResult result;
        try {
            result = client.send(message);
        } catch (InterruptedException e) {
            releaseClaim(ledger, alert, attempts);
            throw e;
        }
        try {
            return record(ledger, alert, attempts, result);
        } catch (SQLException e) {
            ledger.reset();
            LOG.warn(
                    "WeChat answered {} for {} but alert_delivery could not record it; recording"
                            + " it later, without resending",
                    result.outcome(),
                    alert,
                    e);
            return new Attempt(Kind.UNRECORDED, attempts, result);
        }
    }

    /**
     * Records an attempt cut off by the end of the task (a bounded job's drain timeout, a cancel)
     * as a retryable failure, so that the row is not left claimed for the whole lease: the next
     * run, even one started right away, takes it up at once. If the cut-off request did reach
     * WeChat, its resend carries the same {@code client_msg_id}, which WeChat drops.
     */
    private void releaseClaim(AlertLedger ledger, AlertRequest alert, int attempts) {
        try {
            ledger.finish(
                    alert,
                    attempts,
                    new SendResult(
                            SendResult.Outcome.RETRYABLE,
                            null,
                            "interrupted: the task ended during the attempt",
                            0));
        } catch (SQLException e) {
            ledger.reset();
            LOG.warn("Could not release the claim on {}; it is free after the lease", alert, e);
        }
    }

    private Attempt record(AlertLedger ledger, AlertRequest alert, int attempts, SendResult result)
            throws SQLException {
        if (!ledger.finish(alert, attempts, result)) {
            // Another attempt took the row over meanwhile; it decides.
            return new Attempt(Kind.BUSY, attempts, null);
        }
        metrics.recorded(result.outcome());
        switch (result.outcome()) {
            case SENT:
                LOG.info("Alert sent (msgid {}, attempt {}): {}", result.msgid(), attempts, alert);
                return new Attempt(Kind.DONE, attempts, null);
            case RETRYABLE:
                LOG.warn(
                        "WeChat did not take the alert (attempt {}), will retry: {} — {}",
                        attempts,
                        result.error(),
                        alert);
                return new Attempt(Kind.RETRY, attempts, null);
            default:
                LOG.warn(
                        "Alert recorded as {} (attempt {}): {} — {}",
                        result.outcome(),
                        attempts,
                        result.error(),
                        alert);
                return new Attempt(Kind.DONE, attempts, null);
        }
    }
}
