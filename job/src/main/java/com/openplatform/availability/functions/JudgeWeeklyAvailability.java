package com.openplatform.availability.functions;

import com.openplatform.availability.records.StandardHistory;
import com.openplatform.availability.records.StandardUpdate;
import com.openplatform.availability.records.WeeklyCounts;
import com.openplatform.availability.records.WeeklyResult;
import com.openplatform.availability.time.CalendarWeeks;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.util.Collector;

/**
 * Judges each developerId's week against its standard (docs/reference.md §2, §3.2), keyed by
 * developerId with the standards as broadcast state.
 *
 * <p>A week is first judged once the watermark passes its close. The watermark here is the lowest
 * of the events' and the standards' inputs, and the standards input holds it back until what it
 * held at the start is read (see {@code io.CatchUpReader}), so a fresh start over a backlog never
 * judges a week on a standard that is about to be replaced. Counts that arrive once the standards
 * are read up to the week's close are judged as they come ({@link UpdatesInput}): waiting in state
 * for the watermark that follows them was two fifths of this operator's work at the Monday burst.
 *
 * <p>Every judged week is held until {@code holdWeeks} weeks after it ends. A week's counts that
 * change (late events) are judged again; a standard update that changes the standard of held weeks
 * re-judges them. Either way the corrected result is emitted, so the final results do not depend on
 * whether a standard arrived before or after the events.
 */
