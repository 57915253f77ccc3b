package com.openplatform.availability.sinks;

import com.openplatform.availability.config.JdbcOptions;
import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.WeekToDateRow;
import com.openplatform.availability.records.WeeklyResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * The JDBC sinks of the result tables: batched, idempotent upserts, flushed before every checkpoint
 * completes, so a restart replays into the same rows (exactly-once results).
 */
public final class JdbcSinks {
    private JdbcSinks() {}

    /** The key of a {@code weekly_availability} or {@code week_to_date} row. */
    private record DeveloperWeek(long developerId, long weekStartMillis) {}

    public static JdbcUpsertSink<WeeklyResult> weeklyAvailability(JdbcOptions jdbc) {
        return new JdbcUpsertSink<>(
                jdbc,
                ResultStatements.upsertWeeklyAvailability(jdbc.dialect()),
                ResultStatements::bindWeekly,
                result ->
                        new DeveloperWeek(
                                result.developerId(), result.getCounts().getWeekStartMillis()));
    }

    /**
     * The running weeks: the latest row of a week, written at most every half minute and carried in
     * the checkpoints until then; a week's row at its end is final and written without the delay.
     */
    public static JdbcLatestRowSink<WeekToDateRow> weekToDate(JdbcOptions jdbc) {
        return new JdbcLatestRowSink<>(
                jdbc,
                ResultStatements.upsertWeekToDate(jdbc.dialect()),
                ResultStatements::bindWeekToDate,
                row -> new DeveloperWeek(row.getDeveloperId(), row.getWeekStartMillis()),
                row -> row.getAsOfMillis() >= row.getWeekEndMillis(),
                TypeInformation.of(WeekToDateRow.class));
    }

    /** Records alerts in the ledger as they come (SKIPPED or NO_RECIPIENT), once each. */
    public static JdbcUpsertSink<AlertRequest> alertLedger(JdbcOptions jdbc) {
        return new JdbcUpsertSink<>(
                jdbc,
                ResultStatements.insertAlert(jdbc.dialect()),
                ResultStatements::bindAlert,
                ResultStatements::ledgerKey);
    }
}
