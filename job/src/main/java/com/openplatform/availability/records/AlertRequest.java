package com.openplatform.availability.records;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Objects;

/** One alert to deliver: a breached week of a developerId, for one bound openId (or none). */
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
        if (binding == null) {
            alert.openId = NO_OPEN_ID;
            alert.status = DeliveryStatus.NO_RECIPIENT;
        } else {
            alert.openId = binding.getOpenId();
            alert.role = binding.getRole();
            alert.accountType = binding.getAccountType();
            alert.status = DeliveryStatus.PENDING;
        }
        return alert;
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
                && worstHourTotal == that.worstHourTotal;
    }

    @Override
    public int hashCode() {
        return Objects.hash(developerId, weekStartMillis, openId);
    }

    @Override
    public String toString() {
        return "AlertRequest{developerId="
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
