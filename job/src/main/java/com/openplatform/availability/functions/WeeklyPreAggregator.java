package com.openplatform.availability.functions;

import com.openplatform.availability.records.CallbackEvent;
import com.openplatform.availability.records.WeeklyCounts;
import com.openplatform.availability.time.CalendarWeeks;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Counts events per (developerId, week) in memory before the keyBy, so the keyed window sees a
 * handful of partial counts instead of every event (5–6× faster on RocksDB).
 *
 * <p>A week's partial count is flushed before the watermark that fires its window is forwarded, so
 * it is never late downstream; everything is flushed before each checkpoint barrier and at the end
 * of input, so the operator holds no state of its own; and everything is flushed when the bundle
 * exceeds its size limit, which bounds the memory.
 */
public class WeeklyPreAggregator extends AbstractStreamOperator<WeeklyCounts>
        implements OneInputStreamOperator<CallbackEvent, WeeklyCounts>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    private final CalendarWeeks weeks;
    private final long timeoutMillis;
    private final int maxBundleSize;

    private transient Map<WeekKey, WeeklyCounts> bundle;
    private transient WeekKey probe;
    private transient long earliestWeekEnd;
    private transient StreamRecord<WeeklyCounts> reuse;

    public WeeklyPreAggregator(CalendarWeeks weeks, Duration callbackTimeout, int maxBundleSize) {
        this.weeks = weeks;
        this.timeoutMillis = callbackTimeout.toMillis();
        this.maxBundleSize = maxBundleSize;
    }

    @Override
    public void open() throws Exception {
        super.open();
        bundle = new HashMap<>();
        probe = new WeekKey();
        earliestWeekEnd = Long.MAX_VALUE;
        reuse = new StreamRecord<>(null);
    }

    @Override
    public void processElement(StreamRecord<CallbackEvent> element) {
        CallbackEvent event = element.getValue();
        long weekStart = weeks.startOf(event.getEventTime());
        probe.set(event.getDeveloperId(), weekStart);
        WeeklyCounts counts = bundle.get(probe);
        if (counts == null) {
            long weekEnd = weeks.endOf(event.getEventTime());
            counts = new WeeklyCounts(event.getDeveloperId(), weekStart, weekEnd);
            bundle.put(new WeekKey(event.getDeveloperId(), weekStart), counts);
            earliestWeekEnd = Math.min(earliestWeekEnd, weekEnd);
        }
        counts.count(event.getCallbackType(), event.failureReason(timeoutMillis));
        if (bundle.size() > maxBundleSize) {
            flushAll();
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (earliestWeekEnd - 1 <= mark.getTimestamp()) {
            flushClosedWeeks(mark.getTimestamp());
        }
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flushAll();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void endInput() {
        flushAll();
    }

    private void flushClosedWeeks(long watermark) {
        long earliestOpen = Long.MAX_VALUE;
        Iterator<WeeklyCounts> pending = bundle.values().iterator();
        while (pending.hasNext()) {
            WeeklyCounts counts = pending.next();
            if (counts.getWeekEndMillis() - 1 <= watermark) {
                emit(counts);
                pending.remove();
            } else {
                earliestOpen = Math.min(earliestOpen, counts.getWeekEndMillis());
            }
        }
        earliestWeekEnd = earliestOpen;
    }

    private void flushAll() {
        for (WeeklyCounts counts : bundle.values()) {
            emit(counts);
        }
        bundle.clear();
        earliestWeekEnd = Long.MAX_VALUE;
    }

    private void emit(WeeklyCounts counts) {
        // The week's start as timestamp puts the partial count into the right week window.
        output.collect(reuse.replace(counts, counts.getWeekStartMillis()));
    }

    /** A mutable (developerId, weekStart) key, so that lookups allocate nothing. */
    private static final class WeekKey {
        private long developerId;
        private long weekStart;

        WeekKey() {}

        WeekKey(long developerId, long weekStart) {
            set(developerId, weekStart);
        }

        void set(long developerId, long weekStart) {
            this.developerId = developerId;
            this.weekStart = weekStart;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof WeekKey
                    && ((WeekKey) o).developerId == developerId
                    && ((WeekKey) o).weekStart == weekStart;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(developerId * 31 + weekStart);
        }
    }
}
