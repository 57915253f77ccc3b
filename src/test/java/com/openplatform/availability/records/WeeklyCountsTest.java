package com.openplatform.availability.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class WeeklyCountsTest {
    private static final String PUSH = "order.push";
    private static final String CANCEL = "order.cancel";

    private static WeeklyCounts week() {
        return new WeeklyCounts(7, 1_000L, 2_000L);
    }

    private static void count(WeeklyCounts counts, String type, FailureReason reason, int times) {
        for (int i = 0; i < times; i++) {
            counts.count(type, reason);
        }
    }

    @Test
    void countAddsToTheTotalTheReasonAndTheType() {
        WeeklyCounts counts = week();

        count(counts, PUSH, null, 3);
        count(counts, PUSH, FailureReason.TIMEOUT, 2);
        count(counts, CANCEL, FailureReason.CONNECT_ERROR, 1);
        count(counts, CANCEL, FailureReason.HTTP_ERROR, 1);
        count(counts, CANCEL, FailureReason.BAD_RESPONSE, 1);

        assertEquals(8, counts.getTotalCount());
        assertEquals(5, counts.failedCount());
        assertEquals(3, counts.validCount());
        assertEquals(1, counts.getConnectErrorCount());
        assertEquals(2, counts.getTimeoutCount());
        assertEquals(1, counts.getHttpErrorCount());
        assertEquals(1, counts.getBadResponseCount());
        assertEquals(2, counts.failures(FailureReason.TIMEOUT));
        assertEquals(
                List.of(new CallbackTypeCount(CANCEL, 3, 3), new CallbackTypeCount(PUSH, 5, 2)),
                counts.sortedCallbackTypes());
    }

    @Test
    void mergeAddsEveryCountAndMatchesTypesByName() {
        WeeklyCounts a = week();
        count(a, PUSH, null, 2);
        count(a, PUSH, FailureReason.HTTP_ERROR, 1);
        WeeklyCounts b = week();
        count(b, CANCEL, FailureReason.TIMEOUT, 4);
        count(b, PUSH, FailureReason.BAD_RESPONSE, 1);

        a.merge(b);

        WeeklyCounts expected = week();
        count(expected, PUSH, null, 2);
        count(expected, PUSH, FailureReason.HTTP_ERROR, 1);
        count(expected, CANCEL, FailureReason.TIMEOUT, 4);
        count(expected, PUSH, FailureReason.BAD_RESPONSE, 1);
        assertEquals(expected, a);
        assertEquals(8, a.getTotalCount());
        assertEquals(new CallbackTypeCount(PUSH, 4, 2), a.sortedCallbackTypes().get(1));
    }

    @Test
    void equalCountsCompareEqualWhateverTheTypeOrder() {
        WeeklyCounts a = week();
        count(a, PUSH, null, 1);
        count(a, CANCEL, null, 1);
        WeeklyCounts b = week();
        count(b, CANCEL, null, 1);
        count(b, PUSH, null, 1);

        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
    }

    @Test
    void mainFailureReasonIsTheMostFrequentOne() {
        WeeklyCounts counts = week();
        count(counts, PUSH, FailureReason.CONNECT_ERROR, 1);
        count(counts, PUSH, FailureReason.BAD_RESPONSE, 3);
        count(counts, PUSH, FailureReason.HTTP_ERROR, 2);

        assertEquals(FailureReason.BAD_RESPONSE, counts.mainFailureReason());
    }

    @Test
    void mainFailureReasonTiesGoToTheEarlierReason() {
        WeeklyCounts counts = week();
        count(counts, PUSH, FailureReason.BAD_RESPONSE, 2);
        count(counts, PUSH, FailureReason.HTTP_ERROR, 2);
        count(counts, PUSH, FailureReason.TIMEOUT, 1);

        assertEquals(FailureReason.HTTP_ERROR, counts.mainFailureReason());

        count(counts, PUSH, FailureReason.TIMEOUT, 1);

        assertEquals(FailureReason.TIMEOUT, counts.mainFailureReason());
    }

    @Test
    void noFailuresMeansNoMainFailureReason() {
        WeeklyCounts counts = week();
        count(counts, PUSH, null, 10);

        assertNull(counts.mainFailureReason());
        assertNull(week().mainFailureReason());
    }
}
