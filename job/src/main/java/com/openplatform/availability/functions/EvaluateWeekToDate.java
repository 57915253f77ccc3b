package com.openplatform.availability.functions;

import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.BurnRules;
import com.openplatform.availability.records.HourlyCounts;
import com.openplatform.availability.records.InWeekCounts;
import com.openplatform.availability.records.StandardHistory;
import com.openplatform.availability.records.StandardUpdate;
import com.openplatform.availability.records.WarningRule;
import com.openplatform.availability.records.WeekToDate;
import com.openplatform.availability.records.WeekToDateRow;
import com.openplatform.availability.time.CalendarWeeks;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Evaluates each developerId's running weeks at every local hour boundary {@code h} the watermark
 * passes (docs/reference.md §10): the {@code week_to_date} row as of {@code h}, and the week's one
 * early warning at the first {@code h} strictly inside the week at which a burn-rate rule holds
 * (side output {@link #WARNINGS}, addressed by {@link PlanWarnings}). Its first input is keyed by
 * developerId; its second, the standards, is broadcast.
 *
 * <p>An evaluation at {@code h} sees the counts that arrived before the watermark passed {@code h}
 * (the pre-aggregator flushes them before forwarding the watermark); counts that arrive later count
 * from the next evaluation on. Only the boundaries at which something may differ from the last
 * evaluation are evaluated, each running week at its next such boundary: those whose hour or six
 * hours hold counts, the one at which the budget becomes spent with the counts so far, and the
 * week's end. At the others — a quiet week — every rule is false (empty windows; BUDGET_SPENT
 * computed ahead) and the row would differ only in {@code as_of}, so it is not rewritten. When the
 * watermark passes several due boundaries at once (a replay, a backfill, a restart catching up),
 * they are evaluated one after the other with the counts that had arrived before each of them, and
 * only the last one's row is written.
 *
 * <p>The running weeks live in the heap, with their next points in hourly buckets, and reach the
 * keyed state ({@link #RUNNING_WEEKS}) only when a checkpoint is taken, changed ones only: counts
 * arrive for every active developerId at nearly every hour, and a state write (and timer) per
 * arrival and per evaluation cost more than the evaluation itself. A restore reads them back. A
 * week is released when the watermark passes its end, after the last row (at {@code h = week end},
 * whose counts are those of the week's first weekly row). Counts of a week whose end the watermark
 * passed already are left to the weekly results.
 */
public class EvaluateWeekToDate extends AbstractStreamOperator<WeekToDateRow>
        implements TwoInputStreamOperator<InWeekCounts, StandardUpdate, WeekToDateRow>,
                Triggerable<Long, VoidNamespace> {
    private static final long serialVersionUID = 2L;

    /** The week's early warning, to nobody yet. */
    public static final OutputTag<AlertRequest> WARNINGS =
            new OutputTag<>("warnings", TypeInformation.of(AlertRequest.class));

    /** week start (epoch ms) → the running week, as of the last checkpoint. */
    static final MapStateDescriptor<Long, WeekToDate> RUNNING_WEEKS =
            new MapStateDescriptor<>(
                    "running-weeks", Types.LONG, TypeInformation.of(WeekToDate.class));

    /**
     * The event-time timers of the version that kept one per running week; restored ones fire into
     * nothing, the weeks' own next points having taken their place.
     */
    private static final String PREVIOUS_TIMERS = "user-timers";

    private final CalendarWeeks weeks;
    private final BigDecimal defaultStandard;
    private final BurnRules rules;

    private transient MapState<Long, WeekToDate> stored;
    private transient BroadcastState<Long, StandardHistory> standards;
    private transient TypeSerializer<WeekToDate> serializer;

    /** Whether the state backend keeps copies of its own (RocksDB serializes), not our objects. */
    private transient boolean backendCopies;

    /** week start → developerId → the running week. */
    private transient Map<Long, Map<Long, Running>> running;

    /** A week's next point {@code timer + 1} → the weeks due then; stale if their timer moved. */
    private transient TreeMap<Long, List<Running>> due;

    /** Counts the standard updates, so that a week's standard is looked up again after one. */
    private transient long standardUpdates;

    private transient List<Running> changed;

    /** Both inputs' watermark, as the operator last forwarded it. */
    private transient long watermark;

    private transient Counter warnings;
    private transient Counter rows;
    private transient long mondayWeekStart;
    private transient String mondayText;

    public EvaluateWeekToDate(CalendarWeeks weeks, BigDecimal defaultStandard, BurnRules rules) {
        this.weeks = weeks;
        this.defaultStandard = defaultStandard;
        this.rules = rules;
    }

    /** A running week, what the keyed state holds of it, and its standard. */
    private static final class Running {
        final WeekToDate week;
        boolean stored;
        boolean changed;
        boolean released;
        BigDecimal standard;
        long standardAsOf = -1;

        Running(WeekToDate week) {
            this.week = week;
        }
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        standards =
                context.getOperatorStateStore()
                        .getBroadcastState(JudgeWeeklyAvailability.STANDARDS);
        stored = getKeyedStateStore().getMapState(RUNNING_WEEKS);
        serializer =
                TypeInformation.of(WeekToDate.class)
                        .createSerializer(getExecutionConfig().getSerializerConfig());
        backendCopies = getKeyedStateBackend().isSafeToReuseKVState();
        running = new HashMap<>();
        due = new TreeMap<>();
        changed = new ArrayList<>();
        if (context.isRestored()) {
            KeyedStateBackend<Long> backend = getKeyedStateBackend();
            List<Long> keys;
            try (Stream<Long> restored =
                    backend.getKeys(RUNNING_WEEKS.getName(), VoidNamespace.INSTANCE)) {
                keys = restored.toList();
            }
            for (Long developerId : keys) {
                setCurrentKey(developerId);
                for (Map.Entry<Long, WeekToDate> entry : stored.entries()) {
                    Running week = track(copy(entry.getValue()));
                    week.stored = true;
                    // Every running week has its next point set, in this version and the last.
                    queue(week, week.week.getTimer());
                }
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        watermark = Long.MIN_VALUE;
        getInternalTimerService(PREVIOUS_TIMERS, VoidNamespaceSerializer.INSTANCE, this);
        MetricGroup metrics = getMetricGroup().addGroup(DeadLetters.METRIC_GROUP);
        warnings = metrics.counter("weeksWarned");
        rows = metrics.counter("weekToDateRows");
    }

    @Override
    public void processElement1(StreamRecord<InWeekCounts> element) throws Exception {
        InWeekCounts counts = element.getValue();
        long weekStart = counts.getWeekStartMillis();
        long weekEnd = counts.getWeekEndMillis();
        if (watermark >= weekEnd - 1) {
            return;
        }
        long passed = lastPassed(weekStart, weekEnd, watermark);
        Running entry = running.getOrDefault(weekStart, Map.of()).get(counts.getDeveloperId());
        if (entry == null) {
            entry = track(new WeekToDate(counts.getDeveloperId(), weekStart, weekEnd, passed));
        } else if (entry.week.getEvaluatedTo() < passed) {
            // The boundaries in between were quiet (none was due), so these counts, which arrived
            // after the watermark passed them, count from the next boundary on.
            entry.week.advanceTo(passed);
        }
        WeekToDate week = entry.week;
        week.add(counts);
        long next;
        if (lateForTheWindows(week, counts)) {
            // Counts for an hour before the windows can spend the budget at any boundary.
            next = nextPoint(week, standardOf(entry));
        } else {
            // New counts are in a window from their next boundary on, which comes before any
            // point at which they could spend the budget: the standard is not needed here.
            next = Math.min(week.nextBusyBoundary(), weekEnd);
        }
        schedule(entry, next);
        markChanged(entry);
    }

    private Running track(WeekToDate week) {
        Running entry = new Running(week);
        running.computeIfAbsent(week.getWeekStartMillis(), w -> new HashMap<>())
                .put(week.getDeveloperId(), entry);
        return entry;
    }

    private void markChanged(Running entry) {
        if (!entry.changed) {
            entry.changed = true;
            changed.add(entry);
        }
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

    /** Queues the point {@code next} unless one at or before it is queued. */
    private void schedule(Running entry, long next) {
        long timer = next - 1;
        WeekToDate week = entry.week;
        if (week.getTimer() == 0 || timer < week.getTimer()) {
            week.setTimer(timer);
            queue(entry, timer);
        }
    }

    private void queue(Running entry, long timer) {
        due.computeIfAbsent(timer, t -> new ArrayList<>()).add(entry);
    }

    private BigDecimal standardOf(Running entry) throws Exception {
        if (entry.standardAsOf != standardUpdates) {
            WeekToDate week = entry.week;
            entry.standard =
                    Standards.of(
                            week.getDeveloperId(),
                            week.getWeekEndMillis(),
                            standards,
                            defaultStandard);
            entry.standardAsOf = standardUpdates;
        }
        return entry.standard;
    }

    /** Standards take effect from the next evaluation on; past rows and warnings stay. */
    @Override
    public void processElement2(StreamRecord<StandardUpdate> element) throws Exception {
        if (Standards.remember(standards, element.getValue())) {
            standardUpdates++;
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = mark.getTimestamp();
        Map.Entry<Long, List<Running>> next;
        while ((next = due.firstEntry()) != null && next.getKey() <= watermark) {
            due.pollFirstEntry();
            long timer = next.getKey();
            for (Running entry : next.getValue()) {
                if (!entry.released && entry.week.getTimer() == timer) {
                    evaluate(entry, timer);
                }
            }
        }
        super.processWatermark(mark);
    }

    /** The week's point {@code timer + 1} was passed, and maybe more of them. */
    private void evaluate(Running entry, long timer) throws Exception {
        WeekToDate week = entry.week;
        week.setTimer(0);
        markChanged(entry);
        long weekStart = week.getWeekStartMillis();
        long weekEnd = week.getWeekEndMillis();
        long target = lastPassed(weekStart, weekEnd, watermark);
        BigDecimal standard = standardOf(entry);
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
                    output.collect(
                            WARNINGS,
                            new StreamRecord<>(
                                    AlertRequest.forWarning(week, monday, rule, standard), timer));
                }
            }
        }
        if (evaluated && week.totalToDate() > 0) {
            rows.inc();
            output.collect(
                    new StreamRecord<>(WeekToDateRow.of(week, monday, standard, rules), timer));
        }
        if (week.getEvaluatedTo() >= weekEnd) {
            entry.released = true;
            Map<Long, Running> ofWeek = running.get(weekStart);
            ofWeek.remove(week.getDeveloperId());
            if (ofWeek.isEmpty()) {
                running.remove(weekStart);
            }
        } else {
            schedule(entry, nextPoint(week, standard));
        }
    }

    /** Writes the weeks changed since the last checkpoint to the keyed state, then snapshots. */
    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        for (Running entry : changed) {
            entry.changed = false;
            WeekToDate week = entry.week;
            setCurrentKey(week.getDeveloperId());
            if (entry.released) {
                if (entry.stored) {
                    stored.remove(week.getWeekStartMillis());
                }
            } else {
                stored.put(week.getWeekStartMillis(), copy(week));
                entry.stored = true;
            }
        }
        changed.clear();
        super.snapshotState(context);
    }

    /**
     * A copy of a week going into or coming out of state where the backend would share it: a heap
     * backend keeps the object, which the evaluation goes on changing while the checkpoint is
     * written. RocksDB serializes it, and a copy would only cost.
     */
    private WeekToDate copy(WeekToDate week) {
        return backendCopies ? week : serializer.copy(week);
    }

    @Override
    public void onEventTime(InternalTimer<Long, VoidNamespace> timer) {}

    @Override
    public void onProcessingTime(InternalTimer<Long, VoidNamespace> timer) {}

    /** The running weeks in the heap. */
    int runningWeeks() {
        return running.values().stream().mapToInt(Map::size).sum();
    }

    /** The week's Monday as text, kept for the last week asked: points come week by week. */
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
