package com.openplatform.availability.wechat;

import com.openplatform.availability.config.JdbcOptions;
import com.openplatform.availability.config.WechatOptions;
import com.openplatform.availability.records.AlertRequest;
import java.io.IOException;
import java.time.Duration;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Delivers alerts as WeChat template messages, exactly once per (developerId, week, openId), after
 * the checkpoint that produced them completed (docs/reference.md §7).
 *
 * <ul>
 *   <li>The {@link WechatAlertWriter} records a checkpoint's alerts in {@code alert_delivery} as
 *       PENDING (NO_RECIPIENT rows as such, never sent) when the checkpoint is taken, and passes
 *       the PENDING ones on as committables, which Flink keeps in the checkpoint.
 *   <li>When the checkpoint completes, the {@link WechatAlertCommitter} sends each one unless its
 *       row is final already, and records the outcome. After a failure the job restarts from the
 *       last completed checkpoint: its committables are committed again and skipped where the
 *       ledger says they were sent; alerts of later checkpoints are produced, recorded and sent
 *       anew. A resend that does happen (a crash between WeChat's answer and the ledger update)
 *       carries the same {@code client_msg_id}, which WeChat deduplicates.
 *   <li>Alerts WeChat cannot take now wait in the ledger and are retried in the background.
 * </ul>
 *
 * <p>Run it in a task of its own (not chained), so HTTP waits never sit on the counting path.
 */
public final class WechatAlertSink implements Sink<AlertRequest>, SupportsCommitter<AlertRequest> {
    private static final long serialVersionUID = 1L;

    private final JdbcOptions jdbc;
    private final WechatOptions wechat;
    private final Duration drainTimeout;

    /**
     * @param boundedInput whether the job's input ends (file mode): then the sink waits at the end,
     *     up to {@code --wechat.drain-timeout}, for alerts WeChat has not taken yet
     */
    public WechatAlertSink(JdbcOptions jdbc, WechatOptions wechat, boolean boundedInput) {
        if (!wechat.isConfigured()) {
            throw new IllegalArgumentException("No WeChat app configured (--wechat.app-id)");
        }
        this.jdbc = jdbc;
        this.wechat = wechat;
        this.drainTimeout = boundedInput ? wechat.drainTimeout() : Duration.ZERO;
    }

    @Override
    public CommittingSinkWriter<AlertRequest, AlertRequest> createWriter(WriterInitContext context)
            throws IOException {
        return new WechatAlertWriter(jdbc, context.metricGroup());
    }

    @Override
    public Committer<AlertRequest> createCommitter(CommitterInitContext context) {
        return new WechatAlertCommitter(
                jdbc,
                wechat,
                context.metricGroup(),
                context.getTaskInfo().getIndexOfThisSubtask(),
                context.getTaskInfo().getNumberOfParallelSubtasks(),
                drainTimeout);
    }

    @Override
    public SimpleVersionedSerializer<AlertRequest> getCommittableSerializer() {
        return new AlertRequestSerializer();
    }

    @Override
    public String toString() {
        return "WechatAlertSink{" + wechat + ", " + jdbc + '}';
    }
}
