package com.openplatform.availability.time;

import static com.openplatform.availability.testing.TestData.SHANGHAI;
import static com.openplatform.availability.testing.TestData.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class CalendarWeeksTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static long hours(long millis) {
        return Duration.ofMillis(millis).toHours();
    }

    /** The length in hours of the week in {@code zone} that contains the local time. */
    private static long weekHours(ZoneId zone, String localDateTime) {
        CalendarWeeks weeks = new CalendarWeeks(zone);
        long t = at(zone, localDateTime);
        return hours(weeks.endOf(t) - weeks.startOf(t));
    }

    @Test
    void mondayMidnightStartsTheWeekAndOneMillisecondEarlierIsThePreviousWeek() {
        CalendarWeeks weeks = new CalendarWeeks(SHANGHAI);
        long monday = at(SHANGHAI, "2026-11-16T00:00");

        assertEquals(monday, weeks.startOf(monday));
        assertEquals(LocalDate.parse("2026-11-16"), weeks.mondayOf(monday));
        assertEquals(monday, weeks.endOf(monday - 1));
        assertEquals(at(SHANGHAI, "2026-11-09T00:00"), weeks.startOf(monday - 1));
        assertEquals(LocalDate.parse("2026-11-09"), weeks.mondayOf(monday - 1));
    }

    @Test
    void sundayJustBeforeMidnightIsStillTheWeekThatStartedOnMonday() {
        CalendarWeeks weeks = new CalendarWeeks(SHANGHAI);

        long sunday = at(SHANGHAI, "2026-11-22T23:59:59.999");

        assertEquals(at(SHANGHAI, "2026-11-16T00:00"), weeks.startOf(sunday));
        assertEquals(at(SHANGHAI, "2026-11-23T00:00"), weeks.endOf(sunday));
    }

    @Test
    void weeksAreLocalNotUtc() {
        CalendarWeeks weeks = new CalendarWeeks(SHANGHAI);
        // Monday 01:00 in Shanghai is Sunday 17:00 UTC: already the new week.
        long mondayOneAm = at(SHANGHAI, "2026-11-16T01:00");

        assertEquals(at(SHANGHAI, "2026-11-16T00:00"), weeks.startOf(mondayOneAm));
        assertEquals(at(ZoneId.of("UTC"), "2026-11-15T16:00"), weeks.startOf(mondayOneAm));
    }

    @Test
    void shanghaiWeekIsExactly168Hours() {
        assertEquals(168, weekHours(SHANGHAI, "2026-10-21T12:00"));
        assertEquals(168, weekHours(SHANGHAI, "2026-03-25T12:00"));
        assertEquals(
                Duration.ofDays(7).toMillis(),
                new CalendarWeeks(SHANGHAI).endOf(0) - new CalendarWeeks(SHANGHAI).startOf(0));
    }

    @Test
    void berlinWeekWhenSummerTimeEndsIs169Hours() {
        assertEquals(169, weekHours(BERLIN, "2026-10-19T00:00"));
        assertEquals(169, weekHours(BERLIN, "2026-10-25T23:00"));
        assertEquals(168, weekHours(BERLIN, "2026-10-26T00:00"));
    }

    @Test
    void berlinWeekWhenSummerTimeStartsIs167Hours() {
        assertEquals(167, weekHours(BERLIN, "2026-03-29T12:00"));
        assertEquals(168, weekHours(BERLIN, "2026-03-22T12:00"));
    }

    @Test
    void berlinWeeksStartAtLocalMidnightOnBothSidesOfTheChange() {
        CalendarWeeks weeks = new CalendarWeeks(BERLIN);
        long t = at(BERLIN, "2026-10-25T02:30");

        assertEquals(at(BERLIN, "2026-10-19T00:00"), weeks.startOf(t));
        assertEquals(at(BERLIN, "2026-10-26T00:00"), weeks.endOf(t));
    }

    @Test
    void newYorkWeeksAroundItsDaylightSavingChanges() {
        assertEquals(167, weekHours(NEW_YORK, "2026-03-08T12:00"));
        assertEquals(169, weekHours(NEW_YORK, "2026-11-01T12:00"));
        assertEquals(168, weekHours(NEW_YORK, "2026-11-02T00:00"));
    }

    @Test
    void bothNewYorkOccurrencesOfTheRepeatedHourBelongToTheSameWeek() {
        CalendarWeeks weeks = new CalendarWeeks(NEW_YORK);
        long firstOneThirty = at(NEW_YORK, "2026-11-01T01:30"); // EDT, the earlier offset
        long secondOneThirty = firstOneThirty + Duration.ofHours(1).toMillis(); // EST

        assertEquals(weeks.startOf(firstOneThirty), weeks.startOf(secondOneThirty));
        assertEquals(at(NEW_YORK, "2026-10-26T00:00"), weeks.startOf(secondOneThirty));
        assertEquals(at(NEW_YORK, "2026-11-02T00:00"), weeks.endOf(secondOneThirty));
    }

    @Test
    void answersStayRightWhenQueriesJumpBetweenWeeks() {
        CalendarWeeks weeks = new CalendarWeeks(SHANGHAI);
        long thisWeek = at(SHANGHAI, "2026-11-18T10:00");
        long lastWeek = at(SHANGHAI, "2026-11-11T10:00");

        assertEquals(at(SHANGHAI, "2026-11-16T00:00"), weeks.startOf(thisWeek));
        assertEquals(at(SHANGHAI, "2026-11-09T00:00"), weeks.startOf(lastWeek));
        assertEquals(at(SHANGHAI, "2026-11-23T00:00"), weeks.endOf(thisWeek));
        assertEquals(at(SHANGHAI, "2026-11-16T00:00"), weeks.endOf(lastWeek));
    }

    @Test
    void weeksAfterEndCountsLocalWeeksAcrossDaylightSaving() {
        CalendarWeeks weeks = new CalendarWeeks(BERLIN);
        long t = at(BERLIN, "2026-10-14T09:00");

        assertEquals(at(BERLIN, "2026-10-19T00:00"), weeks.weeksAfterEndOf(t, 0));
        assertEquals(at(BERLIN, "2026-12-14T00:00"), weeks.weeksAfterEndOf(t, 8));
    }

    @Test
    void startOfWeeksBeforeUndoesWeeksAfterEndAcrossDaylightSaving() {
        CalendarWeeks weeks = new CalendarWeeks(BERLIN);
        long octoberWeek = at(BERLIN, "2026-10-12T00:00");
        long marchWeek = at(BERLIN, "2026-03-23T00:00");

        assertEquals(
                octoberWeek, weeks.startOfWeeksBefore(weeks.weeksAfterEndOf(octoberWeek, 8), 9));
        assertEquals(marchWeek, weeks.startOfWeeksBefore(weeks.weeksAfterEndOf(marchWeek, 0), 1));
        assertEquals(
                at(BERLIN, "2026-10-19T00:00"),
                weeks.startOfWeeksBefore(at(BERLIN, "2026-11-01T23:00"), 1));
    }

    @Test
    void worksAfterJavaSerializationAsInAFlinkFunction() throws Exception {
        CalendarWeeks original = new CalendarWeeks(SHANGHAI);
        original.startOf(at(SHANGHAI, "2026-11-18T10:00"));

        CalendarWeeks copy = InstantiationUtil.clone(original);

        long t = at(SHANGHAI, "2026-11-11T10:00");
        assertEquals(at(SHANGHAI, "2026-11-09T00:00"), copy.startOf(t));
        assertEquals(at(SHANGHAI, "2026-11-16T00:00"), copy.endOf(t));
    }

    @Test
    void windowAssignerPutsAnEventIntoItsOneCalendarWeek() {
        CalendarWeekWindows windows = CalendarWeekWindows.in(BERLIN);
        long t = at(BERLIN, "2026-10-25T12:00");

        Collection<TimeWindow> assigned = windows.assignWindows("event", t, null);

        TimeWindow week =
                new TimeWindow(at(BERLIN, "2026-10-19T00:00"), at(BERLIN, "2026-10-26T00:00"));
        assertEquals(List.of(week), List.copyOf(assigned));
        assertEquals(169, hours(week.getEnd() - week.getStart()));
    }

    @Test
    void windowAssignerSplitsAtMondayMidnight() {
        CalendarWeekWindows windows = CalendarWeekWindows.in(SHANGHAI);
        long monday = at(SHANGHAI, "2026-11-16T00:00");

        TimeWindow before = windows.assignWindows("e", monday - 1, null).iterator().next();
        TimeWindow after = windows.assignWindows("e", monday, null).iterator().next();

        assertEquals(monday, before.getEnd());
        assertEquals(monday - 1, before.maxTimestamp());
        assertEquals(monday, after.getStart());
    }

    @Test
    void windowAssignerIsEventTimeWithTheEventTimeTrigger() {
        CalendarWeekWindows windows = CalendarWeekWindows.in(SHANGHAI);

        assertTrue(windows.isEventTime());
        assertTrue(windows.getDefaultTrigger() instanceof EventTimeTrigger);
        assertTrue(windows.toString().contains("Asia/Shanghai"));
    }
}
