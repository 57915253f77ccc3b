package com.openplatform.availability.functions;

import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.BurnRules;
import com.openplatform.availability.records.HourlyCounts;
import com.openplatform.availability.records.InWeekCounts;
import com.openplatform.availability.records.StandardUpdate;
import com.openplatform.availability.records.WarningRule;
import com.openplatform.availability.records.WeekToDate;
import com.openplatform.availability.records.WeekToDateRow;
import com.openplatform.availability.time.CalendarWeeks;
import java.math.BigDecimal;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Evaluates each developerId's running weeks at every local hour boundary {@code h} the watermark
 * passes (docs/reference.md §10): the {@code week_to_date} row as of {@code h}, and the week's one
 * early warning at the first {@code h} strictly inside the week at which a burn-rate rule holds
 * (side output {@link #WARNINGS}, addressed by {@link PlanWarnings}). Keyed by developerId, with
 * the standards as broadcast state.
 *
 * <p>An evaluation at {@code h} sees the counts that arrived before the watermark passed {@code h}
 * (the pre-aggregator flushes them before forwarding the watermark); counts that arrive later count
 * from the next evaluation on. Only the boundaries at which something may differ from the last
 * evaluation are evaluated, each running week with one timer at its next such boundary: those whose
 * hour or six hours hold counts, the one at which the budget becomes spent with the counts so far,
 * and the week's end. At the others — a quiet week — every rule is false (empty windows;
 * BUDGET_SPENT computed ahead) and the row would differ only in {@code as_of}, so it is not
 * rewritten. When the watermark passes several due boundaries at once (a replay, a backfill, a
 * restart catching up), they are evaluated one after the other with the counts that had arrived
 * before each of them, and only the last one's row is written.
 *
 * <p>A week's state is released when the watermark passes its end, after the last row (at {@code h
 * = week end}, whose counts are those of the week's first weekly row). Counts of a week whose end
 * the watermark passed already are left to the weekly results.
 */
