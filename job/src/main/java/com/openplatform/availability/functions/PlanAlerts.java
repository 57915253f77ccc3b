package com.openplatform.availability.functions;

import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.AlertedWeek;
import com.openplatform.availability.records.WechatBinding;
import com.openplatform.availability.records.WeeklyResult;
import com.openplatform.availability.time.CalendarWeeks;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.util.Collector;

/**
 * Turns breached weeks into alert requests, one per (developerId, week, bound openId), keyed by
 * developerId with the developer's WeChat bindings as keyed state.
 *
 * <p>A result is acted on once the watermark passes the end of its week, or as it comes once the
 * bindings are read up to that end ({@link UpdatesInput}). The watermark here is the lowest of the
 * events', standards' and bindings' inputs, so with bounded inputs a week is alerted only after
 * every standard and binding was read, and a breach that a later standard corrects is never
 * alerted; the latest result of the week is the one that counts.
 *
 * <p>A week is alerted to an openId at most once, whatever corrections follow: a breach corrected
 * to satisfied sends no retraction, and a week that breaches again is not alerted again. An openId
 * bound while a breach's alert week is still running (up to a week after the breached week ended,
 * in event time) gets that breach too, so alerts do not depend on whether bindings or events
 * arrived first. A breach with no bound openId is recorded once as {@code NO_RECIPIENT}.
 *
 * <p>Bindings are keyed, not broadcast: they belong to one developerId each, so they scale with the
 * parallelism and a new binding reaches that developer's held weeks without a scan of all keys.
 */
