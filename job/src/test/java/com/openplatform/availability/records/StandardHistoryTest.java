package com.openplatform.availability.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class StandardHistoryTest {
    private static final long DEVELOPER = 9L;
    private static final long WEEK_END = 1_000_000L;

    private final StandardHistory history = new StandardHistory();

    private static StandardUpdate update(String standard, long effectiveFrom, long version) {
        return new StandardUpdate(DEVELOPER, new BigDecimal(standard), effectiveFrom, version);
    }

    private static StandardUpdate always(String standard, long version) {
        return update(standard, StandardUpdate.BEGINNING_OF_TIME, version);
    }

    private void assertStandard(String expected, long weekEnd) {
        BigDecimal actual = history.standardFor(weekEnd);
        assertTrue(
                actual != null && actual.compareTo(new BigDecimal(expected)) == 0,
                () -> "expected " + expected + " for week end " + weekEnd + ", was " + actual);
    }

    @Test
    void noVersionsMeansNoStandard() {
        assertNull(history.standardFor(WEEK_END));
    }

    @Test
    void highestVersionWinsWhateverTheArrivalOrder() {
        history.add(always("0.99", 5));
        history.add(always("0.95", 3));

        assertStandard("0.99", WEEK_END);
    }

    @Test
    void effectiveFromMustBeStrictlyBeforeTheWeekEnd() {
        history.add(update("0.9", WEEK_END, 1));

        assertNull(history.standardFor(WEEK_END));
        assertStandard("0.9", WEEK_END + 1);
    }

    @Test
    void higherVersionNotYetEffectiveLeavesTheLowerOneForEarlierWeeks() {
        history.add(always("0.95", 1));
        history.add(update("0.99", WEEK_END, 2));

        assertStandard("0.95", WEEK_END);
        assertStandard("0.99", WEEK_END + 1);
    }

    @Test
    void equalVersionsGoToTheLaterEffectiveFrom() {
        history.add(update("0.95", 100, 4));
        history.add(update("0.99", 200, 4));

        assertStandard("0.95", 200);
        assertStandard("0.99", 201);
        assertEquals(2, history.getVersions().size());
    }

    @Test
    void versionDominatedByAHigherOneEffectiveNoLaterIsPruned() {
        history.add(update("0.95", 300, 1));
        history.add(update("0.97", 200, 2));

        assertEquals(1, history.getVersions().size());
        assertStandard("0.97", 301);
    }

    @Test
    void updateDominatedByAKnownVersionChangesNothing() {
        history.add(update("0.97", 200, 2));

        assertFalse(history.add(update("0.95", 300, 1)));
        assertFalse(history.add(update("0.95", 200, 1)));
        assertEquals(1, history.getVersions().size());
    }

    @Test
    void lowerVersionEffectiveEarlierIsKeptForTheWeeksBefore() {
        history.add(update("0.97", 200, 2));

        assertTrue(history.add(update("0.95", 100, 1)));

        assertEquals(2, history.getVersions().size());
        assertStandard("0.95", 150);
        assertStandard("0.97", 250);
    }

    @Test
    void identicalReAddReturnsFalse() {
        assertTrue(history.add(update("0.995", 100, 3)));

        assertFalse(history.add(update("0.995", 100, 3)));
        assertFalse(history.add(update("0.9950", 100, 3)));
        assertEquals(1, history.getVersions().size());
    }

    @Test
    void changedStandardAtTheSameVersionAndEffectiveFromReplacesIt() {
        history.add(update("0.995", 100, 3));

        assertTrue(history.add(update("0.99", 100, 3)));

        assertEquals(1, history.getVersions().size());
        assertStandard("0.99", 101);
    }

    @Test
    void beginningOfTimeAppliesToAnyWeek() {
        history.add(always("0.9", 0));

        assertStandard("0.9", Long.MIN_VALUE + 1);
        assertStandard("0.9", 0);
    }
}
