package com.openplatform.availability.records;

import static com.openplatform.availability.testing.TestData.SHANGHAI;
import static com.openplatform.availability.testing.TestData.at;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openplatform.availability.testing.InWeekData;
import com.openplatform.availability.time.CalendarWeeks;
import java.math.BigDecimal;
import java.time.ZoneId;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** A running week as the in-week evaluation keeps it (docs/reference.md §10). */
class WeekToDateTest {
    private static final long DEV = 100234L;
    private static final long H = HourlyCounts.HOUR_MILLIS;
    private static final long START = at(SHANGHAI, "2026-11-16T00:00");
    private static final long END = at(SHANGHAI, "2026-11-23T00:00");
    private static final BurnRules RULES =
            new BurnRules(new BigDecimal("14.4"), new BigDecimal("6"), 100);

    private static InWeekData hours() {
        return InWeekData.week(DEV, START, END);
    }

    private static WeekToDate week() {
        return new WeekToDate(DEV, START, END, START);
    }

    private static int slot(FailureReason reason) {
        return 1 + reason.ordinal();
    }

    @Test
    void passedHoursJoinTheSumsByReasonAndLaterHoursDoNot() {
        WeekToDate week = week();
        week.add(
                hours().hour(0, 10, FailureReason.TIMEOUT, 2)
                        .hour(1, 5, FailureReason.CONNECT_ERROR, 1)
                        .hour(3, 7, FailureReason.BAD_RESPONSE, 4)
                        .build());

        week.advanceTo(START + 2 * H);

        assertEquals(18, week.totalToDate());
        assertEquals(3, week.failedToDate());
        assertEquals(2, week.toDate(slot(FailureReason.TIMEOUT)));
        assertEquals(1, week.toDate(slot(FailureReason.CONNECT_ERROR)));
        assertEquals(0, week.toDate(slot(FailureReason.BAD_RESPONSE)), "hour 3 is not passed");
        assertArrayEquals(new long[] {6, 1}, week.window(1));
        assertArrayEquals(new long[] {18, 3}, week.window(WeekToDate.WINDOW_HOURS));

        week.advanceTo(START + 4 * H);

        assertEquals(29, week.totalToDate());
        assertEquals(4, week.toDate(slot(FailureReason.BAD_RESPONSE)));
        assertArrayEquals(new long[] {11, 4}, week.window(1));
    }

    @Test
    void beforeTheFirstEvaluationNothingIsCounted() {
        WeekToDate week = week();
        week.add(hours().hour(0, 10, 10).build());

        assertEquals(0, week.totalToDate());
        assertArrayEquals(new long[] {0, 0}, week.window(1));
        assertArrayEquals(new long[] {0, 0}, week.window(WeekToDate.WINDOW_HOURS));
    }

    @Test
    void windowsNeverReachBeforeTheWeekStart() {
        WeekToDate week = week();
        week.add(hours().hour(0, 10, 1).hour(1, 20, 2).build());

        week.advanceTo(START + 2 * H);

        assertArrayEquals(new long[] {33, 3}, week.window(WeekToDate.WINDOW_HOURS));
        assertArrayEquals(new long[] {22, 2}, week.window(1));
    }

    @Test
    void windowsHoldTheLastHoursBeforeTheEvaluationPoint() {
        WeekToDate week = week();
        InWeekData counts = hours();
        for (int hour = 0; hour < 20; hour++) {
            counts.hour(hour, 100, hour);
        }
        week.add(counts.build());

        week.advanceTo(START + 20 * H);

        assertArrayEquals(new long[] {6 * 100 + 14 + 15 + 16 + 17 + 18 + 19, 99}, sixHours(week));
        assertArrayEquals(new long[] {119, 19}, week.window(1));
        assertEquals(20 * 100 + 190, week.totalToDate());
        assertTrue(
                week.getSize() <= WeekToDate.WINDOW_HOURS + 1,
                "only the six hours before the evaluation point are kept one by one: "
                        + week.getSize());
    }

    private static long[] sixHours(WeekToDate week) {
        return week.window(WeekToDate.WINDOW_HOURS);
    }

    @Test
    void advancingHourByHourGivesTheSameSumsAsOneJump() {
        InWeekData counts = hours();
        for (int hour = 0; hour < 30; hour += 3) {
            counts.hour(hour, 50, FailureReason.HTTP_ERROR, hour % 7);
        }
        WeekToDate stepped = week();
        stepped.add(counts.build());
        WeekToDate jumped = week();
        jumped.add(counts.build());

        for (int h = 1; h <= 25; h++) {
            stepped.advanceTo(START + h * H);
        }
        jumped.advanceTo(START + 25 * H);

        assertEquals(stepped.totalToDate(), jumped.totalToDate());
        assertEquals(stepped.failedToDate(), jumped.failedToDate());
        assertArrayEquals(stepped.window(1), jumped.window(1));
        assertArrayEquals(sixHours(stepped), sixHours(jumped));
    }

    @Test
    void lateCountsOfAnEvaluatedHourJoinTheSumsAndTheWindowsTheyFallIn() {
        WeekToDate week = week();
        week.add(hours().hour(9, 100, 0).build());
        week.advanceTo(START + 10 * H);

        week.add(hours().hour(8, 0, 5).hour(2, 0, 7).build());
        week.advanceTo(START + 11 * H);

        assertEquals(112, week.totalToDate());
        assertEquals(12, week.failedToDate());
        assertArrayEquals(
                new long[] {105, 5}, sixHours(week), "hour 8 is within the six hours, hour 2 not");
        assertArrayEquals(new long[] {0, 0}, week.window(1));
    }

