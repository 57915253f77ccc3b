package com.openplatform.availability.records;

/**
 * Why a callback attempt did not count as valid (docs/reference.md §2), in the order of precedence.
 */
public enum FailureReason {
    /** httpStatus 0: no response at all. */
    CONNECT_ERROR,
    /** Latency above the callback timeout. */
    TIMEOUT,
    /** A status other than 200. */
    HTTP_ERROR,
    /** Status 200 but not the documented {@code {"data":"OK"}} reply. */
    BAD_RESPONSE;

    /**
     * Classifies one callback attempt.
     *
     * @return the first reason that applies, or {@code null} for a valid callback
     */
    public static FailureReason classify(
            int httpStatus, long latencyMs, boolean responseOk, long timeoutMs) {
        if (httpStatus == 0) {
            return CONNECT_ERROR;
        }
        if (latencyMs > timeoutMs) {
            return TIMEOUT;
        }
        if (httpStatus != 200) {
            return HTTP_ERROR;
        }
        return responseOk ? null : BAD_RESPONSE;
    }
}
