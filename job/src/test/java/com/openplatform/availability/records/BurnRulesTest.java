package com.openplatform.availability.records;

import static com.openplatform.availability.testing.TestData.SHANGHAI;
import static com.openplatform.availability.testing.TestData.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openplatform.availability.testing.InWeekData;
import com.openplatform.availability.time.CalendarWeeks;
import java.math.BigDecimal;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The burn-rate rules of the in-week warning (docs/reference.md §10). */
class BurnRulesTest {
    private static final long DEV = 100234L;
    private static final long H = HourlyCounts.HOUR_MILLIS;
    private static final long START = at(SHANGHAI, "2026-11-16T00:00");
    private static final long END = at(SHANGHAI, "2026-11-23T00:00");

    /** Budget 0.01. */
    private static final BigDecimal STANDARD = new BigDecimal("0.99");

    /** The defaults: 14.4, 6, 100 callbacks. */
    private static final BurnRules RULES = rules("14.4", "6", 100);

    /** A rate no window reaches: the rule is off. */
    private static final String OFF = "1000000";

    private static BurnRules rules(String fast, String slow, long minCallbacks) {
        return new BurnRules(new BigDecimal(fast), new BigDecimal(slow), minCallbacks);
    }

    private static WeekToDate week(long start, long end, InWeekData counts) {
        WeekToDate week = new WeekToDate(DEV, start, end, start);
        week.add(counts.build());
        return week;
    }

    private static WeekToDate week(InWeekData counts) {
        return week(START, END, counts);
    }

    private static InWeekData hours() {
        return InWeekData.week(DEV, START, END);
    }

    /** The rule that holds at hour boundary {@code hour} of the week. */
    private static WarningRule ruleAt(
            WeekToDate week, int hour, BurnRules rules, BigDecimal standard) {
        week.advanceTo(week.getWeekStartMillis() + hour * H);
        return rules.firstHolding(week, standard);
    }

    private static WarningRule ruleAt(WeekToDate week, int hour) {
        return ruleAt(week, hour, RULES, STANDARD);
    }

    /**
     * Evaluates every hour boundary from 1 on as the job does and returns the first at which a rule
     * holds, as "h:RULE", or "none" up to {@code lastHour}.
     */
    private static String firstWarning(WeekToDate week, int lastHour, BurnRules rules) {
        for (int h = 1; h <= lastHour; h++) {
            WarningRule rule = ruleAt(week, h, rules, STANDARD);
            if (rule != null) {
                return h + ":" + rule;
            }
        }
        return "none";
    }

    @Test
    void fastBurnHoldsForABurstInTheLastHourAlone() {
        InWeekData counts = hours();
        for (int hour = 0; hour < 9; hour++) {
            counts.hour(hour, 1000, 0);
        }
        counts.hour(9, 800, 200);

        assertEquals("10:FAST_BURN", firstWarning(week(counts), 10, RULES));
    }

    @Test
    void fastBurnLooksAtTheLastHourOnly() {
        InWeekData counts = hours();
        for (int hour = 0; hour < 9; hour++) {
            counts.hour(hour, 1000, 0);
        }
        counts.hour(9, 800, 200).hour(10, 1000, 0);
        WeekToDate week = week(counts);

        assertEquals(WarningRule.FAST_BURN, ruleAt(week, 10));
        assertNull(
                ruleAt(week, 11),
                "an hour later the burst is outside the last hour, and 200/6000 is below the slow"
                        + " rate");
    }

    @Test
    void slowBurnHoldsOverSixHoursWithoutAnyHourBurningFast() {
        InWeekData counts = hours();
        for (int hour = 0; hour < 6; hour++) {
            counts.hour(hour, 1000, 0);
        }
        for (int hour = 6; hour < 12; hour++) {
            counts.hour(hour, 900, 100);
        }

        assertEquals(
                "10:SLOW_BURN",
                firstWarning(week(counts), 12, RULES),
                "10% an hour never burns fast; the six hours before 10:00 hold 400 failures of"
                        + " 6000 (6.7%), those before 09:00 300 (5%)");
    }

    @Test
    void slowBurnWindowIsTheLastSixHours() {
        InWeekData counts = hours().hour(0, 600, 400);
        for (int hour = 1; hour < 7; hour++) {
            counts.hour(hour, 1000, 0);
        }
        WeekToDate week = week(counts);
        week.advanceTo(START + 6 * H);

        assertEquals(WarningRule.SLOW_BURN, RULES.firstHolding(week, STANDARD));
        assertNull(ruleAt(week, 7), "hour 0 has left the six hours");
    }

    @Test
    void budgetSpentHoldsFirstWhereTheFailuresSoFarExceedTheWeeksBudget() {
        InWeekData counts = hours();
        for (int hour = 0; hour < 60; hour++) {
            counts.hour(hour, 970, 30);
        }

        // 3% never burns fast (14.4%) or slow (6%); the budget of the week (1% of 168 h) is
        // spent once 3% × elapsed ≥ 1% × 168 h: 1680 × 56 = 0.01 × 56000 × 168 exactly.
        assertEquals("56:BUDGET_SPENT", firstWarning(week(counts), 60, RULES));
    }

