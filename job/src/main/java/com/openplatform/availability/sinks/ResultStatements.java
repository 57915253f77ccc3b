package com.openplatform.availability.sinks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.openplatform.availability.config.JdbcOptions.Dialect;
import com.openplatform.availability.records.AlertKind;
import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.CallbackTypeCount;
import com.openplatform.availability.records.FailureReason;
import com.openplatform.availability.records.WeekDiagnosis;
import com.openplatform.availability.records.WeekToDateRow;
import com.openplatform.availability.records.WeeklyCounts;
import com.openplatform.availability.records.WeeklyResult;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * The idempotent upserts that write results (docs/reference.md §6), per SQL dialect, and how
 * records bind to them. Both dialects take the same parameters in the same order.
 *
 * <p>A week's row is updated only when its content changes, and then its revision goes up by one: a
 * replay that writes the same result again leaves the row exactly as it was.
 */
public final class ResultStatements {
    private static final JsonFactory JSON = new JsonFactory();

    /** Times in milliseconds on both dialects (the tables' TIMESTAMP precision is 3). */
    private static final String NOW = "CURRENT_TIMESTAMP(3)";

    /**
     * The diagnosis of the week (docs/reference.md §6): corrected with the counts, so content like
     * them.
     */
    private static final String[] DIAGNOSIS_COLUMNS = {
        "latency_p50_ms",
        "latency_p95_ms",
        "latency_p99_ms",
        "peak_hour_start_at",
        "peak_hour_count",
        "worst_hour_start_at",
        "worst_hour_failed",
        "worst_hour_total"
    };

    /** The columns whose change is a correction; all others follow from them. */
    private static final String[] CONTENT_COLUMNS =
            withDiagnosis(
                    "total_count",
                    "failed_count",
                    "connect_error_count",
                    "timeout_count",
                    "http_error_count",
                    "bad_response_count",
                    "standard",
                    "satisfied",
                    "callback_type_counts");

    private static final String[] DATA_COLUMNS =
            withDiagnosis(
                    "total_count",
                    "failed_count",
                    "connect_error_count",
                    "timeout_count",
                    "http_error_count",
                    "bad_response_count",
                    "main_failure_reason",
                    "availability",
                    "standard",
                    "satisfied",
                    "callback_type_counts");

    /** The columns of a week's row that are bound, in the binder's order. */
    private static final String[] WEEKLY_BOUND =
            Stream.concat(
                            Stream.of("developer_id", "week_start", "week_start_at", "week_end_at"),
                            Arrays.stream(DATA_COLUMNS))
                    .toArray(String[]::new);

    /** The ledger's columns before {@code attempts} (0), then those after it, all bound. */
    private static final String[] LEDGER_BOUND_BEFORE_ATTEMPTS = {
        "developer_id", "week_start", "open_id", "channel", "status"
    };

    private static final String[] LEDGER_BOUND_AFTER_ATTEMPTS = {
        "role",
        "account_type",
        "availability",
        "standard",
        "total_count",
        "failed_count",
        "main_failure_reason",
        "kind",
        "rule",
        "as_of",
        "window_availability"
    };

    private static final String[] WEEK_TO_DATE_KEY = {"developer_id", "week_start"};

    /** In the order of binding; as_of first, so MySQL's update (in reverse) sets it last. */
    private static final String[] WEEK_TO_DATE_COLUMNS = {
        "as_of",
        "week_start_at",
        "week_end_at",
        "total_count",
        "failed_count",
        "connect_error_count",
        "timeout_count",
        "http_error_count",
        "bad_response_count",
        "availability",
        "standard",
        "burn_rate_1h",
        "burn_rate_6h",
        "on_track"
    };

    /** The channel column of WeChat Official Account alerts. */
    public static final String CHANNEL_WECHAT = "wechat";

    private ResultStatements() {}

    private static String[] withDiagnosis(String... columns) {
        return Stream.concat(Arrays.stream(columns), Arrays.stream(DIAGNOSIS_COLUMNS))
                .toArray(String[]::new);
    }

