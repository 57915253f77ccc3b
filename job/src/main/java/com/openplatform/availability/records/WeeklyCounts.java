package com.openplatform.availability.records;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Callback counts of one developerId in one calendar week, whole or partial: partial counts from
 * the pre-aggregation merge into the week's counts in the window.
 *
 * <p>Per callbackType: at most {@value #MAX_CALLBACK_TYPES} types get counts of their own in a row;
 * the callbacks of any further type are counted under {@value #OTHER_CALLBACK_TYPES}, so that a
 * producer writing a new type per event cannot grow the state and the row's {@code
 * callback_type_counts} without bound. Which types are the first 100 depends on the order the
 * counts arrive in, so only a week with more types than that may differ between runs in how its
 * per-type counts split; its totals never do.
 */
public class WeeklyCounts {
    /** Callback types counted on their own per (developerId, week); see the class comment. */
    public static final int MAX_CALLBACK_TYPES = 100;

    /**
     * The reserved key of the callbacks beyond {@link #MAX_CALLBACK_TYPES} types (a callbackType
     * that is itself {@code other} shares it).
     */
    public static final String OTHER_CALLBACK_TYPES = "other";

    private long developerId;
    private long weekStartMillis;
    private long weekEndMillis;
    private long totalCount;
    private long connectErrorCount;
    private long timeoutCount;
    private long httpErrorCount;
    private long badResponseCount;
    private List<CallbackTypeCount> callbackTypes = new ArrayList<>();

    // A lookup by type over callbackTypes, so counting is linear in the events, not quadratic.
    // Not serialized (transient: the POJO's fields and its savepoints stay as they were); rebuilt
    // when the list is not the one indexed, since Flink's serializer sets the field directly.
    private transient Map<String, CallbackTypeCount> index;
    private transient List<CallbackTypeCount> indexed;

    /**
     * {@link LatencyHistogram#encode} of the latencies of the callbacks that got a response; null
     * when none did, or when counted by a release without it. Never changed in place, so copies may
     * share it.
     */
    private byte[] latencyHistogram;

    /** {@link HourlyCounts#encode} of the callbacks by hour; null as {@link #latencyHistogram}. */
    private byte[] hourlyCounts;

    public WeeklyCounts() {}

    public WeeklyCounts(long developerId, long weekStartMillis, long weekEndMillis) {
        this.developerId = developerId;
        this.weekStartMillis = weekStartMillis;
        this.weekEndMillis = weekEndMillis;
    }

    /** Counts one callback of the given type; {@code reason} is null for a valid one. */
    public void count(String callbackType, FailureReason reason) {
        totalCount++;
        boolean failed = reason != null;
        if (failed) {
            addFailures(reason, 1);
        }
        CallbackTypeCount type = typeCount(callbackType);
        type.setTotalCount(type.getTotalCount() + 1);
        if (failed) {
            type.setFailedCount(type.getFailedCount() + 1);
        }
    }

    /** Adds another partial count of the same developerId and week into this one. */
    public void merge(WeeklyCounts other) {
        totalCount += other.totalCount;
        connectErrorCount += other.connectErrorCount;
        timeoutCount += other.timeoutCount;
        httpErrorCount += other.httpErrorCount;
        badResponseCount += other.badResponseCount;
        for (CallbackTypeCount theirs : other.callbackTypes) {
            CallbackTypeCount ours = typeCount(theirs.getCallbackType());
            ours.setTotalCount(ours.getTotalCount() + theirs.getTotalCount());
            ours.setFailedCount(ours.getFailedCount() + theirs.getFailedCount());
        }
        mergeDiagnosis(other);
    }

    /**
     * Adds the latencies and hourly counts of this week's callbacks, which the pre-aggregation
     * records apart from these counts because its hot path must not encode.
     */
    public void addDiagnosis(LatencyHistogram latencies, HourlyCounts hours) {
        if (latencies.count() > 0) {
            LatencyHistogram sum = latencies();
            sum.add(latencies);
            latencyHistogram = sum.encode();
        }
        if (hours.peakHour() >= 0) {
            HourlyCounts sum = hours();
            sum.add(hours);
            hourlyCounts = sum.encode();
        }
    }

    private void mergeDiagnosis(WeeklyCounts other) {
        if (latencyHistogram == null && hourlyCounts == null) {
            // Nothing to add to (a fresh accumulator, a copy): the other's, without decoding.
            latencyHistogram = other.latencyHistogram;
            hourlyCounts = other.hourlyCounts;
        } else if (other.latencyHistogram != null || other.hourlyCounts != null) {
            addDiagnosis(other.latencies(), other.hours());
        }
    }

    /** The latencies of the callbacks that got a response, decoded: a copy. */
    public LatencyHistogram latencies() {
        return LatencyHistogram.decode(latencyHistogram);
    }

    /** The callbacks by hour of the week, decoded: a copy. */
    public HourlyCounts hours() {
        return HourlyCounts.decode(hourlyCounts, weekStartMillis, weekEndMillis);
    }

    /** The percentiles, the peak hour and the worst hour of the week (docs/reference.md §6). */
    public WeekDiagnosis diagnosis() {
        return WeekDiagnosis.of(latencies(), hours(), weekStartMillis);
    }

    public long failedCount() {
        return connectErrorCount + timeoutCount + httpErrorCount + badResponseCount;
    }

    public long validCount() {
        return totalCount - failedCount();
    }

    public long failures(FailureReason reason) {
        switch (reason) {
            case CONNECT_ERROR:
                return connectErrorCount;
            case TIMEOUT:
                return timeoutCount;
            case HTTP_ERROR:
                return httpErrorCount;
            default:
                return badResponseCount;
        }
    }

    /** The reason with most failures, ties going to the earlier reason; null with no failures. */
    public FailureReason mainFailureReason() {
        return FailureReason.mostFrequent(this::failures);
    }

    /** The per-type counts sorted by callbackType, so that equal weeks compare equal. */
    public List<CallbackTypeCount> sortedCallbackTypes() {
        List<CallbackTypeCount> sorted = new ArrayList<>(callbackTypes);
        sorted.sort(Comparator.comparing(CallbackTypeCount::getCallbackType));
        return sorted;
    }

    private void addFailures(FailureReason reason, long count) {
        switch (reason) {
            case CONNECT_ERROR:
                connectErrorCount += count;
                break;
            case TIMEOUT:
                timeoutCount += count;
                break;
            case HTTP_ERROR:
                httpErrorCount += count;
                break;
            default:
                badResponseCount += count;
        }
    }

    private CallbackTypeCount typeCount(String callbackType) {
        Map<String, CallbackTypeCount> byType = index();
        CallbackTypeCount type = byType.get(callbackType);
        if (type != null) {
            return type;
        }
        int ownTypes = byType.size() - (byType.containsKey(OTHER_CALLBACK_TYPES) ? 1 : 0);
        String key = ownTypes < MAX_CALLBACK_TYPES ? callbackType : OTHER_CALLBACK_TYPES;
        type = byType.get(key);
        if (type == null) {
            type = new CallbackTypeCount(key, 0, 0);
            callbackTypes.add(type);
            byType.put(key, type);
        }
        return type;
    }

    private Map<String, CallbackTypeCount> index() {
        if (index == null || indexed != callbackTypes || index.size() != callbackTypes.size()) {
            index = new HashMap<>();
            for (CallbackTypeCount type : callbackTypes) {
                index.put(type.getCallbackType(), type);
            }
            indexed = callbackTypes;
        }
        return index;
    }

    public long getDeveloperId() {
        return developerId;
    }

    public void setDeveloperId(long developerId) {
        this.developerId = developerId;
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

    public long getTotalCount() {
        return totalCount;
    }

    public void setTotalCount(long totalCount) {
        this.totalCount = totalCount;
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

    public List<CallbackTypeCount> getCallbackTypes() {
        return callbackTypes;
    }

    public void setCallbackTypes(List<CallbackTypeCount> callbackTypes) {
        this.callbackTypes = callbackTypes;
    }

    public byte[] getLatencyHistogram() {
        return latencyHistogram;
    }

    public void setLatencyHistogram(byte[] latencyHistogram) {
        this.latencyHistogram = latencyHistogram;
    }

    public byte[] getHourlyCounts() {
        return hourlyCounts;
    }

    public void setHourlyCounts(byte[] hourlyCounts) {
        this.hourlyCounts = hourlyCounts;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof WeeklyCounts)) {
            return false;
        }
        WeeklyCounts that = (WeeklyCounts) o;
        return developerId == that.developerId
                && weekStartMillis == that.weekStartMillis
                && weekEndMillis == that.weekEndMillis
                && totalCount == that.totalCount
                && connectErrorCount == that.connectErrorCount
                && timeoutCount == that.timeoutCount
                && httpErrorCount == that.httpErrorCount
                && badResponseCount == that.badResponseCount
                && sortedCallbackTypes().equals(that.sortedCallbackTypes())
                && Arrays.equals(latencyHistogram, that.latencyHistogram)
                && Arrays.equals(hourlyCounts, that.hourlyCounts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(developerId, weekStartMillis, totalCount, failedCount());
    }

    @Override
    public String toString() {
        return "WeeklyCounts{developerId="
                + developerId
                + ", weekStart="
                + weekStartMillis
                + ", total="
                + totalCount
                + ", connectError="
                + connectErrorCount
                + ", timeout="
                + timeoutCount
                + ", httpError="
                + httpErrorCount
                + ", badResponse="
                + badResponseCount
                + ", types="
                + sortedCallbackTypes()
                + ", "
                + diagnosis()
                + '}';
    }
}
