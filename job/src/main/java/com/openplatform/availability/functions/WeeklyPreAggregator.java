package com.openplatform.availability.functions;

import com.openplatform.availability.records.CallbackEvent;
import com.openplatform.availability.records.FailureReason;
import com.openplatform.availability.records.HourlyCounts;
import com.openplatform.availability.records.InWeekCounts;
import com.openplatform.availability.records.LatencyHistogram;
import com.openplatform.availability.records.WeeklyCounts;
import com.openplatform.availability.time.CalendarWeeks;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Counts events per (developerId, week) in memory before the keyBy, so the keyed window sees a
 * handful of partial counts instead of every event (5–6× faster on RocksDB).
 *
 * <p>A week's partial count is flushed before the watermark that fires its window is forwarded, so
 * it is never late downstream; everything is flushed before each checkpoint barrier and at the end
 * of input, so the operator holds no state of its own; and everything is flushed when the bundle
 * exceeds its size limit, which bounds the memory.
 *
 * <p>With the in-week evaluation on (docs/reference.md §10), each week's counts per hour since the
 * last flush also go to the side output {@link #IN_WEEK} whenever the watermark is about to pass an
 * hour boundary, and whenever the week's partial count leaves the bundle: the evaluation at an hour
 * boundary then sees every event that arrived before the watermark passed it. Only these small
 * hourly counts are flushed at hour boundaries; the partial counts stay until their week closes.
 */
public class WeeklyPreAggregator extends AbstractStreamOperator<WeeklyCounts>
        implements OneInputStreamOperator<CallbackEvent, WeeklyCounts>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    /** Each partial week's counts per hour since its last flush (docs/reference.md §10). */
    public static final OutputTag<InWeekCounts> IN_WEEK =
            new OutputTag<>("in-week-counts", TypeInformation.of(InWeekCounts.class));

    private final CalendarWeeks weeks;
    private final long timeoutMillis;
    private final int maxBundleSize;
    private final boolean inWeek;

    private transient Map<WeekKey, PartialWeek> bundle;
    private transient WeekKey probe;
    private transient long earliestWeekEnd;
    private transient StreamRecord<WeeklyCounts> reuse;
    private transient long nextHourCrossing;

    /**
     * @param inWeek whether to feed the in-week evaluation ({@link #IN_WEEK})
     */
    public WeeklyPreAggregator(
            CalendarWeeks weeks, Duration callbackTimeout, int maxBundleSize, boolean inWeek) {
        this.weeks = weeks;
        this.timeoutMillis = callbackTimeout.toMillis();
        this.maxBundleSize = maxBundleSize;
        this.inWeek = inWeek;
    }

    @Override
    public void open() throws Exception {
        super.open();
        bundle = new HashMap<>();
        probe = new WeekKey();
        earliestWeekEnd = Long.MAX_VALUE;
        reuse = new StreamRecord<>(null);
        nextHourCrossing = Long.MIN_VALUE;
    }

    @Override
    public void processElement(StreamRecord<CallbackEvent> element) {
        CallbackEvent event = element.getValue();
        long weekStart = weeks.startOf(event.getEventTime());
        probe.set(event.getDeveloperId(), weekStart);
        PartialWeek week = bundle.get(probe);
        if (week == null) {
            long weekEnd = weeks.endOf(event.getEventTime());
            week = new PartialWeek(new WeeklyCounts(event.getDeveloperId(), weekStart, weekEnd));
            bundle.put(new WeekKey(event.getDeveloperId(), weekStart), week);
            earliestWeekEnd = Math.min(earliestWeekEnd, weekEnd);
        }
        FailureReason reason = event.failureReason(timeoutMillis);
        week.counts.count(event.getCallbackType(), reason);
        if (event.getHttpStatus() != 0) {
            week.latencies.record(event.getLatencyMs());
        }
        int hour = HourlyCounts.hourOf(weekStart, event.getEventTime());
        week.hours.count(hour, reason != null);
        if (inWeek) {
            week.inWeek().count(hour, reason);
        }
        if (bundle.size() > maxBundleSize) {
            flushAll();
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (inWeek && mark.getTimestamp() >= nextHourCrossing) {
            for (PartialWeek week : bundle.values()) {
                emitInWeek(week);
            }
            nextHourCrossing = nextHourCrossingAfter(mark.getTimestamp());
        }
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
        Iterator<PartialWeek> pending = bundle.values().iterator();
        while (pending.hasNext()) {
            PartialWeek week = pending.next();
            long weekEnd = week.counts.getWeekEndMillis();
            if (weekEnd - 1 <= watermark) {
                emit(week);
                pending.remove();
            } else {
                earliestOpen = Math.min(earliestOpen, weekEnd);
            }
        }
        earliestWeekEnd = earliestOpen;
    }

    private void flushAll() {
        for (PartialWeek week : bundle.values()) {
            emit(week);
        }
        bundle.clear();
        earliestWeekEnd = Long.MAX_VALUE;
    }

    /** The watermark at which the next hour boundary {@code h} is passed: {@code h - 1}. */
    private long nextHourCrossingAfter(long watermark) {
        if (watermark <= Long.MIN_VALUE / 2 || watermark >= Long.MAX_VALUE / 2) {
            // Before the first event or after the last: no instant a calendar can place.
            return watermark == Long.MAX_VALUE ? Long.MAX_VALUE : watermark + 1;
        }
        long weekStart = weeks.startOf(watermark + 1);
        long hours = (watermark + 1 - weekStart) / HourlyCounts.HOUR_MILLIS + 1;
        long h = Math.min(weekStart + hours * HourlyCounts.HOUR_MILLIS, weeks.endOf(watermark + 1));
        return h - 1;
    }

    private void emitInWeek(PartialWeek week) {
        if (week.inWeek != null) {
            output.collect(
                    IN_WEEK, new StreamRecord<>(week.inWeek, week.counts.getWeekStartMillis()));
            week.inWeek = null;
        }
    }

    private void emit(PartialWeek week) {
        emitInWeek(week);
        WeeklyCounts counts = week.counts;
        counts.addDiagnosis(week.latencies, week.hours);
        // The week's start as timestamp puts the partial count into the right week window.
        output.collect(reuse.replace(counts, counts.getWeekStartMillis()));
    }

    /**
     * A week's partial counts, with its latencies and hourly counts as plain arrays: recording an
     * event is an increment, and only the flush encodes them into the counts.
     */
    private static final class PartialWeek {
        final WeeklyCounts counts;
        final LatencyHistogram latencies = new LatencyHistogram();
        final HourlyCounts hours;
        InWeekCounts inWeek;

        PartialWeek(WeeklyCounts counts) {
            this.counts = counts;
            this.hours = new HourlyCounts(counts.getWeekStartMillis(), counts.getWeekEndMillis());
        }

        InWeekCounts inWeek() {
            if (inWeek == null) {
                inWeek =
                        new InWeekCounts(
                                counts.getDeveloperId(),
                                counts.getWeekStartMillis(),
                                counts.getWeekEndMillis());
            }
            return inWeek;
        }
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