    /** Inserts or corrects a week's row of {@code weekly_availability}. */
    public static UpsertStatement upsertWeeklyAvailability(Dialect dialect) {
        boolean postgres = dialect == Dialect.POSTGRESQL;
        UpsertStatement insert =
                UpsertStatement.insertInto(dialect, "weekly_availability", postgres ? "w" : null)
                        .bound(WEEKLY_BOUND)
                        .value("revision", "1")
                        .value("first_judged_at", NOW)
                        .value("updated_at", NOW);
        StringBuilder sql = new StringBuilder();
        if (postgres) {
            sql.append("ON CONFLICT (developer_id, week_start) DO UPDATE SET ");
            for (String column : DATA_COLUMNS) {
                sql.append(column).append(" = EXCLUDED.").append(column).append(", ");
            }
            sql.append("revision = w.revision + 1, updated_at = ").append(NOW).append(" WHERE (");
            sql.append(columnList("w.")).append(") IS DISTINCT FROM (");
            sql.append(columnList("EXCLUDED.")).append(')');
        } else {
            // MySQL and MariaDB assign left to right, each assignment seeing the ones before it:
            // revision and updated_at come first, while the content columns still hold the old
            // values; the content follows. A replay changes nothing (0 rows affected).
            String changed = changedPredicateMySql();
            sql.append("ON DUPLICATE KEY UPDATE revision = IF(")
                    .append(changed)
                    .append(", revision + 1, revision), updated_at = IF(")
                    .append(changed)
                    .append(", ")
                    .append(NOW)
                    .append(", updated_at)");
            for (String column : DATA_COLUMNS) {
                sql.append(", ").append(column).append(" = VALUES(").append(column).append(')');
            }
        }
        return insert.onConflict(sql.toString());
    }

    /**
     * Records an alert in the ledger once; an existing row (a replay) is left alone. On MySQL a
     * no-op update rather than {@code INSERT IGNORE}, which would also turn data errors into
     * warnings.
     */
    public static UpsertStatement insertAlert(Dialect dialect) {
        return UpsertStatement.insertInto(dialect, "alert_delivery", null)
                .bound(LEDGER_BOUND_BEFORE_ATTEMPTS)
                .value("attempts", "0")
                .bound(LEDGER_BOUND_AFTER_ATTEMPTS)
                .value("created_at", NOW)
                .value("updated_at", NOW)
                .onConflict(
                        dialect == Dialect.POSTGRESQL
                                ? "ON CONFLICT DO NOTHING"
                                : "ON DUPLICATE KEY UPDATE developer_id = developer_id");
    }

    private static String columnList(String prefix) {
        StringBuilder list = new StringBuilder();
        for (String column : CONTENT_COLUMNS) {
            if (list.length() > 0) {
                list.append(", ");
            }
            list.append(prefix).append(column);
        }
        return list.toString();
    }

    private static String changedPredicateMySql() {
        StringBuilder same = new StringBuilder("NOT (");
        for (int i = 0; i < CONTENT_COLUMNS.length; i++) {
            if (i > 0) {
                same.append(" AND ");
            }
            same.append(CONTENT_COLUMNS[i])
                    .append(" <=> VALUES(")
                    .append(CONTENT_COLUMNS[i])
                    .append(')');
        }
        return same.append(')').toString();
    }

    /** Binds a result to {@link #upsertWeeklyAvailability}. */
    public static void bindWeekly(RowValues values, WeeklyResult result) throws SQLException {
        WeeklyCounts counts = result.getCounts();
        values.addLong(counts.getDeveloperId());
        values.addDate(result.getWeekStart());
        values.addInstant(counts.getWeekStartMillis());
        values.addInstant(counts.getWeekEndMillis());
        values.addLong(counts.getTotalCount());
        values.addLong(counts.failedCount());
        values.addLong(counts.getConnectErrorCount());
        values.addLong(counts.getTimeoutCount());
        values.addLong(counts.getHttpErrorCount());
        values.addLong(counts.getBadResponseCount());
        values.addString(reason(counts.mainFailureReason()));
        values.addDecimal(result.getAvailability());
        values.addDecimal(result.getStandard());
        values.addBoolean(result.isSatisfied());
        values.addString(callbackTypesJson(counts));
        WeekDiagnosis diagnosis = counts.diagnosis();
        values.addNullableLong(diagnosis.latencyP50Ms());
        values.addNullableLong(diagnosis.latencyP95Ms());
        values.addNullableLong(diagnosis.latencyP99Ms());
        values.addNullableInstant(diagnosis.peakHourStartMillis());
        values.addNullableLong(diagnosis.peakHourCount());
        values.addNullableInstant(diagnosis.worstHourStartMillis());
        values.addNullableLong(diagnosis.worstHourFailed());
        values.addNullableLong(diagnosis.worstHourTotal());
    }

