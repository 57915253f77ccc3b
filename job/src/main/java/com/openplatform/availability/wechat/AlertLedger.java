package com.openplatform.availability.wechat;

import com.openplatform.availability.config.JdbcOptions;
import com.openplatform.availability.records.AlertKind;
import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.DeliveryStatus;
import com.openplatform.availability.records.FailureReason;
import com.openplatform.availability.records.WarningRule;
import com.openplatform.availability.sinks.JdbcConnections;
import com.openplatform.availability.sinks.ResultStatements;
import com.openplatform.availability.sinks.RowValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;

/**
 * The WeChat rows of the {@code alert_delivery} ledger (docs/reference.md §6), over one plain JDBC
 * connection (not thread-safe: one ledger per thread), with the job's timeouts ({@link
 * JdbcConnections#open}); after an error {@link #reset()} drops the connection and the next call
 * connects again. Every statement of the WeChat committer is here (the writer's batched insert is a
 * {@link com.openplatform.availability.sinks.JdbcBatchWriter}); they are the same on PostgreSQL and
 * MySQL/MariaDB except the insert, which is {@link ResultStatements#insertAlert} ({@code ON
 * CONFLICT DO NOTHING} / {@code ON DUPLICATE KEY}).
 *
 * <p>A row's life: inserted {@code PENDING} when the checkpoint that produced the alert is taken;
 * <em>released</em> ({@code client_msg_id} set) once that checkpoint completed; then each delivery
 * attempt first <em>claims</em> the row by raising {@code attempts} from the value it read and
 * clearing {@code last_error} (a row claimed and not yet recorded is in flight, and nobody else
 * claims it within the lease: two threads or subtasks never send the same row at once) and then
 * records the outcome for that claim: a final status ({@code SENT}, {@code UNREACHABLE}, {@code
 * FAILED}), or still {@code PENDING} with the error when WeChat should be tried again. Rows in a
 * final status are never sent again. {@code PENDING} rows with a {@code client_msg_id} are the ones
 * waiting for WeChat; those without one wait for their checkpoint (or belonged to a checkpoint that
 * never completed).
 */
final class AlertLedger implements AutoCloseable {
    static final int MAX_ERROR_LENGTH = 500;
    private static final int MAX_MSGID_LENGTH = 64;

    private static final String NOW = "CURRENT_TIMESTAMP(3)";
    private static final String KEY =
            " WHERE developer_id = ? AND week_start = ? AND open_id = ? AND channel = ? AND kind = ?";
    private static final String PENDING = " AND status = 'PENDING'";

    private static final String FIND =
            "SELECT status, attempts, client_msg_id FROM alert_delivery" + KEY;

    private static final String RELEASE =
            "UPDATE alert_delivery SET client_msg_id = ?, updated_at = "
                    + NOW
                    + KEY
                    + PENDING
                    + " AND client_msg_id IS NULL";

    /**
     * A claim takes a PENDING row whose attempts are as read and that is not in flight: never
     * attempted, or its last attempt recorded (an error), or claimed so long ago (the lease) that
     * the claimant must have died. The claim clears last_error, which marks the row in flight until
     * the attempt's outcome is recorded. The lease arithmetic is the dialect's.
     */
    private static final String CLAIM =
            "UPDATE alert_delivery SET attempts = attempts + 1, client_msg_id = ?,"
                    + " last_error = NULL, updated_at = "
                    + NOW
                    + KEY
                    + PENDING
                    + " AND attempts = ? AND (attempts = 0 OR last_error IS NOT NULL OR updated_at"
                    + " <= "
                    + NOW
                    + " - %s)";

    private static final String LEASE_POSTGRESQL = "(? * INTERVAL '1 second')";
    private static final String LEASE_MYSQL = "INTERVAL ? SECOND";

