package com.openplatform.availability.records;

/** The state of one alert in the {@code alert_delivery} ledger. */
public enum DeliveryStatus {
    /** Planned, not yet handed to WeChat. */
    PENDING,
    /** WeChat accepted the message. */
    SENT,
    /** WeChat refused it for a reason retrying cannot fix, or retries ran out. */
    FAILED,
    /** The openId does not follow the account or is invalid (errcode 43004 / 40003). */
    UNREACHABLE,
    /**
     * No WeChat app (or, for warnings, no warning template) is configured: the alert is only logged
     * and recorded.
     */
    SKIPPED,
    /** A breach or warning for a developerId with no bound openId. */
    NO_RECIPIENT,
    /**
     * A warning whose evaluation point was already older than {@code --warning.max-age} when it was
     * planned (a replay or backfill): recorded, never sent.
     */
    STALE
}
