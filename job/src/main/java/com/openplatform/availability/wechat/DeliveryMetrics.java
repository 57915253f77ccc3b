package com.openplatform.availability.wechat;

import com.openplatform.availability.functions.DeadLetters;
import java.util.function.IntSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The alert delivery metrics ops see in the web UI, in the job's {@code availability} group:
 * counters of alerts sent, failed, unreachable and of retryable WeChat failures, the latency of
 * {@code message/template/send} as a histogram and its last value, and the alerts waiting for
 * WeChat. Updated from the committer's task thread and its redelivery thread alike.
 */
final class DeliveryMetrics implements WechatClient.Listener {
    private final Counter sent;
    private final Counter failed;
    private final Counter retried;
    private final Counter unreachable;
    private final Histogram latency;
    private volatile long lastLatency;

    DeliveryMetrics(MetricGroup operatorGroup) {
        MetricGroup group = operatorGroup.addGroup(DeadLetters.METRIC_GROUP);
        sent = group.counter("alertsSent", new ThreadSafeSimpleCounter());
        failed = group.counter("alertsFailed", new ThreadSafeSimpleCounter());
        retried = group.counter("alertsRetried", new ThreadSafeSimpleCounter());
        unreachable = group.counter("alertsUnreachable", new ThreadSafeSimpleCounter());
        latency = group.histogram("wechatLatencyMs", new DescriptiveStatisticsHistogram(1_000));
        group.gauge("wechatLastLatencyMs", (Gauge<Long>) () -> lastLatency);
    }

    /** Registers the gauge of alerts waiting for WeChat to take them. */
    void awaitingWechat(MetricGroup operatorGroup, IntSupplier waiting) {
        operatorGroup
                .addGroup(DeadLetters.METRIC_GROUP)
                .gauge("alertsAwaitingWechat", (Gauge<Integer>) waiting::getAsInt);
    }

    @Override
    public void onLatency(long millis) {
        synchronized (latency) {
            latency.update(millis);
        }
        lastLatency = millis;
    }

    @Override
    public void onRetryableFailure() {
        retried.inc();
    }

    /** Counts an outcome once it is recorded in the ledger. */
    void recorded(SendResult.Outcome outcome) {
        switch (outcome) {
            case SENT:
                sent.inc();
                break;
            case UNREACHABLE:
                unreachable.inc();
                break;
            case FAILED:
                failed.inc();
                break;
            default:
                // retryable: counted per failed request by onRetryableFailure
        }
    }

    long sent() {
        return sent.getCount();
    }

    long failed() {
        return failed.getCount();
    }

    long retried() {
        return retried.getCount();
    }

    long unreachable() {
        return unreachable.getCount();
    }

    long latencyCount() {
        return latency.getCount();
    }
}
