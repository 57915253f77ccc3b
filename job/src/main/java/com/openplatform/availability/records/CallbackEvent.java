package com.openplatform.availability.records;

import java.util.Objects;

/**
 * The outcome of one callback attempt, as the platform's dispatcher reports it (docs/reference.md
 * §3).
 */
public class CallbackEvent {
    private String eventId;
    private long developerId;
    private String callbackType;
    private long eventTime;
    private int httpStatus;
    private long latencyMs;
    private boolean responseOk;

    public CallbackEvent() {}

    public CallbackEvent(
            String eventId,
            long developerId,
            String callbackType,
            long eventTime,
            int httpStatus,
            long latencyMs,
            boolean responseOk) {
        this.eventId = eventId;
        this.developerId = developerId;
        this.callbackType = callbackType;
        this.eventTime = eventTime;
        this.httpStatus = httpStatus;
        this.latencyMs = latencyMs;
        this.responseOk = responseOk;
    }

    /** The failure reason under the given timeout, or {@code null} when the callback is valid. */
    public FailureReason failureReason(long timeoutMs) {
        return FailureReason.classify(httpStatus, latencyMs, responseOk, timeoutMs);
    }

    public String getEventId() {
        return eventId;
    }

    public void setEventId(String eventId) {
        this.eventId = eventId;
    }

    public long getDeveloperId() {
        return developerId;
    }

    public void setDeveloperId(long developerId) {
        this.developerId = developerId;
    }

    public String getCallbackType() {
        return callbackType;
    }

    public void setCallbackType(String callbackType) {
        this.callbackType = callbackType;
    }

    public long getEventTime() {
        return eventTime;
    }

    public void setEventTime(long eventTime) {
        this.eventTime = eventTime;
    }

    public int getHttpStatus() {
        return httpStatus;
    }

    public void setHttpStatus(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public long getLatencyMs() {
        return latencyMs;
    }

    public void setLatencyMs(long latencyMs) {
        this.latencyMs = latencyMs;
    }

    public boolean isResponseOk() {
        return responseOk;
    }

    public void setResponseOk(boolean responseOk) {
        this.responseOk = responseOk;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CallbackEvent)) {
            return false;
        }
        CallbackEvent that = (CallbackEvent) o;
        return developerId == that.developerId
                && eventTime == that.eventTime
                && httpStatus == that.httpStatus
                && latencyMs == that.latencyMs
                && responseOk == that.responseOk
                && Objects.equals(eventId, that.eventId)
                && Objects.equals(callbackType, that.callbackType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, developerId, eventTime);
    }

    @Override
    public String toString() {
        return "CallbackEvent{"
                + eventId
                + ", developerId="
                + developerId
                + ", "
                + callbackType
                + ", eventTime="
                + eventTime
                + ", httpStatus="
                + httpStatus
                + ", latencyMs="
                + latencyMs
                + ", responseOk="
                + responseOk
                + '}';
    }
}