    private static final String FINISH_SENT =
            "UPDATE alert_delivery SET status = 'SENT', msgid = ?, last_error = NULL,"
                    + " updated_at = "
                    + NOW
                    + ", sent_at = "
                    + NOW
                    + KEY
                    + PENDING
                    + " AND attempts = ?";

    private static final String FINISH_UNSENT =
            "UPDATE alert_delivery SET status = ?, last_error = ?, updated_at = "
                    + NOW
                    + KEY
                    + PENDING
                    + " AND attempts = ?";

    private static final String KEEP_PENDING =
            "UPDATE alert_delivery SET last_error = ?, updated_at = "
                    + NOW
                    + KEY
                    + PENDING
                    + " AND attempts = ?";

    private static final String RELEASED =
            "SELECT developer_id, week_start, open_id, role, account_type, availability, standard,"
                    + " total_count, failed_count, main_failure_reason, attempts, kind, rule, as_of,"
                    + " window_availability"
                    + " FROM alert_delivery WHERE channel = ?"
                    + PENDING
                    + " AND client_msg_id IS NOT NULL AND MOD(developer_id, ?) = ?";

    /** What the ledger says about one alert. */
    record Row(DeliveryStatus status, int attempts, String clientMsgId) {
        boolean isPending() {
            return status == DeliveryStatus.PENDING;
        }
    }

    /** A released, still PENDING alert, rebuilt from its row. */
    record Released(AlertRequest alert, int attempts) {}

    private final JdbcOptions jdbc;
    private final String insert;
    private final String claim;
    private final long leaseSeconds;
    private Connection connection;

    /**
     * @param lease how long a claimed attempt may take at most: after that, a row still in flight
     *     is taken as abandoned and may be claimed again
     */
    AlertLedger(JdbcOptions jdbc, Duration lease) {
        this.jdbc = jdbc;
        this.insert = ResultStatements.insertAlert(jdbc.dialect()).sql();
        this.claim =
                String.format(
                        CLAIM,
                        jdbc.dialect() == JdbcOptions.Dialect.POSTGRESQL
                                ? LEASE_POSTGRESQL
                                : LEASE_MYSQL);
        this.leaseSeconds = Math.max(1, lease.toSeconds());
    }

    /** Inserts the alert's row if it has none; an existing row stays as it is. */
    void recordIfMissing(AlertRequest alert) throws SQLException {
        try (PreparedStatement statement = connection().prepareStatement(insert)) {
            ResultStatements.bindAlert(RowValues.of(statement), alert);
            statement.executeUpdate();
        }
    }