    /** Binds an alert to {@link #insertAlert}. */
    public static void bindAlert(RowValues values, AlertRequest alert) throws SQLException {
        values.addLong(alert.getDeveloperId());
        values.addDate(alert.getWeekStart());
        values.addString(alert.getOpenId());
        values.addString(CHANNEL_WECHAT);
        values.addString(alert.getStatus().name());
        values.addString(alert.getRole());
        values.addString(alert.getAccountType());
        values.addDecimal(alert.getAvailability());
        values.addDecimal(alert.getStandard());
        values.addLong(alert.getTotalCount());
        values.addLong(alert.getFailedCount());
        values.addString(reason(alert.getMainFailureReason()));
        values.addString(alert.kind().name());
        values.addString(alert.getRule() == null ? null : alert.getRule().name());
        values.addNullableInstant(alert.isWarning() ? alert.getAsOfMillis() : null);
        values.addDecimal(alert.getWindowAvailability());
    }

    /** The primary key of an alert's ledger row ({@link #bindAlert}). */
    public static Object ledgerKey(AlertRequest alert) {
        return new LedgerRow(
                alert.getDeveloperId(), alert.getWeekStart(), alert.getOpenId(), alert.kind());
    }

    /** The ledger's key columns; the channel is always {@link #CHANNEL_WECHAT}. */
    private record LedgerRow(long developerId, String weekStart, String openId, AlertKind kind) {}

    /**
     * Inserts or moves forward a running week's row of {@code week_to_date}; a row is never moved
     * back to an earlier {@code as_of} (a replay writes the same rows again, in the same order).
     */
    public static UpsertStatement upsertWeekToDate(Dialect dialect) {
        boolean postgres = dialect == Dialect.POSTGRESQL;
        UpsertStatement insert =
                UpsertStatement.insertInto(dialect, "week_to_date", postgres ? "w" : null)
                        .bound(WEEK_TO_DATE_KEY)
                        .bound(WEEK_TO_DATE_COLUMNS)
                        .value("updated_at", NOW);
        StringBuilder sql = new StringBuilder();
        if (postgres) {
            sql.append("ON CONFLICT (developer_id, week_start) DO UPDATE SET ");
            for (String column : WEEK_TO_DATE_COLUMNS) {
                sql.append(column).append(" = EXCLUDED.").append(column).append(", ");
            }
            sql.append("updated_at = ").append(NOW).append(" WHERE w.as_of <= EXCLUDED.as_of");
        } else {
            // Left to right, each assignment seeing the ones before it: as_of goes last, so every
            // column compares with the row's old as_of.
            sql.append("ON DUPLICATE KEY UPDATE updated_at = IF(VALUES(as_of) >= as_of, ")
                    .append(NOW)
                    .append(", updated_at)");
            for (int i = WEEK_TO_DATE_COLUMNS.length - 1; i >= 0; i--) {
                String column = WEEK_TO_DATE_COLUMNS[i];
                sql.append(", ")
                        .append(column)
                        .append(" = IF(VALUES(as_of) >= as_of, VALUES(")
                        .append(column)
                        .append("), ")
                        .append(column)
                        .append(')');
            }
        }
        return insert.onConflict(sql.toString());
    }

    /** Binds a row to {@link #upsertWeekToDate}. */
    public static void bindWeekToDate(RowValues values, WeekToDateRow row) throws SQLException {
        values.addLong(row.getDeveloperId());
        values.addDate(row.getWeekStart());
        values.addInstant(row.getAsOfMillis());
        values.addInstant(row.getWeekStartMillis());
        values.addInstant(row.getWeekEndMillis());
        values.addLong(row.getTotalCount());
        values.addLong(row.getFailedCount());
        values.addLong(row.getConnectErrorCount());
        values.addLong(row.getTimeoutCount());
        values.addLong(row.getHttpErrorCount());
        values.addLong(row.getBadResponseCount());
        values.addDecimal(row.getAvailability());
        values.addDecimal(row.getStandard());
        values.addDecimal(row.getBurnRate1h());
        values.addDecimal(row.getBurnRate6h());
        values.addBoolean(row.isOnTrack());
    }

    private static String reason(FailureReason reason) {
        return reason == null ? null : reason.name();
    }

    /** The per-callbackType counts as a JSON object, sorted by type. */
    static String callbackTypesJson(WeeklyCounts counts) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            for (CallbackTypeCount type : counts.sortedCallbackTypes()) {
                json.writeObjectFieldStart(type.getCallbackType());
                json.writeNumberField("total", type.getTotalCount());
                json.writeNumberField("failed", type.getFailedCount());
                json.writeEndObject();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