public class EvaluateWeekToDate
        extends KeyedBroadcastProcessFunction<Long, InWeekCounts, StandardUpdate, WeekToDateRow> {
    private static final long serialVersionUID = 1L;

    /** The week's early warning, to nobody yet. */
    public static final OutputTag<AlertRequest> WARNINGS =
            new OutputTag<>("warnings", TypeInformation.of(AlertRequest.class));

    /** week start (epoch ms) → the running week. */
    static final MapStateDescriptor<Long, WeekToDate> RUNNING_WEEKS =
            new MapStateDescriptor<>(
                    "running-weeks", Types.LONG, TypeInformation.of(WeekToDate.class));

    private final CalendarWeeks weeks;
    private final BigDecimal defaultStandard;
    private final BurnRules rules;

    private transient MapState<Long, WeekToDate> runningWeeks;
    private transient Counter warnings;
    private transient Counter rows;
    private transient long mondayWeekStart;
    private transient String mondayText;

    public EvaluateWeekToDate(CalendarWeeks weeks, BigDecimal defaultStandard, BurnRules rules) {
        this.weeks = weeks;
        this.defaultStandard = defaultStandard;
        this.rules = rules;
    }

    @Override
    public void open(OpenContext openContext) {
        runningWeeks = getRuntimeContext().getMapState(RUNNING_WEEKS);
        MetricGroup metrics =
                getRuntimeContext().getMetricGroup().addGroup(DeadLetters.METRIC_GROUP);
        warnings = metrics.counter("weeksWarned");
        rows = metrics.counter("weekToDateRows");
    }

    @Override
    public void processElement(
            InWeekCounts counts, ReadOnlyContext ctx, Collector<WeekToDateRow> out)
            throws Exception {
        long weekStart = counts.getWeekStartMillis();
        long weekEnd = counts.getWeekEndMillis();
        long watermark = ctx.timerService().currentWatermark();
        if (watermark >= weekEnd - 1) {
            return;
        }
        long passed = lastPassed(weekStart, weekEnd, watermark);
        WeekToDate week = runningWeeks.get(weekStart);
        if (week == null) {
            week = new WeekToDate(counts.getDeveloperId(), weekStart, weekEnd, passed);
        } else if (week.getEvaluatedTo() < passed) {
            // The boundaries in between were quiet (none was due), so these counts, which arrived
            // after the watermark passed them, count from the next boundary on.
            week.advanceTo(passed);
        }
        week.add(counts);
        long due;
        if (lateForTheWindows(week, counts)) {
            // Counts for an hour before the windows can spend the budget at any boundary.
            due = nextPoint(week, standardOf(week, ctx));
        } else {
            // New counts are in a window from their next boundary on, which comes before any
            // point at which they could spend the budget: the standard is not needed here.
            due = Math.min(week.nextBusyBoundary(), weekEnd);
        }
        schedule(week, due, ctx.timerService());
        runningWeeks.put(weekStart, week);
    }

    private static boolean lateForTheWindows(WeekToDate week, InWeekCounts counts) {
        int evaluated = week.hourIndex(week.getEvaluatedTo());
        for (int e = 0; e < counts.entries(); e++) {
            if (counts.hourAt(e) < evaluated - WeekToDate.WINDOW_HOURS) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sets the timer of the point {@code due} unless one at or before it is set: each set costs a
     * write of the timer state, and a week's counts arrive many times between two of its points.
     */
    private static void schedule(WeekToDate week, long due, TimerService timers) {
        long timer = due - 1;
        if (week.getTimer() == 0 || timer < week.getTimer()) {
            timers.registerEventTimeTimer(timer);
            week.setTimer(timer);
        }
    }

    private BigDecimal standardOf(WeekToDate week, ReadOnlyContext ctx) throws Exception {
        return Standards.of(
                week.getDeveloperId(),
                week.getWeekEndMillis(),
                ctx.getBroadcastState(JudgeWeeklyAvailability.STANDARDS),
                defaultStandard);
    }

    /** Standards take effect from the next evaluation on; past rows and warnings stay. */
    @Override
    public void processBroadcastElement(
            StandardUpdate update, Context ctx, Collector<WeekToDateRow> out) throws Exception {
        Standards.remember(ctx.getBroadcastState(JudgeWeeklyAvailability.STANDARDS), update);
    }

    /** The hour boundary {@code h - 1} of one of the key's running weeks was passed. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<WeekToDateRow> out)
            throws Exception {
        long weekStart = weeks.startOf(timestamp);
        WeekToDate week = runningWeeks.get(weekStart);
        if (week == null) {
            return;
        }
        if (timestamp == week.getTimer()) {
            week.setTimer(0);
        } else if (week.getTimer() > ctx.timerService().currentWatermark()) {
            return; // an earlier timer replaced by a later one that is still to come
        }
        long weekEnd = week.getWeekEndMillis();
        long target = lastPassed(weekStart, weekEnd, ctx.timerService().currentWatermark());
        BigDecimal standard = standardOf(week, ctx);
        String monday = mondayOf(weekStart);
        BigDecimal budget = BigDecimal.ONE.subtract(standard);
        boolean evaluated = false;
        while (week.getEvaluatedTo() < weekEnd) {
            long point = nextPoint(week, standard);
            if (point > target) {
                break;
            }
            evaluated = true;
            if (week.isWarned() && week.isBudgetSpent()) {
                // Warned and off track for good: no rule or flag can change, only the counts.
                week.advanceTo(target);
                break;
            }
            week.advanceTo(point);
            if (!week.isBudgetSpent() && rules.budgetSpent(week, budget)) {
                week.setBudgetSpent(true);
            }
            if (!week.isWarned() && point < weekEnd) {
                WarningRule rule = rules.firstHolding(week, standard);
                if (rule != null) {
                    week.setWarned(true);
                    warnings.inc();
                    ctx.output(WARNINGS, AlertRequest.forWarning(week, monday, rule, standard));
                }
            }
        }
        if (evaluated && week.totalToDate() > 0) {
            rows.inc();
            out.collect(WeekToDateRow.of(week, monday, standard, rules));
        }
        if (week.getEvaluatedTo() >= weekEnd) {
            runningWeeks.remove(weekStart);
        } else {
            schedule(week, nextPoint(week, standard), ctx.timerService());
            runningWeeks.put(weekStart, week);
        }
    }

    /** The week's Monday as text, kept for the last week asked: timers come week by week. */
    private String mondayOf(long weekStart) {
        if (mondayText == null || weekStart != mondayWeekStart) {
            mondayText = weeks.mondayOf(weekStart).toString();
            mondayWeekStart = weekStart;
        }
        return mondayText;
    }

    /**
     * The latest hour boundary of the week {@code h} with {@code h - 1 <= watermark} (the week's
     * end counts as one), or the week's start when there is none yet.
     */
    static long lastPassed(long weekStart, long weekEnd, long watermark) {
        if (watermark >= weekEnd - 1) {
            return weekEnd;
        }
        if (watermark < weekStart) {
            return weekStart;
        }
        long hours = (watermark + 1 - weekStart) / HourlyCounts.HOUR_MILLIS;
        return weekStart + hours * HourlyCounts.HOUR_MILLIS;
    }

    /**
     * The next evaluation point that may differ from the last: the next boundary whose burn-rate
     * windows hold counts, the boundary at which BUDGET_SPENT starts to hold with the counts so
     * far, or the week's end. The boundaries in between are quiet — empty windows, counts and
     * on_track as before — and are passed over: a week with a few callbacks is evaluated a few
     * times, not at each of its 168 hours.
     */
    private long nextPoint(WeekToDate week, BigDecimal standard) {
        long next = Math.min(week.nextBusyBoundary(), week.getWeekEndMillis());
        if (!week.isBudgetSpent()) {
            next = Math.min(next, rules.budgetSpentPoint(week, BigDecimal.ONE.subtract(standard)));
        }
        return next;
    }
}