    @Test
    void weekFirstSeenMidWeekCountsThePassedHoursOnlyInItsSums() {
        long midWeek = START + 58 * H;
        WeekToDate week = new WeekToDate(DEV, START, END, midWeek);

        week.add(hours().hour(10, 0, 50).hour(57, 100, 0).build());

        assertEquals(midWeek, week.getEvaluatedTo());
        week.advanceTo(midWeek + H);
        assertEquals(150, week.totalToDate());
        assertArrayEquals(new long[] {100, 0}, sixHours(week));
    }

    @Test
    void hoursOfADaylightSavingTimeWeekRunToItsTrueEnd() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        long start = at(berlin, "2026-10-19T00:00");
        long end = new CalendarWeeks(berlin).endOf(start);
        WeekToDate week = new WeekToDate(DEV, start, end, start);
        InWeekData counts = InWeekData.week(DEV, start, end);
        for (int hour = 0; hour < 169; hour++) {
            counts.hour(hour, 1, 0);
        }
        week.add(counts.build());

        assertEquals(169, week.hourIndex(end));
        week.advanceTo(end - H);
        assertEquals(168, week.totalToDate());
        week.advanceTo(end);
        assertEquals(169, week.totalToDate(), "the 25-hour Sunday's last hour is hour 168");
    }

    @Test
    void rowCarriesTheSumsTheBurnRatesAndWhetherTheWeekIsOnTrack() {
        WeekToDate week = week();
        InWeekData counts = hours();
        for (int hour = 0; hour < 5; hour++) {
            counts.hour(hour, 1000, 0);
        }
        counts.hour(5, 970, FailureReason.TIMEOUT, 30);
        week.add(counts.build());
        week.advanceTo(START + 6 * H);

        WeekToDateRow row = WeekToDateRow.of(week, "2026-11-16", new BigDecimal("0.99"), RULES);

        assertEquals(DEV, row.getDeveloperId());
        assertEquals("2026-11-16", row.getWeekStart());
        assertEquals(START, row.getWeekStartMillis());
        assertEquals(END, row.getWeekEndMillis());
        assertEquals(START + 6 * H, row.getAsOfMillis());
        assertEquals(6000, row.getTotalCount());
        assertEquals(30, row.getFailedCount());
        assertEquals(30, row.getTimeoutCount());
        assertEquals(0, row.getHttpErrorCount());
        assertEquals(new BigDecimal("0.9950000000"), row.getAvailability());
        assertEquals(new BigDecimal("0.99"), row.getStandard());
        assertEquals(new BigDecimal("3.0000"), row.getBurnRate1h(), "3% of a 1% budget");
        assertEquals(new BigDecimal("0.5000"), row.getBurnRate6h());
        assertTrue(row.isOnTrack());
    }

    @Test
    void rowIsNoLongerOnTrackOnceTheBudgetIsSpentAndHasNoRatesForEmptyWindows() {
        WeekToDate week = week();
        week.add(hours().hour(0, 0, 1000).hour(1, 0, 1000).build());
        week.advanceTo(START + 5 * H);

        WeekToDateRow row = WeekToDateRow.of(week, "2026-11-16", new BigDecimal("0.99"), RULES);

        assertFalse(row.isOnTrack());
        assertNull(row.getBurnRate1h(), "no callbacks in the last hour");
        assertEquals(new BigDecimal("100.0000"), row.getBurnRate6h());
    }

    @Test
    void rowOfAStandardOfOneHasNoBurnRates() {
        WeekToDate week = week();
        week.add(hours().hour(0, 99, 1).build());
        week.advanceTo(START + H);

        WeekToDateRow row = WeekToDateRow.of(week, "2026-11-16", BigDecimal.ONE, RULES);

        assertNull(row.getBurnRate1h());
        assertNull(row.getBurnRate6h());
        assertFalse(row.isOnTrack(), "budget 0: any failure spends it");
    }

    @Test
    void aWeekWithCallbacksInOneHourHoldsRoomForTwoHoursNotSeven() throws Exception {
        WeekToDate week = week();
        week.add(hours().hour(0, 3, FailureReason.TIMEOUT, 1).build());

        assertEquals(2, week.getHours().length);
        assertEquals(2 * InWeekCounts.SLOTS, week.getCounts().length);
        TypeSerializer<WeekToDate> serializer =
                TypeInformation.of(WeekToDate.class).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(week, out);
        assertTrue(out.length() < 256, "serialized: " + out.length() + " bytes");
    }

    @Test
    void aWeekGrowsItsRoomForMoreHoursAndKeepsTheirCounts() {
        WeekToDate week = week();
        InWeekData data = hours();
        for (int hour = 0; hour < 5; hour++) {
            data.hour(hour, hour + 1, FailureReason.TIMEOUT, 1);
        }
        week.add(data.build());
        week.advanceTo(START + 5 * H);

        assertEquals(20, week.totalToDate());
        assertEquals(5, week.failedToDate());
        assertArrayEquals(new long[] {20, 5}, week.window(WeekToDate.WINDOW_HOURS));
    }
}
