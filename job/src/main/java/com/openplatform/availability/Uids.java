package com.openplatform.availability;

/**
 * The stable uids of the job's sources, stateful operators and sinks. A savepoint restores by
 * these: changing one loses that operator's state on upgrade.
 */
public final class Uids {
    public static final String EVENTS_SOURCE = "callback-events-source";
    public static final String STANDARDS_SOURCE = "availability-standards-source";
    public static final String BINDINGS_SOURCE = "wechat-bindings-source";
    public static final String REJECT_INVALID_AND_LATE = "reject-invalid-and-late-events";
    public static final String PRE_AGGREGATE = "weekly-pre-aggregate";
    public static final String WEEKLY_COUNTS = "weekly-counts-window";
    public static final String PARSE_STANDARDS = "parse-standards";
    public static final String PARSE_BINDINGS = "parse-bindings";
    public static final String JUDGE = "judge-weekly-availability";
    public static final String PLAN_ALERTS = "plan-alerts";
    public static final String EVALUATE_WEEK_TO_DATE = "evaluate-week-to-date";
    public static final String PLAN_WARNINGS = "plan-warnings";
    public static final String WEEK_TO_DATE_SINK = "week-to-date-sink";
    public static final String SKIP_DELIVERY = "skip-delivery";
    public static final String WEEKLY_AVAILABILITY_SINK = "weekly-availability-sink";
    public static final String ALERT_SINK = "alert-delivery-sink";
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";

    private Uids() {}
}
