package com.openplatform.availability.functions;

import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.DeliveryStatus;
import com.openplatform.availability.records.WarnedWeek;
import com.openplatform.availability.records.WechatBinding;
import com.openplatform.availability.time.CalendarWeeks;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Addresses each week's early warning (docs/reference.md §7) to every openId bound to its
 * developerId, once per (developerId, week, openId), like the breach alerts of {@link PlanAlerts}:
 * keyed by developerId with the bindings as keyed state. An openId bound later, while the week is
 * still running, gets the warning too; a warning with no bound openId is recorded once as {@code
 * NO_RECIPIENT}.
 *
 * <p>A warning waits until the operator's watermark reaches its hour boundary {@code h - 1}, as the
 * breach alerts wait for their week's close: the bindings input holds the watermark back until the
 * bindings held at the start are read, so a warning planned during a replay or right after a start
 * is not recorded {@code NO_RECIPIENT} for a developerId whose bindings are still unread.
 *
 * <p>A warning whose hour boundary is more than {@code maxAge} before the wall clock when it is
 * addressed is recorded {@code STALE} and never sent, so a replay or a backfill does not message
 * people about weeks long past; without a warning template it is recorded {@code SKIPPED}.
 */
public class PlanWarnings
        extends KeyedCoProcessFunction<Long, AlertRequest, WechatBinding, AlertRequest> {
    private static final long serialVersionUID = 1L;

    private final CalendarWeeks weeks;
    private final long maxAgeMillis;
    private final boolean sendable;
    private final Clock clock;

    private transient MapState<String, WechatBinding> bindings;
    private transient MapState<Long, WarnedWeek> warnedWeeks;
    private transient MapState<Long, AlertRequest> waitingWarnings;
    private transient Counter planned;
    private transient Counter stale;

    /**
     * @param sendable whether warnings can be sent (a WeChat app and a warning template)
     * @param clock the wall clock the age of a warning is measured by
     */
    public PlanWarnings(CalendarWeeks weeks, Duration maxAge, boolean sendable, Clock clock) {
        this.weeks = weeks;
        this.maxAgeMillis = maxAge.toMillis();
        this.sendable = sendable;
        this.clock = clock;
    }

    @Override
    public void open(OpenContext openContext) {
        bindings = getRuntimeContext().getMapState(PlanAlerts.BINDINGS);
        warnedWeeks =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "warned-weeks",
                                        Types.LONG,
                                        TypeInformation.of(WarnedWeek.class)));
        waitingWarnings =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "waiting-warnings",
                                        Types.LONG,
                                        TypeInformation.of(AlertRequest.class)));
        MetricGroup metrics =
                getRuntimeContext().getMetricGroup().addGroup(DeadLetters.METRIC_GROUP);
        planned = metrics.counter("warningsPlanned");
        stale = metrics.counter("warningsStale");
    }

    @Override
    public void processElement1(AlertRequest warning, Context ctx, Collector<AlertRequest> out)
            throws Exception {
        long due = warning.getAsOfMillis() - 1;
        if (ctx.timerService().currentWatermark() < due) {
            // The bindings held at the start may be unread yet: wait for the watermark to pass h.
            waitingWarnings.put(warning.getWeekStartMillis(), warning);
            ctx.timerService().registerEventTimeTimer(due);
            return;
        }
        plan(warning, ctx.timerService(), out);
    }

    private void plan(AlertRequest warning, TimerService timers, Collector<AlertRequest> out)
            throws Exception {
        long weekStart = warning.getWeekStartMillis();
        if (warnedWeeks.contains(weekStart)) {
            return;
        }
        WarnedWeek week = new WarnedWeek(warning);
        boolean anyBound = false;
        for (WechatBinding binding : bindings.values()) {
            if (binding.isBound()) {
                anyBound = true;
                address(week, binding, out);
            }
        }
        if (!anyBound) {
            address(week, null, out);
        }
        warnedWeeks.put(weekStart, week);
        timers.registerEventTimeTimer(warning.getWeekEndMillis() - 1);
    }

    @Override
    public void processElement2(WechatBinding binding, Context ctx, Collector<AlertRequest> out)
            throws Exception {
        if (!PlanAlerts.remember(bindings, binding) || !binding.isBound()) {
            return;
        }
        for (Map.Entry<Long, WarnedWeek> entry : warnedWeeks.entries()) {
            if (address(entry.getValue(), binding, out)) {
                warnedWeeks.put(entry.getKey(), entry.getValue());
            }
        }
    }

    /** Addresses the warning to {@code binding}'s openId (or nobody) unless done before. */
    private boolean address(WarnedWeek week, WechatBinding binding, Collector<AlertRequest> out) {
        String openId = binding == null ? AlertRequest.NO_OPEN_ID : binding.getOpenId();
        if (week.getOpenIds().contains(openId)) {
            return false;
        }
        week.getOpenIds().add(openId);
        AlertRequest warning = week.getWarning().withRecipient(binding);
        if (warning.getStatus() == DeliveryStatus.PENDING) {
            if (clock.millis() - warning.getAsOfMillis() > maxAgeMillis) {
                warning.setStatus(DeliveryStatus.STALE);
                stale.inc();
            } else if (!sendable) {
                warning.setStatus(DeliveryStatus.SKIPPED);
            }
        }
        planned.inc();
        out.collect(warning);
        return true;
    }

    /**
     * Either a waiting warning's hour boundary (strictly inside its week), or the week's end: its
     * warning goes to nobody else.
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertRequest> out)
            throws Exception {
        long weekStart = weeks.startOf(timestamp);
        if (timestamp == weeks.endOf(timestamp) - 1) {
            warnedWeeks.remove(weekStart);
            return;
        }
        AlertRequest due = waitingWarnings.get(weekStart);
        if (due != null) {
            waitingWarnings.remove(weekStart);
            plan(due, ctx.timerService(), out);
        }
    }
}
