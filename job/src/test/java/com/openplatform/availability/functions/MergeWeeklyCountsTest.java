package com.openplatform.availability.functions;

import static com.openplatform.availability.functions.FunctionTestSupport.MID_WEEK;
import static com.openplatform.availability.functions.FunctionTestSupport.counted;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.openplatform.availability.records.FailureReason;
import com.openplatform.availability.records.WeeklyCounts;
import org.junit.jupiter.api.Test;

class MergeWeeklyCountsTest {
    private final MergeWeeklyCounts merge = new MergeWeeklyCounts();

    @Test
    void partialCountsAddUpToTheWeekWithItsIdentity() {
        WeeklyCounts week = merge.createAccumulator();

        week = merge.add(counted(7, MID_WEEK, null, FailureReason.TIMEOUT), week);
        week = merge.add(counted(7, MID_WEEK, FailureReason.HTTP_ERROR), week);

        assertEquals(
                counted(7, MID_WEEK, null, FailureReason.TIMEOUT, FailureReason.HTTP_ERROR),
                merge.getResult(week));
    }

    @Test
    void resultIsACopyThatLaterPartialsDoNotChange() {
        WeeklyCounts week =
                merge.add(counted(7, MID_WEEK, (FailureReason) null), merge.createAccumulator());
        WeeklyCounts first = merge.getResult(week);

        merge.add(counted(7, MID_WEEK, FailureReason.BAD_RESPONSE), week);

        assertEquals(counted(7, MID_WEEK, (FailureReason) null), first);
        assertEquals(2, merge.getResult(week).getTotalCount());
    }

    @Test
    void mergingAccumulatorsKeepsTheIdentityOfTheNonEmptyOne() {
        WeeklyCounts full =
                merge.add(counted(7, MID_WEEK, (FailureReason) null), merge.createAccumulator());

        assertEquals(
                counted(7, MID_WEEK, (FailureReason) null),
                merge.merge(merge.createAccumulator(), full));
        assertEquals(
                counted(7, MID_WEEK, null, null),
                merge.merge(
                        full,
                        merge.add(
                                counted(7, MID_WEEK, (FailureReason) null),
                                merge.createAccumulator())));
    }
}
