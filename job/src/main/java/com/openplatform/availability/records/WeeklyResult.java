package com.openplatform.availability.records;

import java.math.BigDecimal;
import java.util.Objects;

/** A developerId's week judged against its standard (docs/reference.md §2). */
public class WeeklyResult {
    /**
     * Decimal places of the stored availability. It is rounded down, so with standards of at most
     * this many places the stored figure compares to the standard as the exact ratio does.
     */
    public static final int AVAILABILITY_SCALE = 10;

    private WeeklyCounts counts;
    private String weekStart;
    private BigDecimal availability;
    private BigDecimal standard;
    private boolean satisfied;

    public WeeklyResult() {}

    /**
     * Judges a week exactly: satisfied iff {@code valid >= standard * total}, with no rounding.
     *
     * @param weekStart the local date of the week's Monday, ISO formatted
     */
    public static WeeklyResult judge(WeeklyCounts counts, String weekStart, BigDecimal standard) {
        BigDecimal valid = BigDecimal.valueOf(counts.validCount());
        BigDecimal total = BigDecimal.valueOf(counts.getTotalCount());
        WeeklyResult result = new WeeklyResult();
        result.counts = counts;
        result.weekStart = weekStart;
        result.standard = standard;
        result.availability = BurnRules.availability(counts.getTotalCount(), counts.failedCount());
        result.satisfied = valid.compareTo(standard.multiply(total)) >= 0;
        return result;
    }

    /**
     * The same week judged against another standard. A new object, because emitted results are also
     * held in state and must not change under the sinks that received them.
     */
    public WeeklyResult withStandard(BigDecimal newStandard) {
        return judge(counts, weekStart, newStandard);
    }

    public long developerId() {
        return counts.getDeveloperId();
    }

    public WeeklyCounts getCounts() {
        return counts;
    }

    public void setCounts(WeeklyCounts counts) {
        this.counts = counts;
    }

    public String getWeekStart() {
        return weekStart;
    }

    public void setWeekStart(String weekStart) {
        this.weekStart = weekStart;
    }

    public BigDecimal getAvailability() {
        return availability;
    }

    public void setAvailability(BigDecimal availability) {
        this.availability = availability;
    }

    public BigDecimal getStandard() {
        return standard;
    }

    public void setStandard(BigDecimal standard) {
        this.standard = standard;
    }

    public boolean isSatisfied() {
        return satisfied;
    }

    public void setSatisfied(boolean satisfied) {
        this.satisfied = satisfied;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof WeeklyResult)) {
            return false;
        }
        WeeklyResult that = (WeeklyResult) o;
        return satisfied == that.satisfied
                && Objects.equals(counts, that.counts)
                && Objects.equals(weekStart, that.weekStart)
                && Objects.equals(availability, that.availability)
                && standard != null
                && that.standard != null
                && standard.compareTo(that.standard) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(counts, weekStart, satisfied);
    }

    @Override
    public String toString() {
        return "WeeklyResult{"
                + weekStart
                + ", availability="
                + availability
                + ", standard="
                + standard
                + ", satisfied="
                + satisfied
                + ", "
                + counts
                + '}';
    }
}
