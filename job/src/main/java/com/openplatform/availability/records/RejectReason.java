package com.openplatform.availability.records;

/** Why a record went to the dead letter instead of being counted. */
public enum RejectReason {
    /** Not a single JSON object (syntax error, duplicate key, trailing content, empty line). */
    INVALID_JSON,
    /** A required field is absent. */
    MISSING_FIELD,
    /** A field has the wrong JSON type or a value out of range. */
    INVALID_FIELD,
    /** The record is larger than 64 KiB. */
    TOO_LARGE,
    /**
     * The event's time is further ahead of the wall clock at reading than {@code
     * --event.max-future}: one host with a wrong clock must not move the watermark years ahead.
     */
    FUTURE,
    /** The event's week closed longer ago than the allowed lateness. */
    LATE
}
