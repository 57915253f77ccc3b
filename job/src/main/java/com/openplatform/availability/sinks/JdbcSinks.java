package com.openplatform.availability.sinks;

import com.openplatform.availability.config.JdbcOptions;
import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.WeekToDateRow;
import com.openplatform.availability.records.WeeklyResult;
import java.util.List;

/**
 * The JDBC sinks of the result tables: batched, idempotent upserts, flushed before every checkpoint
 * completes, so a restart replays into the same rows (exactly-once results).
 */
public final class JdbcSinks {
    private JdbcSinks() {}

    public static JdbcUpsertSink<WeeklyResult> weeklyAvailability(JdbcOptions jdbc) {
        return new JdbcUpsertSink<>(
                jdbc,
                "weekly_availability",
                ResultStatements.upsertWeeklyAvailability(jdbc.dialect()),
                ResultStatements::bindWeekly);
    }

    /** The running weeks: only the latest row of a week buffered is written. */
    public static JdbcUpsertSink<WeekToDateRow> weekToDate(JdbcOptions jdbc) {
        return new JdbcUpsertSink<>(
                jdbc,
                "week_to_date",
                ResultStatements.upsertWeekToDate(jdbc.dialect()),
                ResultStatements::bindWeekToDate,
                row -> List.of(row.getDeveloperId(), row.getWeekStartMillis()));
    }

    /** Records alerts in the ledger as they come (SKIPPED or NO_RECIPIENT), once each. */
    public static JdbcUpsertSink<AlertRequest> alertLedger(JdbcOptions jdbc) {
        return new JdbcUpsertSink<>(
                jdbc,
                "alert_delivery",
                ResultStatements.insertAlert(jdbc.dialect()),
                ResultStatements::bindAlert);
    }
}