public class JudgeWeeklyAvailability
        extends KeyedBroadcastProcessFunction<Long, WeeklyCounts, StandardUpdate, WeeklyResult> {
    private static final long serialVersionUID = 1L;

    /** developerId (0 for the platform default) → its standard versions. */
    public static final MapStateDescriptor<Long, StandardHistory> STANDARDS =
            new MapStateDescriptor<>(
                    "standards", Types.LONG, TypeInformation.of(StandardHistory.class));

    /** week start (epoch ms) → the week's latest result. */
    static final MapStateDescriptor<Long, WeeklyResult> JUDGED_WEEKS =
            new MapStateDescriptor<>(
                    "judged-weeks", Types.LONG, TypeInformation.of(WeeklyResult.class));

    private final CalendarWeeks weeks;
    private final BigDecimal defaultStandard;
    private final int holdWeeks;

    /** week start (epoch ms) → the week's counts, waiting for the watermark to pass its close. */
    static final MapStateDescriptor<Long, WeeklyCounts> WAITING_COUNTS =
            new MapStateDescriptor<>(
                    "waiting-counts", Types.LONG, TypeInformation.of(WeeklyCounts.class));

    /** Where the standards input stands ({@link Operator}). */
    private transient UpdatesInput standardsInput;

    private transient MapState<Long, WeeklyResult> judgedWeeks;
    private transient MapState<Long, WeeklyCounts> waitingCounts;
    private transient Counter weeksJudged;
    private transient Counter breaches;
    private transient Counter rejudged;

    public JudgeWeeklyAvailability(CalendarWeeks weeks, BigDecimal defaultStandard, int holdWeeks) {
        this.weeks = weeks;
        this.defaultStandard = defaultStandard;
        this.holdWeeks = holdWeeks;
    }

    @Override
    public void open(OpenContext openContext) {
        standardsInput = new UpdatesInput();
        judgedWeeks = getRuntimeContext().getMapState(JUDGED_WEEKS);
        waitingCounts = getRuntimeContext().getMapState(WAITING_COUNTS);
        MetricGroup metrics =
                getRuntimeContext().getMetricGroup().addGroup(DeadLetters.METRIC_GROUP);
        weeksJudged = metrics.counter("weeksJudged");
        breaches = metrics.counter("breaches");
        rejudged = metrics.counter("weeksRejudged");
    }

    @Override
    public void processElement(
            WeeklyCounts counts, ReadOnlyContext ctx, Collector<WeeklyResult> out)
            throws Exception {
        long weekStart = counts.getWeekStartMillis();
        long weekClose = counts.getWeekEndMillis() - 1;
        if (ctx.timerService().currentWatermark() < weekClose) {
            // The point lookup last: a miss costs RocksDB a read of every level that may hold it.
            if (!standardsInput.passed(ctx.timestamp(), weekClose)
                    && !judgedWeeks.contains(weekStart)) {
                waitingCounts.put(weekStart, counts);
                ctx.timerService().registerEventTimeTimer(weekClose);
                return;
            }
            // Earlier counts of the week may wait for the close: these replace them. A blind
            // delete, a write.
            waitingCounts.remove(weekStart);
        }
        judge(counts, ctx, out);
    }

    /**
     * Judges a week and holds it. Its release timer is registered with every judgement: a timer
     * registered again is the same timer, and a write, where asking whether the week was judged
     * before is a read.
     */
    private void judge(WeeklyCounts counts, ReadOnlyContext ctx, Collector<WeeklyResult> out)
            throws Exception {
        long weekStart = counts.getWeekStartMillis();
        BigDecimal standard =
                standardFor(
                        counts.getDeveloperId(),
                        counts.getWeekEndMillis(),
                        ctx.getBroadcastState(STANDARDS));
        WeeklyResult result =
                WeeklyResult.judge(counts, weeks.mondayOf(weekStart).toString(), standard);
        ctx.timerService().registerEventTimeTimer(releaseTime(weekStart));
        judgedWeeks.put(weekStart, result);
        emit(result, out);
    }

    @Override
    public void processBroadcastElement(
            StandardUpdate update, Context ctx, Collector<WeeklyResult> out) throws Exception {
        BroadcastState<Long, StandardHistory> standards = ctx.getBroadcastState(STANDARDS);
        if (!Standards.remember(standards, update)) {
            return;
        }
        ctx.applyToKeyedState(
                JUDGED_WEEKS,
                (developerId, held) -> {
                    if (update.getDeveloperId() == 0 || update.getDeveloperId() == developerId) {
                        rejudge(developerId, held, standards, out);
                    }
                });
    }

    private void rejudge(
            long developerId,
            MapState<Long, WeeklyResult> held,
            ReadOnlyBroadcastState<Long, StandardHistory> standards,
            Collector<WeeklyResult> out)
            throws Exception {
        List<WeeklyResult> changed = new ArrayList<>();
        for (WeeklyResult result : held.values()) {
            BigDecimal standard =
                    standardFor(developerId, result.getCounts().getWeekEndMillis(), standards);
            if (standard.compareTo(result.getStandard()) != 0) {
                changed.add(result.withStandard(standard));
            }
        }
        for (WeeklyResult result : changed) {
            held.put(result.getCounts().getWeekStartMillis(), result);
            rejudged.inc();
            emit(result, out);
        }
    }

    /**
     * Either a week's close, for the counts that waited for it, or the end of a week's hold. Both
     * are point lookups: on RocksDB a scan of the maps (and isEmpty) is an iterator seek per timer,
     * which made the final watermark take seconds. Removing a map's last entry clears it.
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<WeeklyResult> out)
            throws Exception {
        if (timestamp == weeks.endOf(timestamp) - 1) {
            long weekStart = weeks.startOf(timestamp);
            WeeklyCounts due = waitingCounts.get(weekStart);
            if (due != null) {
                waitingCounts.remove(weekStart);
                judge(due, ctx, out);
            }
        } else {
            judgedWeeks.remove(weekReleasedAt(timestamp));
        }
    }

    private BigDecimal standardFor(
            long developerId, long weekEnd, ReadOnlyBroadcastState<Long, StandardHistory> standards)
            throws Exception {
        return Standards.of(developerId, weekEnd, standards, defaultStandard);
    }

    private long releaseTime(long weekStart) {
        return weeks.weeksAfterEndOf(weekStart, holdWeeks);
    }

    private long weekReleasedAt(long releaseTime) {
        return weeks.startOfWeeksBefore(releaseTime, holdWeeks + 1);
    }

    private void emit(WeeklyResult result, Collector<WeeklyResult> out) {
        weeksJudged.inc();
        if (!result.isSatisfied()) {
            breaches.inc();
        }
        out.collect(result);
    }

    /**
     * Flink's keyed broadcast operator, which also tells the function where the standards input
     * stands: the function only sees the lowest watermark of both inputs.
     */
    public static final class Operator
            extends CoBroadcastWithKeyedOperator<Long, WeeklyCounts, StandardUpdate, WeeklyResult> {
        private static final long serialVersionUID = 1L;

        public Operator(JudgeWeeklyAvailability judge) {
            super(judge, List.of(STANDARDS));
        }

        private UpdatesInput standards() {
            return ((JudgeWeeklyAvailability) userFunction).standardsInput;
        }

        @Override
        public void processWatermark2(Watermark mark) throws Exception {
            standards().advance(mark);
            super.processWatermark2(mark);
        }

        @Override
        protected void processWatermarkStatus(WatermarkStatus status, int index) throws Exception {
            if (index == 1) {
                standards().status(status);
            }
            super.processWatermarkStatus(status, index);
        }
    }
}
