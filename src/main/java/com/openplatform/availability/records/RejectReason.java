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
    /** The event's week closed longer ago than the allowed lateness. */
    LATE
}
