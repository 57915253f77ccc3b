package com.openplatform.availability.records;

/**
 * The burn-rate rules of the in-week warning (docs/reference.md §10), in the order they are tried.
 */
public enum WarningRule {
    /** The last hour burns at the fast rate or more. */
    FAST_BURN,
    /** The last six hours burn at the slow rate or more. */
    SLOW_BURN,
    /** The failures so far exceed the whole week's budget at the volume seen so far. */
    BUDGET_SPENT
}
