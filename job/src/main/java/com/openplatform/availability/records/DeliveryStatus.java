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
    /** No WeChat app is configured: the alert is only logged and recorded. */
    SKIPPED,
    /** A breach for a developerId with no bound openId. */
    NO_RECIPIENT
}
