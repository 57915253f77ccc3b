package com.openplatform.availability.records;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Objects;

/**
 * One alert to deliver, for one bound openId (or none): a breached week of a developerId, or the
 * early warning of a week still running ({@link AlertKind}).
 */
public class AlertRequest {
    /** The openId of a {@link DeliveryStatus#NO_RECIPIENT} row, part of the ledger's key. */
    public static final String NO_OPEN_ID = "";

    private long developerId;
    private String weekStart;
    private long weekStartMillis;
    private long weekEndMillis;
    private String openId;
    private String role;
    private String accountType;
    private DeliveryStatus status;
    private BigDecimal availability;
    private BigDecimal standard;
    private long totalCount;
    private long failedCount;
    private FailureReason mainFailureReason;

    /**
     * The local date-time (ISO, in the week zone) the hour with most failures starts; null when
     * unknown (nothing failed, or an alert of a release without it).
     */
    private String worstHourStart;

    private long worstHourFailed;
    private long worstHourTotal;

    /** Null in alerts of a release without warnings: a breach. */
    private AlertKind kind;

    /** A warning's rule; null for a breach. */
    private WarningRule rule;

    /** A warning's evaluation point h (epoch ms); 0 for a breach. */
    private long asOfMillis;

    /** The availability over a warning's window; null for a breach. */
    private BigDecimal windowAvailability;

    public AlertRequest() {}

    /**
     * An alert for the given breach, to {@code binding}'s openId or to nobody; its worst hour in
     * the local time of {@code zone}.
     */
    public static AlertRequest forBreach(WeeklyResult breach, WechatBinding binding, ZoneId zone) {
        AlertRequest alert = new AlertRequest();
        WeeklyCounts counts = breach.getCounts();
        alert.developerId = counts.getDeveloperId();
        alert.weekStart = breach.getWeekStart();
        alert.weekStartMillis = counts.getWeekStartMillis();
        alert.weekEndMillis = counts.getWeekEndMillis();
        alert.availability = breach.getAvailability();
        alert.standard = breach.getStandard();
        alert.totalCount = counts.getTotalCount();
        alert.failedCount = counts.failedCount();
        alert.mainFailureReason = counts.mainFailureReason();
        WeekDiagnosis diagnosis = counts.diagnosis();
        if (diagnosis.worstHourStartMillis() != null) {
            alert.worstHourStart =
                    LocalDateTime.ofInstant(
                                    Instant.ofEpochMilli(diagnosis.worstHourStartMillis()), zone)
                            .toString();
            alert.worstHourFailed = diagnosis.worstHourFailed();
            alert.worstHourTotal = diagnosis.worstHourTotal();
        }
        alert.address(binding);
        return alert;
    }

    /**
     * The warning of {@code week} at its evaluation point, by {@code rule}, to nobody yet ({@link
     * #withRecipient}): {@code availability} is the week's so far.
     */
    public static AlertRequest forWarning(
            WeekToDate week, String weekStart, WarningRule rule, BigDecimal standard) {
        AlertRequest alert = new AlertRequest();
        alert.kind = AlertKind.WARNING;
        alert.rule = rule;
        alert.developerId = week.getDeveloperId();
        alert.weekStart = weekStart;
        alert.weekStartMillis = week.getWeekStartMillis();
        alert.weekEndMillis = week.getWeekEndMillis();
        alert.asOfMillis = week.getEvaluatedTo();
        alert.standard = standard;
        alert.totalCount = week.totalToDate();
        alert.failedCount = week.failedToDate();
        alert.availability = BurnRules.availability(alert.totalCount, alert.failedCount);
        long[] window = BurnRules.windowOf(rule, week);
        alert.windowAvailability = BurnRules.availability(window[0], window[1]);
        alert.mainFailureReason =
                FailureReason.mostFrequent(reason -> week.toDate(1 + reason.ordinal()));
        alert.openId = NO_OPEN_ID;
        alert.status = DeliveryStatus.NO_RECIPIENT;
        return alert;
    }

    /** This alert for {@code binding}'s openId ({@code PENDING}), or for nobody when null. */
    public AlertRequest withRecipient(WechatBinding binding) {
        AlertRequest alert = copy();
        alert.address(binding);
        return alert;
    }

    private void address(WechatBinding binding) {
        openId = binding == null ? NO_OPEN_ID : binding.getOpenId();
        role = binding == null ? null : binding.getRole();
        accountType = binding == null ? null : binding.getAccountType();
        status = binding == null ? DeliveryStatus.NO_RECIPIENT : DeliveryStatus.PENDING;
    }

