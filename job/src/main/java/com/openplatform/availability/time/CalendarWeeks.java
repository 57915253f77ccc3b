package com.openplatform.availability.time;

import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;

/**
 * Calendar weeks, Monday 00:00 to the next Monday 00:00, in one time zone. A week is 167 or 169
 * hours where daylight saving time starts or ends in it.
 *
 * <p>Not thread-safe: it caches the last week it computed, which nearly every event hits.
 */
public final class CalendarWeeks implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ZoneId zone;
    private transient long cachedStart = Long.MAX_VALUE;
    private transient long cachedEnd = Long.MIN_VALUE;

    public CalendarWeeks(ZoneId zone) {
        this.zone = zone;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The start (epoch ms) of the week that contains {@code timestamp}. */
    public long startOf(long timestamp) {
        if (timestamp < cachedStart || timestamp >= cachedEnd) {
            LocalDate monday = mondayOf(timestamp);
            cachedStart = startOfDay(monday);
            cachedEnd = startOfDay(monday.plusWeeks(1));
        }
        return cachedStart;
    }

    /** The end (epoch ms, exclusive) of the week that contains {@code timestamp}. */
    public long endOf(long timestamp) {
        startOf(timestamp);
        return cachedEnd;
    }

    /** The local date of the Monday of the week that contains {@code timestamp}. */
    public LocalDate mondayOf(long timestamp) {
        return Instant.ofEpochMilli(timestamp)
                .atZone(zone)
                .toLocalDate()
                .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    /** The instant {@code weeks} weeks after {@code timestamp}'s week's end, in local time. */
    public long weeksAfterEndOf(long timestamp, int weeks) {
        return startOfDay(mondayOf(timestamp).plusWeeks(1L + weeks));
    }

    /**
     * The start of the week {@code weeks} weeks before {@code timestamp}'s week, in local time: the
     * inverse of {@link #weeksAfterEndOf} with {@code weeks - 1}, so a timer set at a week's
     * release time finds its week by a lookup rather than a scan of the state.
     */
    public long startOfWeeksBefore(long timestamp, int weeks) {
        return startOfDay(mondayOf(timestamp).minusWeeks(weeks));
    }

    private long startOfDay(LocalDate day) {
        // atStartOfDay resolves zones whose clocks skip midnight to the first valid instant.
        return day.atStartOfDay(zone).toInstant().toEpochMilli();
    }
}
