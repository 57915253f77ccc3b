package com.openplatform.availability.wechat;

import com.openplatform.availability.config.JdbcOptions;
import com.openplatform.availability.functions.DeadLetters;
import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.DeliveryStatus;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers the alerts of a checkpoint; when the checkpoint is taken ({@link #prepareCommit()}),
 * records them in {@code alert_delivery} (PENDING, or NO_RECIPIENT when no openId is bound; rows
 * that exist already stay as they are) and hands the PENDING ones to the committer, which sends
 * them once the checkpoint has completed. Nothing is sent from here.
 */
final class WechatAlertWriter implements CommittingSinkWriter<AlertRequest, AlertRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(WechatAlertWriter.class);
    private static final int RECORD_TRIES = 3;

    private final AlertLedger ledger;
    private final AlertRequestSerializer copier = new AlertRequestSerializer();
    private final Counter recorded;
    private final Counter noRecipient;
    private List<AlertRequest> buffer = new ArrayList<>();

    WechatAlertWriter(JdbcOptions jdbc, MetricGroup operatorGroup) {
        this.ledger = new AlertLedger(jdbc, Duration.ZERO); // the writer claims nothing
        MetricGroup group = operatorGroup.addGroup(DeadLetters.METRIC_GROUP);
        this.recorded = group.counter("alertsRecorded");
        this.noRecipient = group.counter("alertsNoRecipient");
    }

    @Override
    public void write(AlertRequest alert, Context context) throws IOException {
        // A copy: with object reuse the instance may be reused once write returns.
        buffer.add(copier.copy(alert));
    }

    @Override
    public void flush(boolean endOfInput) {
        // Everything is written in prepareCommit, which follows every flush.
    }

    @Override
    public List<AlertRequest> prepareCommit() throws IOException, InterruptedException {
        if (buffer.isEmpty()) {
            return List.of();
        }
        recordWithRetries(buffer);
        List<AlertRequest> committables = new ArrayList<>();
        for (AlertRequest alert : buffer) {
            if (alert.getStatus() == DeliveryStatus.PENDING) {
                committables.add(alert);
            } else if (alert.getStatus() == DeliveryStatus.NO_RECIPIENT) {
                noRecipient.inc();
            }
        }
        recorded.inc(buffer.size());
        buffer = new ArrayList<>();
        return committables;
    }

    private void recordWithRetries(List<AlertRequest> alerts)
            throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                ledger.record(alerts);
                return;
            } catch (SQLException e) {
                ledger.reset();
                if (attempt >= RECORD_TRIES) {
                    throw new IOException(
                            "Could not record " + alerts.size() + " alerts in alert_delivery", e);
                }
                LOG.warn(
                        "Recording alerts in alert_delivery failed (try {}), retrying", attempt, e);
                Thread.sleep(200L * attempt);
            }
        }
    }

    @Override
    public void close() {
        ledger.close();
    }
}