    /** The alert's row, or null if there is none. */
    Row find(AlertRequest alert) throws SQLException {
        try (PreparedStatement statement = connection().prepareStatement(FIND)) {
            bindKey(statement, 1, alert);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return null;
                }
                return new Row(
                        DeliveryStatus.valueOf(rows.getString(1)),
                        rows.getInt(2),
                        rows.getString(3));
            }
        }
    }

    /** Marks a PENDING alert as released for delivery; says whether it was not released before. */
    boolean release(AlertRequest alert, String clientMsgId) throws SQLException {
        try (PreparedStatement statement = connection().prepareStatement(RELEASE)) {
            statement.setString(1, clientMsgId);
            bindKey(statement, 2, alert);
            return statement.executeUpdate() == 1;
        }
    }

    /**
     * Claims the next delivery attempt of a PENDING alert whose attempts were {@code seenAttempts};
     * false if another attempt changed the row since it was read.
     */
    boolean claim(AlertRequest alert, String clientMsgId, int seenAttempts) throws SQLException {
        try (PreparedStatement statement = connection().prepareStatement(claim)) {
            statement.setString(1, clientMsgId);
            int next = bindKey(statement, 2, alert);
            statement.setInt(next++, seenAttempts);
            statement.setLong(next, leaseSeconds);
            return statement.executeUpdate() == 1;
        }
    }

    /**
     * Records the outcome of the claimed attempt number {@code attempts}: a final status, or the
     * error of a retryable failure with the row left PENDING. False if the row moved on meanwhile.
     */
    boolean finish(AlertRequest alert, int attempts, SendResult result) throws SQLException {
        SendResult.Outcome outcome = result.outcome();
        String sql =
                outcome == SendResult.Outcome.SENT
                        ? FINISH_SENT
                        : outcome == SendResult.Outcome.RETRYABLE ? KEEP_PENDING : FINISH_UNSENT;
        try (PreparedStatement statement = connection().prepareStatement(sql)) {
            int i = 1;
            if (outcome == SendResult.Outcome.SENT) {
                statement.setString(i++, cut(result.msgid(), MAX_MSGID_LENGTH));
            } else {
                if (outcome != SendResult.Outcome.RETRYABLE) {
                    statement.setString(
                            i++,
                            outcome == SendResult.Outcome.UNREACHABLE
                                    ? DeliveryStatus.UNREACHABLE.name()
                                    : DeliveryStatus.FAILED.name());
                }
                // Never null: a recorded error is what ends the attempt's flight (see CLAIM).
                String error = result.error() == null ? outcome.name() : result.error();
                statement.setString(i++, cut(error, MAX_ERROR_LENGTH));
            }
            i = bindKey(statement, i, alert);
            statement.setInt(i, attempts);
            return statement.executeUpdate() == 1;
        }
    }

    /**
     * The released PENDING alerts of the developerIds with {@code developerId % modulus == rest}.
     */
    List<Released> released(int modulus, int rest) throws SQLException {
        List<Released> released = new ArrayList<>();
        try (PreparedStatement statement = connection().prepareStatement(RELEASED)) {
            statement.setString(1, ResultStatements.CHANNEL_WECHAT);
            statement.setInt(2, modulus);
            statement.setInt(3, rest);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    AlertRequest alert = new AlertRequest();
                    alert.setDeveloperId(rows.getLong(1));
                    alert.setWeekStart(rows.getObject(2, LocalDate.class).toString());
                    alert.setOpenId(rows.getString(3));
                    alert.setRole(rows.getString(4));
                    alert.setAccountType(rows.getString(5));
                    alert.setAvailability(rows.getBigDecimal(6));
                    alert.setStandard(rows.getBigDecimal(7));
                    alert.setTotalCount(rows.getLong(8));
                    alert.setFailedCount(rows.getLong(9));
                    String reason = rows.getString(10);
                    alert.setMainFailureReason(
                            reason == null ? null : FailureReason.valueOf(reason));
                    alert.setStatus(DeliveryStatus.PENDING);
                    alert.setKind(AlertKind.valueOf(rows.getString(12)));
                    String rule = rows.getString(13);
                    alert.setRule(rule == null ? null : WarningRule.valueOf(rule));
                    Timestamp asOf = rows.getTimestamp(14, utc());
                    alert.setAsOfMillis(asOf == null ? 0 : asOf.getTime());
                    alert.setWindowAvailability(rows.getBigDecimal(15));
                    released.add(new Released(alert, rows.getInt(11)));
                }
            }
        }
        return released;
    }

    private static int bindKey(PreparedStatement statement, int first, AlertRequest alert)
            throws SQLException {
        int i = first;
        statement.setLong(i++, alert.getDeveloperId());
        statement.setObject(i++, LocalDate.parse(alert.getWeekStart()));
        statement.setString(i++, alert.getOpenId());
        statement.setString(i++, ResultStatements.CHANNEL_WECHAT);
        statement.setString(i++, alert.kind().name());
        return i;
    }

    static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }

    private static Calendar utc() {
        return Calendar.getInstance(TimeZone.getTimeZone("UTC"));
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = JdbcConnections.open(jdbc);
        }
        return connection;
    }

    /** Drops the connection after an error; the next call connects again. */
    void reset() {
        close();
    }

    @Override
    public void close() {
        JdbcConnections.closeQuietly(connection);
        connection = null;
    }
}
