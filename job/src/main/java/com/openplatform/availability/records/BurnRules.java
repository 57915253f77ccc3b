package com.openplatform.availability.records;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The in-week warning rules (docs/reference.md §10), in exact decimal arithmetic without division:
 * a window burns at rate {@code r} or more iff it has at least {@code minCallbacks} callbacks, at
 * least one failed, and {@code failed >= r * budget * total}, where the budget is {@code 1 -
 * standard} (so with a standard of 1 any failure burns).
 */
public final class BurnRules implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Decimal places of the burn rates in {@code week_to_date}, rounded down. */
    public static final int RATE_SCALE = 4;

    private final BigDecimal fastRate;
    private final BigDecimal slowRate;
    private final long minCallbacks;

    public BurnRules(BigDecimal fastRate, BigDecimal slowRate, long minCallbacks) {
        this.fastRate = fastRate;
        this.slowRate = slowRate;
        this.minCallbacks = minCallbacks;
    }

    /**
     * The first rule that holds at the week's current evaluation point {@code h} (strictly inside
     * the week), or null.
     */
    public WarningRule firstHolding(WeekToDate week, BigDecimal standard) {
        BigDecimal budget = BigDecimal.ONE.subtract(standard);
        long[] hour = week.window(1);
        if (burns(hour[0], hour[1], fastRate.multiply(budget))) {
            return WarningRule.FAST_BURN;
        }
        long[] sixHours = week.window(WeekToDate.WINDOW_HOURS);
        if (burns(sixHours[0], sixHours[1], slowRate.multiply(budget))) {
            return WarningRule.SLOW_BURN;
        }
        return budgetSpent(week, budget) ? WarningRule.BUDGET_SPENT : null;
    }

    /**
     * Whether the failures up to the evaluation point exceed the whole week's budget at the volume
     * seen so far: {@code failed * elapsed >= budget * total * week}, both lengths in milliseconds.
     */
    public boolean budgetSpent(WeekToDate week, BigDecimal budget) {
        long total = week.totalToDate();
        long failed = week.failedToDate();
        if (total < minCallbacks || failed == 0) {
            return false;
        }
        long elapsed = week.getEvaluatedTo() - week.getWeekStartMillis();
        long length = week.getWeekEndMillis() - week.getWeekStartMillis();
        return BigDecimal.valueOf(failed)
                        .multiply(BigDecimal.valueOf(elapsed))
                        .compareTo(
                                budget.multiply(BigDecimal.valueOf(total))
                                        .multiply(BigDecimal.valueOf(length)))
                >= 0;
    }

    /**
     * The first hour boundary after the week's evaluation point at which BUDGET_SPENT holds if no
     * other callback comes: {@code failed * elapsed >= budget * total * week} solved for the
     * elapsed time and rounded up to whole hours; {@link Long#MAX_VALUE} when it cannot hold.
     */
    public long budgetSpentPoint(WeekToDate week, BigDecimal budget) {
        long total = week.totalToDate();
        long failed = week.failedToDate();
        if (total < minCallbacks || failed == 0) {
            return Long.MAX_VALUE;
        }
        long start = week.getWeekStartMillis();
        long length = week.getWeekEndMillis() - start;
        long hours =
                budget.multiply(BigDecimal.valueOf(total))
                        .multiply(BigDecimal.valueOf(length))
                        .divide(
                                BigDecimal.valueOf(failed)
                                        .multiply(BigDecimal.valueOf(HourlyCounts.HOUR_MILLIS)),
                                0,
                                RoundingMode.CEILING)
                        .longValueExact();
        long nextBoundary =
                start
                        + ((week.getEvaluatedTo() - start) / HourlyCounts.HOUR_MILLIS + 1)
                                * HourlyCounts.HOUR_MILLIS;
        long at = start + hours * HourlyCounts.HOUR_MILLIS;
        return at >= week.getWeekEndMillis() ? Long.MAX_VALUE : Math.max(nextBoundary, at);
    }

    private boolean burns(long total, long failed, BigDecimal rateTimesBudget) {
        return total >= minCallbacks
                && failed > 0
                && BigDecimal.valueOf(failed)
                                .compareTo(rateTimesBudget.multiply(BigDecimal.valueOf(total)))
                        >= 0;
    }

    /**
     * The window of {@code rule} as {total, failed}: the last hour, the last six hours or the week
     * so far.
     */
    public static long[] windowOf(WarningRule rule, WeekToDate week) {
        switch (rule) {
            case FAST_BURN:
                return week.window(1);
            case SLOW_BURN:
                return week.window(WeekToDate.WINDOW_HOURS);
            default:
                return new long[] {week.totalToDate(), week.failedToDate()};
        }
    }

    /** {@code (failed / total) / budget}, rounded down; null for no callbacks or no budget. */
    public static BigDecimal burnRate(long total, long failed, BigDecimal budget) {
        if (total == 0 || budget.signum() == 0) {
            return null;
        }
        return BigDecimal.valueOf(failed)
                .divide(budget.multiply(BigDecimal.valueOf(total)), RATE_SCALE, RoundingMode.DOWN);
    }

    /** {@code valid / total} as the weekly rows round it; null for no callbacks. */
    public static BigDecimal availability(long total, long failed) {
        if (total == 0) {
            return null;
        }
        return BigDecimal.valueOf(total - failed)
                .divide(
                        BigDecimal.valueOf(total),
                        WeeklyResult.AVAILABILITY_SCALE,
                        RoundingMode.DOWN);
    }
}
