package com.openplatform.availability.records;

import java.util.function.ToLongFunction;

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

    /** The reason with most failures, ties going to the earlier reason; null with no failures. */
    public static FailureReason mostFrequent(ToLongFunction<FailureReason> failures) {
        FailureReason main = null;
        long most = 0;
        for (FailureReason reason : values()) {
            long count = failures.applyAsLong(reason);
            if (count > most) {
                most = count;
                main = reason;
            }
        }
        return main;
    }
}
