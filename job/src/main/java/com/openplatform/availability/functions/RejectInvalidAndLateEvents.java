package com.openplatform.availability.functions;

import com.openplatform.availability.records.CallbackEvent;
import com.openplatform.availability.records.CallbackRecord;
import com.openplatform.availability.records.DeadLetter;
import com.openplatform.availability.records.RejectReason;
import com.openplatform.availability.time.CalendarWeeks;
import java.time.Duration;
import java.util.Collections;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;

/**
 * Passes on the events that can still be counted. Records the source could not parse, and events
 * whose week closed more than the allowed lateness ago, go to the dead letter with the raw payload.
 *
 * <p>It runs chained to the source, so its watermark is the source's: an event it passes is never
 * late for the week window downstream, whose watermark can only be lower.
 *
 * <p>Sources do not checkpoint watermarks: after a restore they start from nothing while the
 * windows they feed may already have fired and been cleaned up. So this operator checkpoints the
 * watermark it had reached and keeps judging lateness against it after a restore: a replayed event
 * that was too late stays too late instead of opening a week that was already closed. Each subtask
 * gets its own floor back (after a rescale, the lowest of those it is given). It is plain list
 * state, not union state, so that bounded sources whose subtasks finish early can still be
 * checkpointed.
 *
 * <p>It also forwards that floor as soon as it runs again, and after it only higher watermarks.
 * Operators downstream hold state that waits for watermarks the source sent before the checkpoint
 * (a week's counts waiting for the standards to be read, an hour's warnings): without the floor
 * they would wait for new events, which a quiet input never brings.
 */
public class RejectInvalidAndLateEvents extends AbstractStreamOperator<CallbackEvent>
        implements OneInputStreamOperator<CallbackRecord, CallbackEvent> {
    private static final long serialVersionUID = 1L;

    private final CalendarWeeks weeks;
    private final long allowedLatenessMillis;

    private transient ListState<Long> watermarkFloorState;
    private transient long watermarkFloor;
    private transient long watermark;
    private transient long forwarded;
    private transient StreamRecord<DeadLetter> deadLetter;
    private transient Counter eventsRead;
    private transient Counter eventsRejected;
    private transient Counter eventsLate;

    public RejectInvalidAndLateEvents(CalendarWeeks weeks, Duration allowedLateness) {
        this.weeks = weeks;
        this.allowedLatenessMillis = allowedLateness.toMillis();
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        watermarkFloorState =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>("watermark-floor", Types.LONG));
        watermarkFloor = Long.MIN_VALUE;
        if (context.isRestored()) {
            long lowest = Long.MAX_VALUE;
            for (Long floor : watermarkFloorState.get()) {
                lowest = Math.min(lowest, floor);
            }
            watermarkFloor = lowest == Long.MAX_VALUE ? Long.MIN_VALUE : lowest;
        }
        watermark = watermarkFloor;
        forwarded = Long.MIN_VALUE;
    }

    @Override
    public void open() throws Exception {
        super.open();
        deadLetter = new StreamRecord<>(null);
        MetricGroup metrics = getMetricGroup().addGroup(DeadLetters.METRIC_GROUP);
        eventsRead = metrics.counter("eventsRead");
        eventsRejected = metrics.counter("eventsRejected");
        eventsLate = metrics.counter("eventsLate");
        if (watermarkFloor > Long.MIN_VALUE) {
            // From the mailbox, once every operator of the task is open.
            ProcessingTimeService time = getProcessingTimeService();
            time.registerTimer(
                    time.getCurrentProcessingTime(), now -> forward(new Watermark(watermarkFloor)));
        }
    }

    @Override
    public void processElement(StreamRecord<CallbackRecord> element) {
        eventsRead.inc();
        CallbackRecord record = element.getValue();
        if (record.isRejected()) {
            eventsRejected.inc();
            reject(
                    new DeadLetter(
                            DeadLetters.EVENTS,
                            record.getRejectReason(),
                            record.getRejectDetail(),
                            record.getRaw(),
                            record.getSize()));
            return;
        }
        CallbackEvent event = record.getEvent();
        // The window operator's rule: late once maxTimestamp + allowedLateness <= watermark.
        if (weeks.endOf(event.getEventTime()) - 1 + allowedLatenessMillis <= watermark) {
            eventsLate.inc();
            reject(
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
        output.collect(element.replace(event));
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = Math.max(watermarkFloor, mark.getTimestamp());
        forward(mark);
    }

    /** Watermarks the restarted source sends below the forwarded floor are not news downstream. */
    private void forward(Watermark mark) throws Exception {
        if (mark.getTimestamp() > forwarded) {
            forwarded = mark.getTimestamp();
            super.processWatermark(mark);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        watermarkFloorState.update(Collections.singletonList(watermark));
    }

    private void reject(DeadLetter letter) {
        output.collect(DeadLetters.TAG, deadLetter.replace(letter));
    }
}
