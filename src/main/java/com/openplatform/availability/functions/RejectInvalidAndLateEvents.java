package com.openplatform.availability.functions;

import com.openplatform.availability.records.CallbackEvent;
import com.openplatform.availability.records.CallbackRecord;
import com.openplatform.availability.records.DeadLetter;
import com.openplatform.availability.records.RejectReason;
import com.openplatform.availability.time.CalendarWeeks;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Passes on the events that can still be counted. Records the source could not parse, and events
 * whose week closed more than the allowed lateness ago, go to the dead letter with the raw payload.
 *
 * <p>It runs chained to the source, so its watermark is the source's: an event it passes is never
 * late for the week window downstream, whose watermark can only be lower.
 */
public class RejectInvalidAndLateEvents extends ProcessFunction<CallbackRecord, CallbackEvent> {
    private static final long serialVersionUID = 1L;

    private final CalendarWeeks weeks;
    private final long allowedLatenessMillis;

    private transient Counter eventsRead;
    private transient Counter eventsRejected;
    private transient Counter eventsLate;

    public RejectInvalidAndLateEvents(CalendarWeeks weeks, Duration allowedLateness) {
        this.weeks = weeks;
        this.allowedLatenessMillis = allowedLateness.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup metrics =
                getRuntimeContext().getMetricGroup().addGroup(DeadLetters.METRIC_GROUP);
        eventsRead = metrics.counter("eventsRead");
        eventsRejected = metrics.counter("eventsRejected");
        eventsLate = metrics.counter("eventsLate");
    }

    @Override
    public void processElement(CallbackRecord record, Context ctx, Collector<CallbackEvent> out) {
        eventsRead.inc();
        if (record.isRejected()) {
            eventsRejected.inc();
            ctx.output(
                    DeadLetters.TAG,
                    new DeadLetter(
                            DeadLetters.EVENTS,
                            record.getRejectReason(),
                            record.getRejectDetail(),
                            record.getRaw()));
            return;
        }
        CallbackEvent event = record.getEvent();
        long weekEnd = weeks.endOf(event.getEventTime());
        long watermark = ctx.timerService().currentWatermark();
        // The window operator's rule: late once maxTimestamp + allowedLateness <= watermark.
        if (weekEnd - 1 + allowedLatenessMillis <= watermark) {
            eventsLate.inc();
            ctx.output(
                    DeadLetters.TAG,
                    new DeadLetter(
                            DeadLetters.EVENTS,
                            RejectReason.LATE,
                            "the week of "
                                    + weeks.mondayOf(event.getEventTime())
                                    + " closed more than the allowed lateness before watermark "
                                    + watermark,
                            record.getRaw()));
            return;
        }
        out.collect(event);
    }
}
