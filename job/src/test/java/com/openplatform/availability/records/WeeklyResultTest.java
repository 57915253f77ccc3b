package com.openplatform.availability.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class WeeklyResultTest {
    private static final String MONDAY = "2026-11-16";

    /** A week of {@code total} callbacks of which {@code valid} were valid. */
    static WeeklyCounts week(long valid, long total) {
        WeeklyCounts counts = new WeeklyCounts(7, 1_000L, 2_000L);
        counts.setTotalCount(total);
        counts.setHttpErrorCount(total - valid);
        return counts;
    }

    private static WeeklyResult judge(long valid, long total, String standard) {
        return WeeklyResult.judge(week(valid, total), MONDAY, new BigDecimal(standard));
    }

    @Test
    void availabilityEqualToTheStandardIsSatisfied() {
        assertTrue(judge(995, 1000, "0.995").isSatisfied());
    }

    @Test
    void availabilityOneCallBelowTheStandardIsABreach() {
        assertFalse(judge(994, 1000, "0.995").isSatisfied());
    }

    @Test
    void tieAtTenDecimalsOverTenBillionCallsIsSatisfied() {
        WeeklyResult result = judge(9_999_999_999L, 10_000_000_000L, "0.9999999999");

        assertTrue(result.isSatisfied());
        assertEquals(new BigDecimal("0.9999999999"), result.getAvailability());
    }

    @Test
    void tieThatDoubleMultiplicationWouldCallABreachIsSatisfied() {
        // 0.81 is not a double: 0.81 * 10000 in doubles is 8100.000000000001 > 8100.
        assertFalse(8100 >= 0.81 * 10000, "the premise: doubles flip this tie");

        assertTrue(judge(8100, 10000, "0.81").isSatisfied());
    }

    @Test
    void breachThatADoubleRatioWouldCallSatisfiedIsABreach() {
        long total = 10_000_000_000_000_000L;
        long valid = 9_999_999_998_999_999L; // one short of 0.9999999999 * total
        assertTrue((double) valid / total >= 0.9999999999, "the premise: doubles flip this breach");

        WeeklyResult result = judge(valid, total, "0.9999999999");

        assertFalse(result.isSatisfied());
        assertEquals(new BigDecimal("0.9999999998"), result.getAvailability());
    }

    @Test
    void availabilityIsRoundedDownToTenDecimalPlaces() {
        assertEquals(new BigDecimal("0.6666666666"), judge(2, 3, "0.5").getAvailability());
        assertEquals(new BigDecimal("0.9950000000"), judge(995, 1000, "0.5").getAvailability());
        assertEquals(new BigDecimal("1.0000000000"), judge(5, 5, "1").getAvailability());
        assertEquals(WeeklyResult.AVAILABILITY_SCALE, judge(1, 7, "0.1").getAvailability().scale());
    }

    @Test
    void roundedDownAvailabilityNeverShowsAboveTheStandardOfABreach() {
        // 0.99949999... of 2000001 calls: a breach of 0.9995, and the stored figure is below it.
        WeeklyResult result = judge(1_998_999, 2_000_001, "0.9995");

        assertFalse(result.isSatisfied());
        assertTrue(result.getAvailability().compareTo(result.getStandard()) < 0);
    }

    @Test
    void perfectWeekSatisfiesAStandardOfOne() {
        assertTrue(judge(42, 42, "1").isSatisfied());
        assertFalse(judge(41, 42, "1").isSatisfied());
    }

    @Test
    void resultCarriesTheWeekAndTheStandard() {
        WeeklyResult result = judge(1, 2, "0.5");

        assertEquals(MONDAY, result.getWeekStart());
        assertEquals(7, result.developerId());
        assertEquals(new BigDecimal("0.5"), result.getStandard());
    }

    @Test
    void withStandardIsANewResultAndLeavesTheOriginalAlone() {
        WeeklyResult original = judge(994, 1000, "0.995");

        WeeklyResult rejudged = original.withStandard(new BigDecimal("0.99"));

        assertNotSame(original, rejudged);
        assertTrue(rejudged.isSatisfied());
        assertFalse(original.isSatisfied());
        assertEquals(new BigDecimal("0.995"), original.getStandard());
        assertSame(original.getCounts(), rejudged.getCounts());
    }

    @Test
    void equalityComparesStandardsByValueNotScale() {
        assertEquals(judge(1, 2, "0.50"), judge(1, 2, "0.5"));
        assertFalse(judge(1, 2, "0.5").equals(judge(1, 2, "0.4")));
    }
}
