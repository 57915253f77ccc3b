package com.openplatform.availability.records;

/** What an alert is about: part of the {@code alert_delivery} ledger's key. */
public enum AlertKind {
    /** A week that ended below its standard. */
    BREACH,
    /** A week still running that burns its error budget too fast (docs/reference.md §10). */
    WARNING
}
