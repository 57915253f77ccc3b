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
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Calendar;
import java.util.TimeZone;
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

    private static final String WEEKLY_COLUMNS =
            "developer_id, week_start, week_start_at, week_end_at, total_count, failed_count,"
                    + " connect_error_count, timeout_count, http_error_count, bad_response_count,"
                    + " main_failure_reason, availability, standard, satisfied,"
                    + " callback_type_counts, latency_p50_ms, latency_p95_ms, latency_p99_ms,"
                    + " peak_hour_start_at, peak_hour_count, worst_hour_start_at,"
                    + " worst_hour_failed, worst_hour_total, revision, first_judged_at, updated_at";

    /** Times in milliseconds on both dialects (the tables' TIMESTAMP precision is 3). */
    private static final String NOW = "CURRENT_TIMESTAMP(3)";

    private static final String WEEKLY_VALUES =
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, "
                    + NOW
                    + ", "
                    + NOW
                    + ")";

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

    private static final String LEDGER_INSERT =
            "INSERT INTO alert_delivery (developer_id, week_start, open_id, channel, status,"
                    + " attempts, role, account_type, availability, standard, total_count,"
                    + " failed_count, main_failure_reason, kind, rule, as_of, window_availability,"
                    + " created_at, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                    + NOW
                    + ", "
                    + NOW
                    + ")";

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
    public static String upsertWeeklyAvailability(Dialect dialect) {
        StringBuilder sql = new StringBuilder();
        if (dialect == Dialect.POSTGRESQL) {
            sql.append("INSERT INTO weekly_availability AS w (")
                    .append(WEEKLY_COLUMNS)
                    .append(") ")
                    .append(WEEKLY_VALUES)
                    .append(" ON CONFLICT (developer_id, week_start) DO UPDATE SET ");
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
            sql.append("INSERT INTO weekly_availability (")
                    .append(WEEKLY_COLUMNS)
                    .append(") ")
                    .append(WEEKLY_VALUES)
                    .append(" ON DUPLICATE KEY UPDATE revision = IF(")
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
        return sql.toString();
    }

    /**
     * Records an alert in the ledger once; an existing row (a replay) is left alone. On MySQL a
     * no-op update rather than {@code INSERT IGNORE}, which would also turn data errors into
     * warnings.
     */
    public static String insertAlert(Dialect dialect) {
        return dialect == Dialect.POSTGRESQL
                ? LEDGER_INSERT + " ON CONFLICT DO NOTHING"
                : LEDGER_INSERT + " ON DUPLICATE KEY UPDATE developer_id = developer_id";
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
    public static void bindWeekly(PreparedStatement statement, WeeklyResult result)
            throws SQLException {
        WeeklyCounts counts = result.getCounts();
        int i = 0;
        statement.setLong(++i, counts.getDeveloperId());
        statement.setObject(++i, LocalDate.parse(result.getWeekStart()));
        statement.setTimestamp(++i, new Timestamp(counts.getWeekStartMillis()), utc());
        statement.setTimestamp(++i, new Timestamp(counts.getWeekEndMillis()), utc());
        statement.setLong(++i, counts.getTotalCount());
        statement.setLong(++i, counts.failedCount());
        statement.setLong(++i, counts.getConnectErrorCount());
        statement.setLong(++i, counts.getTimeoutCount());
        statement.setLong(++i, counts.getHttpErrorCount());
        statement.setLong(++i, counts.getBadResponseCount());
        setReason(statement, ++i, counts.mainFailureReason());
        statement.setBigDecimal(++i, result.getAvailability());
        statement.setBigDecimal(++i, result.getStandard());
        statement.setBoolean(++i, result.isSatisfied());
        statement.setString(++i, callbackTypesJson(counts));
        WeekDiagnosis diagnosis = counts.diagnosis();
        statement.setObject(++i, diagnosis.latencyP50Ms(), Types.BIGINT);
        statement.setObject(++i, diagnosis.latencyP95Ms(), Types.BIGINT);
        statement.setObject(++i, diagnosis.latencyP99Ms(), Types.BIGINT);
        setInstant(statement, ++i, diagnosis.peakHourStartMillis());
        statement.setObject(++i, diagnosis.peakHourCount(), Types.BIGINT);
        setInstant(statement, ++i, diagnosis.worstHourStartMillis());
        statement.setObject(++i, diagnosis.worstHourFailed(), Types.BIGINT);
        statement.setObject(++i, diagnosis.worstHourTotal(), Types.BIGINT);
    }

    /** An instant, or SQL NULL for null (MariaDB's driver takes no null Timestamp). */
    private static void setInstant(PreparedStatement statement, int index, Long epochMillis)
            throws SQLException {
        if (epochMillis == null) {
            statement.setNull(index, Types.TIMESTAMP);
        } else {
            statement.setTimestamp(index, new Timestamp(epochMillis), utc());
        }
    }

    /** Binds an alert to {@link #insertAlert}. */
    public static void bindAlert(PreparedStatement statement, AlertRequest alert)
            throws SQLException {
        int i = 0;
        statement.setLong(++i, alert.getDeveloperId());
        statement.setObject(++i, LocalDate.parse(alert.getWeekStart()));
        statement.setString(++i, alert.getOpenId());
        statement.setString(++i, CHANNEL_WECHAT);
        statement.setString(++i, alert.getStatus().name());
        statement.setString(++i, alert.getRole());
        statement.setString(++i, alert.getAccountType());
        statement.setBigDecimal(++i, alert.getAvailability());
        statement.setBigDecimal(++i, alert.getStandard());
        statement.setLong(++i, alert.getTotalCount());
        statement.setLong(++i, alert.getFailedCount());
        setReason(statement, ++i, alert.getMainFailureReason());
        statement.setString(++i, alert.kind().name());
        statement.setString(++i, alert.getRule() == null ? null : alert.getRule().name());
        setInstant(statement, ++i, alert.isWarning() ? alert.getAsOfMillis() : null);
        statement.setBigDecimal(++i, alert.getWindowAvailability());
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
    public static String upsertWeekToDate(Dialect dialect) {
        StringBuilder sql =
                new StringBuilder("INSERT INTO week_to_date ")
                        .append(dialect == Dialect.POSTGRESQL ? "AS w (" : "(")
                        .append(String.join(", ", WEEK_TO_DATE_KEY))
                        .append(", ")
                        .append(String.join(", ", WEEK_TO_DATE_COLUMNS))
                        .append(", updated_at) VALUES (")
                        .append("?, ".repeat(WEEK_TO_DATE_KEY.length + WEEK_TO_DATE_COLUMNS.length))
                        .append(NOW)
                        .append(')');
        if (dialect == Dialect.POSTGRESQL) {
            sql.append(" ON CONFLICT (developer_id, week_start) DO UPDATE SET ");
            for (String column : WEEK_TO_DATE_COLUMNS) {
                sql.append(column).append(" = EXCLUDED.").append(column).append(", ");
            }
            sql.append("updated_at = ").append(NOW).append(" WHERE w.as_of <= EXCLUDED.as_of");
        } else {
            // Left to right, each assignment seeing the ones before it: as_of goes last, so every
            // column compares with the row's old as_of.
            sql.append(" ON DUPLICATE KEY UPDATE updated_at = IF(VALUES(as_of) >= as_of, ")
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
        return sql.toString();
    }

    /** Binds a row to {@link #upsertWeekToDate}. */
    public static void bindWeekToDate(PreparedStatement statement, WeekToDateRow row)
            throws SQLException {
        int i = 0;
        statement.setLong(++i, row.getDeveloperId());
        statement.setObject(++i, LocalDate.parse(row.getWeekStart()));
        statement.setTimestamp(++i, new Timestamp(row.getAsOfMillis()), utc());
        statement.setTimestamp(++i, new Timestamp(row.getWeekStartMillis()), utc());
        statement.setTimestamp(++i, new Timestamp(row.getWeekEndMillis()), utc());
        statement.setLong(++i, row.getTotalCount());
        statement.setLong(++i, row.getFailedCount());
        statement.setLong(++i, row.getConnectErrorCount());
        statement.setLong(++i, row.getTimeoutCount());
        statement.setLong(++i, row.getHttpErrorCount());
        statement.setLong(++i, row.getBadResponseCount());
        statement.setBigDecimal(++i, row.getAvailability());
        statement.setBigDecimal(++i, row.getStandard());
        statement.setBigDecimal(++i, row.getBurnRate1h());
        statement.setBigDecimal(++i, row.getBurnRate6h());
        statement.setBoolean(++i, row.isOnTrack());
    }

    private static void setReason(PreparedStatement statement, int index, FailureReason reason)
            throws SQLException {
        if (reason == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, reason.name());
        }
    }

    private static Calendar utc() {
        return Calendar.getInstance(TimeZone.getTimeZone("UTC"));
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