    @Test
    void fastBurnWinsWhenAllThreeRulesHold() {
        WeekToDate week = week(hours().hour(0, 0, 1000).hour(1, 0, 1000));
        week.advanceTo(START + 2 * H);
        BigDecimal budget = BigDecimal.ONE.subtract(STANDARD);

        assertTrue(RULES.budgetSpent(week, budget));
        assertEquals(WarningRule.FAST_BURN, RULES.firstHolding(week, STANDARD));
    }

    @Test
    void slowBurnWinsOverBudgetSpentWhenTheLastHourDoesNotBurnFast() {
        WeekToDate week = week(hours().hour(0, 0, 1000).hour(1, 0, 1000).hour(2, 1000, 0));
        week.advanceTo(START + 3 * H);
        BigDecimal budget = BigDecimal.ONE.subtract(STANDARD);

        assertTrue(RULES.budgetSpent(week, budget));
        assertEquals(WarningRule.SLOW_BURN, RULES.firstHolding(week, STANDARD));
    }

    @Test
    void windowWithFewerCallbacksThanTheMinimumNeverBurns() {
        WeekToDate week = week(hours().hour(0, 0, 99));

        assertNull(ruleAt(week, 1));
        assertNull(ruleAt(week, 2), "99 failures of 99 would have spent the budget by now");
    }

    @Test
    void windowWithTheMinimumOfCallbacksBurns() {
        assertEquals(WarningRule.FAST_BURN, ruleAt(week(hours().hour(0, 0, 100)), 1));
    }

    @Test
    void minimumAppliesToEachWindowsOwnCallbacks() {
        WeekToDate week = week(hours().hour(0, 1000, 0).hour(1, 0, 99));

        assertEquals(
                WarningRule.SLOW_BURN,
                ruleAt(week, 2),
                "the last hour has only 99 callbacks; the six hours 1099, 9% failed");
    }

    @Test
    void withAStandardOfOneAnyFailureBurns() {
        BigDecimal one = BigDecimal.ONE;

        assertEquals(WarningRule.FAST_BURN, ruleAt(week(hours().hour(0, 999, 1)), 1, RULES, one));
        assertEquals(
                WarningRule.SLOW_BURN,
                ruleAt(week(hours().hour(0, 999, 1).hour(1, 1000, 0)), 2, RULES, one));
        InWeekData counts = hours().hour(0, 999, 1);
        for (int hour = 1; hour < 8; hour++) {
            counts.hour(hour, 1000, 0);
        }
        assertEquals(WarningRule.BUDGET_SPENT, ruleAt(week(counts), 8, RULES, one));
        assertNull(ruleAt(week(hours().hour(0, 1000, 0)), 1, RULES, one), "no failure, no burn");
    }

    @Test
    void withAStandardOfOneBurnRatesAreNull() {
        assertNull(BurnRules.burnRate(1000, 1, BigDecimal.ZERO));
        assertNull(BurnRules.burnRate(1000, 0, BigDecimal.ZERO));
    }

    @Test
    void fastBurnBoundaryIsExactInDecimal() {
        BurnRules fastOnly = rules("14.4", OFF, 100);

        // 14.4 × (1 − 0.99) × 1000 is 144 exactly (in doubles 144.0000000000001).
        assertEquals(
                WarningRule.FAST_BURN,
                ruleAt(week(hours().hour(0, 856, 144)), 1, fastOnly, STANDARD));
        assertNull(ruleAt(week(hours().hour(0, 857, 143)), 1, fastOnly, STANDARD));
        // 14.4 × 0.01 × 1001 = 144.144: 145 failures burn, 144 do not.
        assertEquals(
                WarningRule.FAST_BURN,
                ruleAt(week(hours().hour(0, 856, 145)), 1, fastOnly, STANDARD));
        assertNull(ruleAt(week(hours().hour(0, 857, 144)), 1, fastOnly, STANDARD));
    }

    @Test
    void slowBurnBoundaryIsExactInDecimal() {
        BurnRules slowOnly = rules(OFF, "6", 100);
        InWeekData burning = hours();
        InWeekData justBelow = hours();
        for (int hour = 0; hour < 5; hour++) {
            burning.hour(hour, 1000, 0);
            justBelow.hour(hour, 1000, 0);
        }
        burning.hour(5, 640, 360);
        justBelow.hour(5, 641, 359);

        // 6 × 0.01 × 6000 = 360 (in doubles 360.00000000000034).
        assertEquals(WarningRule.SLOW_BURN, ruleAt(week(burning), 6, slowOnly, STANDARD));
        assertNull(ruleAt(week(justBelow), 6, slowOnly, STANDARD));
    }

