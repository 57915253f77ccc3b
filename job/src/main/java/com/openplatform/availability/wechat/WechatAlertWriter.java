package com.openplatform.availability.wechat;

import com.openplatform.availability.config.JdbcOptions;
import com.openplatform.availability.functions.DeadLetters;
import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.DeliveryStatus;
import com.openplatform.availability.sinks.JdbcBatchWriter;
import com.openplatform.availability.sinks.ResultStatements;
import com.openplatform.availability.sinks.Retries;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Buffers the alerts of a checkpoint; when the checkpoint is taken ({@link #prepareCommit()}),
 * records them in {@code alert_delivery} (PENDING, or NO_RECIPIENT when no openId is bound; rows
 * that exist already stay as they are) and hands the PENDING ones to the committer, which sends
 * them once the checkpoint has completed. Nothing is sent from here.
 *
 * <p>The ledger is written by a {@link JdbcBatchWriter}: a database outage is retried with backoff
 * and then fails the task cleanly (the job restarts from the last checkpoint, whose alerts are then
 * recorded again); an alert the database refuses (its data, e.g. an openId longer than the column)
 * is logged and counted ({@code rowsRefused}) and never sent, since without a ledger row it could
 * not be sent exactly once; it does not hold up the other alerts of the checkpoint.
 */
final class WechatAlertWriter implements CommittingSinkWriter<AlertRequest, AlertRequest> {
    private final JdbcBatchWriter<AlertRequest> ledger;
    private final AlertRequestSerializer copier = new AlertRequestSerializer();
    private final Counter recorded;
    private final Counter noRecipient;
    private List<AlertRequest> buffer = new ArrayList<>();

    /**
     * @throws IOException if the database cannot be reached
     */
    WechatAlertWriter(JdbcOptions jdbc, MetricGroup operatorGroup) throws IOException {
        this.ledger =
                new JdbcBatchWriter<>(
                        jdbc,
                        ResultStatements.insertAlert(jdbc.dialect()),
                        ResultStatements::bindAlert,
                        ResultStatements::ledgerKey,
                        Retries.DEFAULT,
                        operatorGroup);
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
        Set<AlertRequest> refused = Collections.newSetFromMap(new IdentityHashMap<>());
        refused.addAll(ledger.write(buffer));
        List<AlertRequest> committables = new ArrayList<>();
        for (AlertRequest alert : buffer) {
            if (refused.contains(alert)) {
                continue;
            }
            if (alert.getStatus() == DeliveryStatus.PENDING) {
                committables.add(alert);
            } else if (alert.getStatus() == DeliveryStatus.NO_RECIPIENT) {
                noRecipient.inc();
            }
        }
        recorded.inc(buffer.size() - refused.size());
        buffer = new ArrayList<>();
        return committables;
    }

    @Override
    public void close() {
        ledger.close();
    }
}
