package com.openplatform.availability.records;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A row of {@code week_to_date} (docs/reference.md §10): a developerId's running week as of an hour
 * boundary {@code h}: the callbacks of {@code [week start, h)}, the burn rates of the hour and the
 * six hours before {@code h}, and whether the week is still on track.
 */
public class WeekToDateRow {
    private long developerId;
    private String weekStart;
    private long weekStartMillis;
    private long weekEndMillis;
    private long asOfMillis;
    private long totalCount;
    private long failedCount;
    private long connectErrorCount;
    private long timeoutCount;
    private long httpErrorCount;
    private long badResponseCount;
    private BigDecimal availability;
    private BigDecimal standard;
    private BigDecimal burnRate1h;
    private BigDecimal burnRate6h;
    private boolean onTrack;

    public WeekToDateRow() {}

    /** The row of {@code week}, at its evaluation point, judged against {@code standard}. */
    public static WeekToDateRow of(
            WeekToDate week, String weekStart, BigDecimal standard, BurnRules rules) {
        WeekToDateRow row = new WeekToDateRow();
        row.developerId = week.getDeveloperId();
        row.weekStart = weekStart;
        row.weekStartMillis = week.getWeekStartMillis();
        row.weekEndMillis = week.getWeekEndMillis();
        row.asOfMillis = week.getEvaluatedTo();
        row.totalCount = week.totalToDate();
        row.failedCount = week.failedToDate();
        row.connectErrorCount = week.toDate(1 + FailureReason.CONNECT_ERROR.ordinal());
        row.timeoutCount = week.toDate(1 + FailureReason.TIMEOUT.ordinal());
        row.httpErrorCount = week.toDate(1 + FailureReason.HTTP_ERROR.ordinal());
        row.badResponseCount = week.toDate(1 + FailureReason.BAD_RESPONSE.ordinal());
        row.availability = BurnRules.availability(row.totalCount, row.failedCount);
        row.standard = standard;
        BigDecimal budget = BigDecimal.ONE.subtract(standard);
        long[] hour = week.window(1);
        row.burnRate1h = BurnRules.burnRate(hour[0], hour[1], budget);
        long[] sixHours = week.window(WeekToDate.WINDOW_HOURS);
        row.burnRate6h = BurnRules.burnRate(sixHours[0], sixHours[1], budget);
        row.onTrack = !week.isBudgetSpent() && !rules.budgetSpent(week, budget);
        return row;
    }

    /** The developerId. */
    public long getDeveloperId() {
        return developerId;
    }

    public void setDeveloperId(long developerId) {
        this.developerId = developerId;
    }

    /** The local date of the week's Monday, ISO. */
    public String getWeekStart() {
        return weekStart;
    }

    public void setWeekStart(String weekStart) {
        this.weekStart = weekStart;
    }

    public long getWeekStartMillis() {
        return weekStartMillis;
    }

    public void setWeekStartMillis(long weekStartMillis) {
        this.weekStartMillis = weekStartMillis;
    }

    public long getWeekEndMillis() {
        return weekEndMillis;
    }

    public void setWeekEndMillis(long weekEndMillis) {
        this.weekEndMillis = weekEndMillis;
    }

    /** The evaluation point h (epoch ms). */
    public long getAsOfMillis() {
        return asOfMillis;
    }

    public void setAsOfMillis(long asOfMillis) {
        this.asOfMillis = asOfMillis;
    }

    public long getTotalCount() {
        return totalCount;
    }

    public void setTotalCount(long totalCount) {
        this.totalCount = totalCount;
    }

    public long getFailedCount() {
        return failedCount;
    }

    public void setFailedCount(long failedCount) {
        this.failedCount = failedCount;
    }

    public long getConnectErrorCount() {
        return connectErrorCount;
    }

    public void setConnectErrorCount(long connectErrorCount) {
        this.connectErrorCount = connectErrorCount;
    }

    public long getTimeoutCount() {
        return timeoutCount;
    }

    public void setTimeoutCount(long timeoutCount) {
        this.timeoutCount = timeoutCount;
    }

    public long getHttpErrorCount() {
        return httpErrorCount;
    }

    public void setHttpErrorCount(long httpErrorCount) {
        this.httpErrorCount = httpErrorCount;
    }

    public long getBadResponseCount() {
        return badResponseCount;
    }

    public void setBadResponseCount(long badResponseCount) {
        this.badResponseCount = badResponseCount;
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

    /** Null when the window is empty or the budget is 0. */
    public BigDecimal getBurnRate1h() {
        return burnRate1h;
    }

    public void setBurnRate1h(BigDecimal burnRate1h) {
        this.burnRate1h = burnRate1h;
    }

    public BigDecimal getBurnRate6h() {
        return burnRate6h;
    }

    public void setBurnRate6h(BigDecimal burnRate6h) {
        this.burnRate6h = burnRate6h;
    }

    public boolean isOnTrack() {
        return onTrack;
    }

    public void setOnTrack(boolean onTrack) {
        this.onTrack = onTrack;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof WeekToDateRow)) {
            return false;
        }
        WeekToDateRow that = (WeekToDateRow) o;
        return developerId == that.developerId
                && Objects.equals(weekStart, that.weekStart)
                && weekStartMillis == that.weekStartMillis
                && weekEndMillis == that.weekEndMillis
                && asOfMillis == that.asOfMillis
                && totalCount == that.totalCount
                && failedCount == that.failedCount
                && connectErrorCount == that.connectErrorCount
                && timeoutCount == that.timeoutCount
                && httpErrorCount == that.httpErrorCount
                && badResponseCount == that.badResponseCount
                && Objects.equals(availability, that.availability)
                && Objects.equals(standard, that.standard)
                && Objects.equals(burnRate1h, that.burnRate1h)
                && Objects.equals(burnRate6h, that.burnRate6h)
                && onTrack == that.onTrack;
    }

    @Override
    public int hashCode() {
        return Objects.hash(developerId, weekStartMillis, asOfMillis);
    }

    @Override
    public String toString() {
        return "WeekToDateRow{developerId="
                + developerId
                + ", week="
                + weekStart
                + ", asOf="
                + asOfMillis
                + ", failed="
                + failedCount
                + "/"
                + totalCount
                + ", burnRate1h="
                + burnRate1h
                + ", burnRate6h="
                + burnRate6h
                + ", onTrack="
                + onTrack
                + '}';
    }
}