    @Test
    void budgetSpentBoundaryIsExact() {
        BigDecimal budget = BigDecimal.ONE.subtract(STANDARD);
        InWeekData counts = hours();
        for (int hour = 0; hour < 56; hour++) {
            counts.hour(hour, 970, 30);
        }
        WeekToDate week = week(counts);

        week.advanceTo(START + 55 * H);
        assertFalse(RULES.budgetSpent(week, budget), "1650 × 55 < 0.01 × 55000 × 168");
        week.advanceTo(START + 56 * H);
        assertTrue(RULES.budgetSpent(week, budget), "1680 × 56 = 0.01 × 56000 × 168");
    }

    @Test
    void windowsAtTheStartOfTheWeekCoverOnlyTheHoursSinceTheStart() {
        WeekToDate week = week(hours().hour(0, 930, 70).hour(1, 930, 70));
        week.advanceTo(START + 2 * H);

        assertEquals(2000, week.window(WeekToDate.WINDOW_HOURS)[0]);
        assertEquals(
                WarningRule.SLOW_BURN,
                RULES.firstHolding(week, STANDARD),
                "140 failures of the 2000 callbacks since the start: 7%");
    }

    @Test
    void budgetSpentUsesTheTrueLengthOfAWeekThatEndsDaylightSavingTime() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        CalendarWeeks weeks = new CalendarWeeks(berlin);
        long start = at(berlin, "2026-10-19T00:00");
        long end = weeks.endOf(start);
        assertEquals(169 * H, end - start, "the last Sunday of October has 25 hours");
        BurnRules budgetOnly = rules(OFF, OFF, 1);

        // 10 h of 1000 callbacks: spent once failed × 10 ≥ 0.01 × 10000 × 169, i.e. 1690.
        assertEquals(
                WarningRule.BUDGET_SPENT,
                ruleAt(week(start, end, tenHours(start, end, 1690)), 10, budgetOnly, STANDARD));
        assertNull(
                ruleAt(week(start, end, tenHours(start, end, 1689)), 10, budgetOnly, STANDARD),
                "1689 would spend the budget of a 168-hour week");
    }

    @Test
    void budgetSpentUsesTheTrueLengthOfAWeekThatStartsDaylightSavingTime() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        CalendarWeeks weeks = new CalendarWeeks(berlin);
        long start = at(berlin, "2026-03-23T00:00");
        long end = weeks.endOf(start);
        assertEquals(167 * H, end - start, "the last Sunday of March has 23 hours");
        BurnRules budgetOnly = rules(OFF, OFF, 1);

        assertEquals(
                WarningRule.BUDGET_SPENT,
                ruleAt(week(start, end, tenHours(start, end, 1670)), 10, budgetOnly, STANDARD),
                "1670 would not spend the budget of a 168-hour week");
        assertNull(ruleAt(week(start, end, tenHours(start, end, 1669)), 10, budgetOnly, STANDARD));
    }

    /** Ten hours of 1000 callbacks each with {@code failed} failures in all. */
    private static InWeekData tenHours(long start, long end, long failed) {
        InWeekData counts = InWeekData.week(DEV, start, end);
        for (int hour = 0; hour < 10; hour++) {
            long inHour = failed / 10 + (hour < failed % 10 ? 1 : 0);
            counts.hour(hour, 1000 - inHour, inHour);
        }
        return counts;
    }

    @Test
    void lateCountsOfAnEvaluatedHourCountFromTheNextEvaluationOn() {
        InWeekData counts = hours();
        for (int hour = 0; hour < 6; hour++) {
            counts.hour(hour, 1000, 0);
        }
        WeekToDate week = week(counts);
        assertNull(ruleAt(week, 5));
        assertEquals(5000, week.totalToDate());

        week.add(hours().hour(2, 0, 500).build());

        assertEquals(
                WarningRule.SLOW_BURN,
                ruleAt(week, 6),
                "500 late failures of hour 2 among the 6500 callbacks of hours 0–5");
        assertEquals(6500, week.totalToDate());
        assertEquals(500, week.failedToDate());
        assertEquals(0, week.window(1)[1], "the last hour is hour 5");
    }

    @Test
    void burnRatesAreRoundedDownToFourDecimals() {
        BigDecimal budget = new BigDecimal("0.01");

        assertEquals(new BigDecimal("66.6666"), BurnRules.burnRate(3, 2, budget));
        assertEquals(new BigDecimal("33.3333"), BurnRules.burnRate(3, 1, budget));
        assertEquals(new BigDecimal("14.4000"), BurnRules.burnRate(1000, 144, budget));
        assertEquals(new BigDecimal("0.0000"), BurnRules.burnRate(1000, 0, budget));
        assertEquals(
                new BigDecimal("0.0001"),
                BurnRules.burnRate(1_000_000, 1, new BigDecimal("0.0099")));
        assertNull(BurnRules.burnRate(0, 0, budget), "an empty window has no rate");
    }

    @Test
    void availabilityIsRoundedDownLikeTheWeeklyRows() {
        assertEquals(new BigDecimal("0.6666666666"), BurnRules.availability(3, 1));
        assertEquals(new BigDecimal("1.0000000000"), BurnRules.availability(7, 0));
        assertNull(BurnRules.availability(0, 0));
    }
}