public class PlanAlerts
        extends KeyedCoProcessFunction<Long, WeeklyResult, WechatBinding, AlertRequest> {
    private static final long serialVersionUID = 1L;

    private static final long CATCH_UP_MILLIS = Duration.ofDays(7).toMillis();

    /** openId → the developerId's latest binding of it. */
    static final MapStateDescriptor<String, WechatBinding> BINDINGS =
            new MapStateDescriptor<>(
                    "bindings", Types.STRING, TypeInformation.of(WechatBinding.class));

    private final CalendarWeeks weeks;
    private final int holdWeeks;

    /** Where the bindings input stands ({@link Operator}). */
    private transient UpdatesInput bindingsInput;

    private transient MapState<String, WechatBinding> bindings;
    private transient MapState<Long, AlertedWeek> alertedWeeks;
    private transient MapState<Long, WeeklyResult> waitingResults;
    private transient Counter alertsPlanned;

    public PlanAlerts(CalendarWeeks weeks, int holdWeeks) {
        this.weeks = weeks;
        this.holdWeeks = holdWeeks;
    }

    @Override
    public void open(OpenContext openContext) {
        bindingsInput = new UpdatesInput();
        bindings = getRuntimeContext().getMapState(BINDINGS);
        alertedWeeks =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "alerted-weeks",
                                        Types.LONG,
                                        TypeInformation.of(AlertedWeek.class)));
        waitingResults =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "waiting-results",
                                        Types.LONG,
                                        TypeInformation.of(WeeklyResult.class)));
        alertsPlanned =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup(DeadLetters.METRIC_GROUP)
                        .counter("alertsPlanned");
    }

    @Override
    public void processElement1(WeeklyResult result, Context ctx, Collector<AlertRequest> out)
            throws Exception {
        long weekClose = result.getCounts().getWeekEndMillis() - 1;
        if (ctx.timerService().currentWatermark() < weekClose) {
            long weekStart = result.getCounts().getWeekStartMillis();
            if (!bindingsInput.passed(ctx.timestamp(), weekClose)) {
                waitingResults.put(weekStart, result);
                ctx.timerService().registerEventTimeTimer(weekClose);
                return;
            }
            // An earlier result of the week may wait for the close: this one replaces it.
            waitingResults.remove(weekStart);
        }
        plan(result, ctx.timerService(), out);
    }

    private void plan(WeeklyResult result, TimerService timers, Collector<AlertRequest> out)
            throws Exception {
        long weekStart = result.getCounts().getWeekStartMillis();
        AlertedWeek week = alertedWeeks.get(weekStart);
        if (week == null) {
            if (result.isSatisfied()) {
                return;
            }
            week = new AlertedWeek();
            timers.registerEventTimeTimer(releaseTime(weekStart));
        }
        week.setLatest(result);
        if (!result.isSatisfied()) {
            alertBoundOpenIds(week, out);
        }
        alertedWeeks.put(weekStart, week);
    }

    private void alertBoundOpenIds(AlertedWeek week, Collector<AlertRequest> out) throws Exception {
        boolean anyBound = false;
        for (WechatBinding binding : bindings.values()) {
            if (binding.isBound()) {
                anyBound = true;
                alert(week, binding, out);
            }
        }
        if (!anyBound && week.getOpenIds().isEmpty()) {
            alert(week, null, out);
        }
    }

    @Override
    public void processElement2(WechatBinding binding, Context ctx, Collector<AlertRequest> out)
            throws Exception {
        if (!remember(bindings, binding) || !binding.isBound()) {
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        for (Map.Entry<Long, AlertedWeek> entry : alertedWeeks.entries()) {
            AlertedWeek week = entry.getValue();
            WeeklyResult latest = week.getLatest();
            if (!latest.isSatisfied()
                    && latest.getCounts().getWeekEndMillis() + CATCH_UP_MILLIS > watermark
                    && alert(week, binding, out)) {
                alertedWeeks.put(entry.getKey(), week);
            }
        }
    }

    /** Keeps {@code binding} unless a later version is known; says whether it was kept. */
    static boolean remember(MapState<String, WechatBinding> bindings, WechatBinding binding)
            throws Exception {
        WechatBinding known = bindings.get(binding.getOpenId());
        if (known != null && known.getVersion() > binding.getVersion()) {
            return false;
        }
        bindings.put(binding.getOpenId(), binding);
        return true;
    }

    /** Alerts {@code binding}'s openId (or nobody) unless done before; says whether it did. */
    private boolean alert(AlertedWeek week, WechatBinding binding, Collector<AlertRequest> out) {
        String openId = binding == null ? AlertRequest.NO_OPEN_ID : binding.getOpenId();
        if (week.getOpenIds().contains(openId)) {
            return false;
        }
        week.getOpenIds().add(openId);
        alertsPlanned.inc();
        out.collect(AlertRequest.forBreach(week.getLatest(), binding, weeks.zone()));
        return true;
    }

    /**
     * Either a week's close, for the result that waited for it, or the end of a week's hold. Both
     * are point lookups: on RocksDB a scan of the maps (and isEmpty) is an iterator seek per timer,
     * which made the final watermark take seconds. Removing a map's last entry clears it.
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertRequest> out)
            throws Exception {
        if (timestamp == weeks.endOf(timestamp) - 1) {
            long weekStart = weeks.startOf(timestamp);
            WeeklyResult due = waitingResults.get(weekStart);
            if (due != null) {
                waitingResults.remove(weekStart);
                plan(due, ctx.timerService(), out);
            }
        } else {
            alertedWeeks.remove(weekReleasedAt(timestamp));
        }
    }

    private long releaseTime(long weekStart) {
        return weeks.weeksAfterEndOf(weekStart, holdWeeks);
    }

    private long weekReleasedAt(long releaseTime) {
        return weeks.startOfWeeksBefore(releaseTime, holdWeeks + 1);
    }

    /** Flink's keyed two-input operator, which also tells the function where the bindings stand. */
    public static final class Operator
            extends KeyedCoProcessOperator<Long, WeeklyResult, WechatBinding, AlertRequest> {
        private static final long serialVersionUID = 1L;

        public Operator(PlanAlerts plan) {
            super(plan);
        }

        private UpdatesInput bindings() {
            return ((PlanAlerts) userFunction).bindingsInput;
        }

        @Override
        public void processWatermark2(Watermark mark) throws Exception {
            bindings().advance(mark);
            super.processWatermark2(mark);
        }

        @Override
        protected void processWatermarkStatus(WatermarkStatus status, int index) throws Exception {
            if (index == 1) {
                bindings().status(status);
            }
            super.processWatermarkStatus(status, index);
        }
    }
}
