package com.openplatform.availability.benchmark;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.metrics.reporter.Scheduled;

/**
 * When the watermark passed the Monday that closes the burst week: a metric reporter in the
 * MiniCluster's own JVM that reads the weekly window operator's {@code currentInputWatermark} of
 * every subtask at the reporter's interval and keeps the wall-clock time at which the first of them
 * had passed {@link #MONDAY_PROPERTY} (epoch ms): that subtask starts firing its windows, and its
 * rows may leave the job before the other subtasks' watermark passes too. In process and without
 * REST, so that the moment is not late by the REST metric store's refresh.
 */
public final class BurstClock implements MetricReporter, Scheduled {
    static final String MONDAY_PROPERTY = "benchmark.burst-monday";
    private static final String WINDOW_OPERATOR = "Weekly counts";

    private static final List<Gauge<?>> WATERMARKS = new CopyOnWriteArrayList<>();
    private static volatile long passedAtMillis = -1;

    private final long monday = Long.getLong(MONDAY_PROPERTY, Long.MAX_VALUE);

    /** The wall-clock time a subtask's watermark was first seen past the Monday, or -1. */
    static long passedAtMillis() {
        return passedAtMillis;
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        String operator = group.getAllVariables().getOrDefault("<operator_name>", "");
        if (name.equals("currentInputWatermark")
                && operator.startsWith(WINDOW_OPERATOR)
                && metric instanceof Gauge<?> gauge) {
            WATERMARKS.add(gauge);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        WATERMARKS.remove(metric);
    }

    @Override
    public void report() {
        if (passedAtMillis >= 0 || WATERMARKS.isEmpty()) {
            return;
        }
        for (Gauge<?> watermark : WATERMARKS) {
            if (watermark.getValue() instanceof Long value && value >= monday) {
                passedAtMillis = System.currentTimeMillis();
                return;
            }
        }
    }

    /** Found by Flink through META-INF/services. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new BurstClock();
        }
    }
}
