package com.openplatform.availability.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.openplatform.availability.time.CalendarWeeks;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class HourlyCountsTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final CalendarWeeks WEEKS = new CalendarWeeks(BERLIN);

    private static long berlin(String localDateTime, int offsetHours) {
        return LocalDateTime.parse(localDateTime)
                .atOffset(ZoneOffset.ofHours(offsetHours))
                .toInstant()
                .toEpochMilli();
    }

    private static int hoursOfWeek(long anyTime) {
        return HourlyCounts.hoursOf(WEEKS.startOf(anyTime), WEEKS.endOf(anyTime));
    }

    @Test
    void weeksHave168HoursAndDaylightSavingWeeks167Or169() {
        assertEquals(168, hoursOfWeek(berlin("2026-11-18T10:00", 1)));
        assertEquals(167, hoursOfWeek(berlin("2026-03-25T10:00", 1)), "clocks go forward");
        assertEquals(169, hoursOfWeek(berlin("2026-10-21T10:00", 2)), "clocks go back");
        assertEquals(
                168,
                HourlyCounts.hoursOf(
                        new CalendarWeeks(ZoneId.of("Asia/Shanghai")).startOf(0),
                        new CalendarWeeks(ZoneId.of("Asia/Shanghai")).endOf(0)));
    }

    @Test
    void hoursAreTheLocalHoursAcrossTheChangeOfClocks() {
        long weekStart = WEEKS.startOf(berlin("2026-10-21T10:00", 2));
        assertEquals(berlin("2026-10-19T00:00", 2), weekStart);
        // Sunday 25 October: 02:00–03:00 happens twice, first at +02:00, then at +01:00.
        int first = HourlyCounts.hourOf(weekStart, berlin("2026-10-25T02:30", 2));
        int second = HourlyCounts.hourOf(weekStart, berlin("2026-10-25T02:30", 1));
        assertEquals(6 * 24 + 2, first);
        assertEquals(first + 1, second);
        assertEquals(berlin("2026-10-25T02:00", 1), HourlyCounts.startOf(weekStart, second));
        long lastHour = berlin("2026-10-25T23:59", 1);
        assertEquals(168, HourlyCounts.hourOf(weekStart, lastHour));
        assertEquals(berlin("2026-10-25T23:00", 1), HourlyCounts.startOf(weekStart, 168));

        long springStart = WEEKS.startOf(berlin("2026-03-25T10:00", 1));
        // Sunday 29 March: 02:00 is 03:00 (+02:00); the hour after 01:00 is 03:00.
        assertEquals(6 * 24 + 2, HourlyCounts.hourOf(springStart, berlin("2026-03-29T03:10", 2)));
        assertEquals(166, HourlyCounts.hourOf(springStart, berlin("2026-03-29T23:59", 2)));
    }

    @Test
    void peakAndWorstHoursAreTheEarliestOfEqualHours() {
        long weekStart = WEEKS.startOf(berlin("2026-11-18T10:00", 1));
        HourlyCounts hours =
                new HourlyCounts(weekStart, weekStart + 168 * HourlyCounts.HOUR_MILLIS);
        hours.count(30, false);
        hours.count(30, true);
        hours.count(10, true);
        hours.count(10, false);
        hours.count(50, true);

        assertEquals(10, hours.peakHour());
        assertEquals(10, hours.worstHour());

        hours.count(50, true);

        assertEquals(10, hours.peakHour());
        assertEquals(50, hours.worstHour());
        assertEquals(2, hours.failed(50));
        assertEquals(2, hours.total(50));
    }

    @Test
    void nothingFailedHasNoWorstHourAndNothingCountedNoEncoding() {
        HourlyCounts hours = new HourlyCounts(0, 168 * HourlyCounts.HOUR_MILLIS);
        assertNull(hours.encode());
        assertEquals(-1, hours.peakHour());
        hours.count(3, false);
        assertEquals(3, hours.peakHour());
        assertEquals(-1, hours.worstHour());
    }

    @Test
    void mergedAndDecodedCountsEqualTheCountsOfEveryEvent() {
        long end = 169 * HourlyCounts.HOUR_MILLIS;
        HourlyCounts all = new HourlyCounts(0, end);
        HourlyCounts a = new HourlyCounts(0, end);
        HourlyCounts b = new HourlyCounts(0, end);
        for (int i = 0; i < 5_000; i++) {
            int hour = (i * 7919) % 169;
            boolean failed = i % 13 == 0;
            all.count(hour, failed);
            (i % 2 == 0 ? a : b).count(hour, failed);
        }
        a.add(HourlyCounts.decode(b.encode(), 0, end));

        HourlyCounts decoded = HourlyCounts.decode(a.encode(), 0, end);
        assertEquals(169, decoded.hours());
        assertEquals(all.toString(), decoded.toString());
        assertEquals(all.peakHour(), decoded.peakHour());
        assertEquals(all.worstHour(), decoded.worstHour());
    }

    @Test
    void countsOfAnotherWeekLengthDoNotMerge() {
        HourlyCounts week = new HourlyCounts(0, 168 * HourlyCounts.HOUR_MILLIS);
        HourlyCounts longer = new HourlyCounts(0, 169 * HourlyCounts.HOUR_MILLIS);
        assertThrows(IllegalArgumentException.class, () -> week.add(longer));
    }
}
