package com.openplatform.availability.records;

import java.util.Objects;

/** How many callbacks of one callbackType a developerId received in a week, and how many failed. */
public class CallbackTypeCount {
    private String callbackType;
    private long totalCount;
    private long failedCount;

    public CallbackTypeCount() {}

    public CallbackTypeCount(String callbackType, long totalCount, long failedCount) {
        this.callbackType = callbackType;
        this.totalCount = totalCount;
        this.failedCount = failedCount;
    }

    public String getCallbackType() {
        return callbackType;
    }

    public void setCallbackType(String callbackType) {
        this.callbackType = callbackType;
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

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CallbackTypeCount)) {
            return false;
        }
        CallbackTypeCount that = (CallbackTypeCount) o;
        return totalCount == that.totalCount
                && failedCount == that.failedCount
                && Objects.equals(callbackType, that.callbackType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(callbackType, totalCount, failedCount);
    }

    @Override
    public String toString() {
        return callbackType + "=" + failedCount + "/" + totalCount;
    }
}