    private AlertRequest copy() {
        AlertRequest copy = new AlertRequest();
        copy.developerId = developerId;
        copy.weekStart = weekStart;
        copy.weekStartMillis = weekStartMillis;
        copy.weekEndMillis = weekEndMillis;
        copy.openId = openId;
        copy.role = role;
        copy.accountType = accountType;
        copy.status = status;
        copy.availability = availability;
        copy.standard = standard;
        copy.totalCount = totalCount;
        copy.failedCount = failedCount;
        copy.mainFailureReason = mainFailureReason;
        copy.worstHourStart = worstHourStart;
        copy.worstHourFailed = worstHourFailed;
        copy.worstHourTotal = worstHourTotal;
        copy.kind = kind;
        copy.rule = rule;
        copy.asOfMillis = asOfMillis;
        copy.windowAvailability = windowAvailability;
        return copy;
    }

    /** {@link AlertKind#BREACH} for alerts of a release without warnings. */
    public AlertKind kind() {
        return kind == null ? AlertKind.BREACH : kind;
    }

    public boolean isWarning() {
        return kind == AlertKind.WARNING;
    }

    public AlertKind getKind() {
        return kind;
    }

    public void setKind(AlertKind kind) {
        this.kind = kind;
    }

    public WarningRule getRule() {
        return rule;
    }

    public void setRule(WarningRule rule) {
        this.rule = rule;
    }

    public long getAsOfMillis() {
        return asOfMillis;
    }

    public void setAsOfMillis(long asOfMillis) {
        this.asOfMillis = asOfMillis;
    }

    public BigDecimal getWindowAvailability() {
        return windowAvailability;
    }

    public void setWindowAvailability(BigDecimal windowAvailability) {
        this.windowAvailability = windowAvailability;
    }

    public long getDeveloperId() {
        return developerId;
    }

    public void setDeveloperId(long developerId) {
        this.developerId = developerId;
    }

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

    public String getOpenId() {
        return openId;
    }

    public void setOpenId(String openId) {
        this.openId = openId;
    }

    public String getRole() {
        return role;
    }

    public void setRole(String role) {
        this.role = role;
    }

    public String getAccountType() {
        return accountType;
    }

    public void setAccountType(String accountType) {
        this.accountType = accountType;
    }

    public DeliveryStatus getStatus() {
        return status;
    }

    public void setStatus(DeliveryStatus status) {
        this.status = status;
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

    public FailureReason getMainFailureReason() {
        return mainFailureReason;
    }

    public void setMainFailureReason(FailureReason mainFailureReason) {
        this.mainFailureReason = mainFailureReason;
    }

    public String getWorstHourStart() {
        return worstHourStart;
    }

    public void setWorstHourStart(String worstHourStart) {
        this.worstHourStart = worstHourStart;
    }

    public long getWorstHourFailed() {
        return worstHourFailed;
    }

    public void setWorstHourFailed(long worstHourFailed) {
        this.worstHourFailed = worstHourFailed;
    }

    public long getWorstHourTotal() {
        return worstHourTotal;
    }

    public void setWorstHourTotal(long worstHourTotal) {
        this.worstHourTotal = worstHourTotal;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AlertRequest)) {
            return false;
        }
        AlertRequest that = (AlertRequest) o;
        return developerId == that.developerId
                && weekStartMillis == that.weekStartMillis
                && totalCount == that.totalCount
                && failedCount == that.failedCount
                && status == that.status
                && Objects.equals(openId, that.openId)
                && Objects.equals(weekStart, that.weekStart)
                && mainFailureReason == that.mainFailureReason
                && Objects.equals(worstHourStart, that.worstHourStart)
                && worstHourFailed == that.worstHourFailed
                && worstHourTotal == that.worstHourTotal
                && kind() == that.kind()
                && rule == that.rule
                && asOfMillis == that.asOfMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(developerId, weekStartMillis, openId, kind());
    }

    @Override
    public String toString() {
        return "AlertRequest{"
                + kind()
                + (rule == null ? "" : " " + rule + " as of " + asOfMillis)
                + ", developerId="
                + developerId
                + ", week="
                + weekStart
                + ", openId="
                + openId
                + ", status="
                + status
                + ", availability="
                + availability
                + ", standard="
                + standard
                + ", failed="
                + failedCount
                + "/"
                + totalCount
                + '}';
    }
}
