package com.openplatform.availability.testing;

import com.openplatform.availability.records.FailureReason;
import com.openplatform.availability.records.InWeekCounts;

/** Hourly counts of one developerId's week as the pre-aggregator feeds the in-week evaluation. */
public final class InWeekData {
    private final InWeekCounts counts;

    private InWeekData(long developerId, long weekStart, long weekEnd) {
        counts = new InWeekCounts(developerId, weekStart, weekEnd);
    }

    public static InWeekData week(long developerId, long weekStart, long weekEnd) {
        return new InWeekData(developerId, weekStart, weekEnd);
    }

    /** {@code valid} good callbacks and {@code failed} HTTP errors in hour {@code hour}. */
    public InWeekData hour(int hour, long valid, long failed) {
        return hour(hour, valid, FailureReason.HTTP_ERROR, failed);
    }

    /** {@code valid} good callbacks and {@code failed} failures of {@code reason}. */
    public InWeekData hour(int hour, long valid, FailureReason reason, long failed) {
        for (long i = 0; i < valid; i++) {
            counts.count(hour, null);
        }
        for (long i = 0; i < failed; i++) {
            counts.count(hour, reason);
        }
        return this;
    }

    public InWeekCounts build() {
        return counts;
    }
}
