package com.openplatform.availability.time;

import java.time.ZoneId;
import java.util.Collection;
import java.util.Collections;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Event-time windows of calendar weeks in a time zone. Unlike 7-day tumbling windows with an
 * offset, each window really runs from Monday 00:00 to Monday 00:00 local time, across DST.
 */
public final class CalendarWeekWindows extends WindowAssigner<Object, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private final CalendarWeeks weeks;

    private CalendarWeekWindows(ZoneId zone) {
        this.weeks = new CalendarWeeks(zone);
    }

    public static CalendarWeekWindows in(ZoneId zone) {
        return new CalendarWeekWindows(zone);
    }

    @Override
    public Collection<TimeWindow> assignWindows(
            Object element, long timestamp, WindowAssignerContext context) {
        long start = weeks.startOf(timestamp);
        return Collections.singletonList(new TimeWindow(start, weeks.endOf(timestamp)));
    }

    @Override
    public Trigger<Object, TimeWindow> getDefaultTrigger() {
        return EventTimeTrigger.create();
    }

    @Override
    public TypeSerializer<TimeWindow> getWindowSerializer(ExecutionConfig executionConfig) {
        return new TimeWindow.Serializer();
    }

    @Override
    public boolean isEventTime() {
        return true;
    }

    @Override
    public String toString() {
        return "CalendarWeekWindows(" + weeks.zone() + ")";
    }
}
