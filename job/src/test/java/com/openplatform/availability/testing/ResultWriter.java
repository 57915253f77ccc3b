package com.openplatform.availability.testing;

import com.openplatform.availability.config.JdbcOptions;
import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.FailureReason;
import com.openplatform.availability.records.WechatBinding;
import com.openplatform.availability.records.WeekToDateRow;
import com.openplatform.availability.records.WeeklyCounts;
import com.openplatform.availability.records.WeeklyResult;
import com.openplatform.availability.sinks.ResultStatements;
import com.openplatform.availability.sinks.RowValues;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * Writes results with the statements and bindings of the job's JDBC sinks, one batch per call, as
 * the sinks do, without a Flink job around them.
 */
public final class ResultWriter {
    private final JdbcOptions jdbc;

    public ResultWriter(JdbcOptions jdbc) {
        this.jdbc = jdbc;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbc.connectionUrl(), jdbc.user(), jdbc.password());
    }

    public void weeks(WeeklyResult... results) throws SQLException {
        try (Connection c = connect();
                PreparedStatement s =
                        c.prepareStatement(
                                ResultStatements.upsertWeeklyAvailability(jdbc.dialect()).sql())) {
            for (WeeklyResult result : results) {
                ResultStatements.bindWeekly(RowValues.of(s), result);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    public void weekToDate(WeekToDateRow... rows) throws SQLException {
        try (Connection c = connect();
                PreparedStatement s =
                        c.prepareStatement(
                                ResultStatements.upsertWeekToDate(jdbc.dialect()).sql())) {
            for (WeekToDateRow row : rows) {
                ResultStatements.bindWeekToDate(RowValues.of(s), row);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    public void alerts(List<AlertRequest> alerts) throws SQLException {
        try (Connection c = connect();
                PreparedStatement s =
                        c.prepareStatement(ResultStatements.insertAlert(jdbc.dialect()).sql())) {
            for (AlertRequest alert : alerts) {
                ResultStatements.bindAlert(RowValues.of(s), alert);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /**
     * A judged week: {@code valid} valid callbacks of type order.push, plus {@code failures[i]}
     * failures of {@code FailureReason.values()[i]} spread over order.push and order.cancel.
     */
    public static WeeklyResult week(
            long developerId,
            LocalDate monday,
            ZoneId zone,
            String standard,
            int valid,
            int... failures) {
        WeeklyCounts counts =
                new WeeklyCounts(
                        developerId,
                        monday.atStartOfDay(zone).toInstant().toEpochMilli(),
                        monday.plusWeeks(1).atStartOfDay(zone).toInstant().toEpochMilli());
        for (int i = 0; i < valid; i++) {
            counts.count("order.push", null);
        }
        for (int r = 0; r < failures.length; r++) {
            for (int i = 0; i < failures[r]; i++) {
                counts.count(i % 2 == 0 ? "order.cancel" : "order.push", FailureReason.values()[r]);
            }
        }
        return WeeklyResult.judge(counts, monday.toString(), new BigDecimal(standard));
    }

    /** The alert for a breached week to one openId (PENDING), or to nobody (NO_RECIPIENT). */
    public static AlertRequest alert(WeeklyResult breach, String openId) {
        WechatBinding binding = null;
        if (openId != null) {
            binding = new WechatBinding();
            binding.setDeveloperId(breach.developerId());
            binding.setOpenId(openId);
            binding.setRole("primary");
            binding.setBound(true);
        }
        return AlertRequest.forBreach(breach, binding, ZoneId.of("Asia/Shanghai"));
    }
}
