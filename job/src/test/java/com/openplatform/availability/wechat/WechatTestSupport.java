package com.openplatform.availability.wechat;

import com.openplatform.availability.config.JdbcOptions;
import com.openplatform.availability.config.JobConfig;
import com.openplatform.availability.config.WechatOptions;
import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.DeliveryStatus;
import com.openplatform.availability.records.FailureReason;
import com.openplatform.availability.records.WechatBinding;
import com.openplatform.availability.testkit.WechatSimulator;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/** The WeChat app, alerts and ledger reads the WeChat tests share. */
final class WechatTestSupport {
    static final String APP_ID = "wx5f3c0ffee0000001";

    /** Distinctive, so that a leak anywhere is found by a plain substring search. */
    static final String APP_SECRET = "S3CRET-d0-n0t-l3ak-7f1e";

    static final String ISV_TEMPLATE = "tpl-isv-availability";
    static final String BRAND_TEMPLATE = "tpl-brand-availability";
    static final String WEEK = "2026-11-02";

    private WechatTestSupport() {}

    static WechatSimulator simulator() throws Exception {
        return new WechatSimulator(APP_ID, APP_SECRET).start();
    }

    /** The WeChat options of a job sending to {@code simulator}, as the flags would give them. */
    static WechatOptions options(
            WechatSimulator simulator, UnaryOperator<JobConfig.Builder> tweak) {
        JobConfig.Builder builder =
                JobConfig.builder()
                        .eventsFile("unused-events.ndjson")
                        .standardsFile("unused-standards.ndjson")
                        .bindingsFile("unused-bindings.ndjson")
                        .dlqFile("unused-dlq.ndjson")
                        .jdbcUrl("jdbc:postgresql://127.0.0.1:1/unused")
                        .wechatApiBaseUrl(simulator.baseUrl())
                        .wechatAppId(APP_ID)
                        .wechatAppSecret(APP_SECRET)
                        .wechatTemplateId(ISV_TEMPLATE)
                        .wechatBrandTemplateId(BRAND_TEMPLATE)
                        .wechatSendRate(1_000)
                        .wechatRequestTimeout(Duration.ofSeconds(2))
                        .wechatRetryMaxBackoff(Duration.ofSeconds(1));
        return tweak.apply(builder).build().wechat();
    }

    static WechatOptions options(WechatSimulator simulator) {
        return options(simulator, b -> b);
    }

    /** A breach of {@link #WEEK} for {@code openId}: 980 valid of 1000 against 0.995. */
    static AlertRequest alert(long developerId, String openId) {
        return alert(developerId, WEEK, openId);
    }

    static AlertRequest alert(long developerId, String weekStart, String openId) {
        AlertRequest alert = new AlertRequest();
        alert.setDeveloperId(developerId);
        alert.setWeekStart(weekStart);
        alert.setWeekStartMillis(LocalDate.parse(weekStart).toEpochDay() * 86_400_000L);
        alert.setWeekEndMillis(alert.getWeekStartMillis() + 7 * 86_400_000L);
        alert.setOpenId(openId);
        alert.setRole("primary");
        alert.setAccountType(WechatBinding.ACCOUNT_TYPE_ISV);
        alert.setStatus(DeliveryStatus.PENDING);
        alert.setAvailability(new BigDecimal("0.9800000000"));
        alert.setStandard(new BigDecimal("0.9950000000"));
        alert.setTotalCount(1000);
        alert.setFailedCount(20);
        alert.setMainFailureReason(FailureReason.TIMEOUT);
        return alert;
    }

    /** A breach with no bound openId. */
    static AlertRequest noRecipient(long developerId) {
        AlertRequest alert = alert(developerId, AlertRequest.NO_OPEN_ID);
        alert.setRole(null);
        alert.setAccountType(null);
        alert.setStatus(DeliveryStatus.NO_RECIPIENT);
        return alert;
    }

    /** One alert_delivery row, as ops would read it. */
    record LedgerRow(
            String status,
            int attempts,
            String msgid,
            String clientMsgId,
            String lastError,
            Timestamp sentAt) {}

    static LedgerRow ledgerRow(JdbcOptions jdbc, AlertRequest alert) throws SQLException {
        try (Connection c =
                        DriverManager.getConnection(
                                jdbc.connectionUrl(), jdbc.user(), jdbc.password());
                PreparedStatement s =
                        c.prepareStatement(
                                "SELECT status, attempts, msgid, client_msg_id, last_error, sent_at"
                                        + " FROM alert_delivery WHERE developer_id = ? AND"
                                        + " week_start = ? AND open_id = ? AND channel = 'wechat'"
                                        + " AND kind = ?")) {
            s.setLong(1, alert.getDeveloperId());
            s.setObject(2, LocalDate.parse(alert.getWeekStart()));
            s.setString(3, alert.getOpenId());
            s.setString(4, alert.kind().name());
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                return new LedgerRow(
                        r.getString(1),
                        r.getInt(2),
                        r.getString(3),
                        r.getString(4),
                        r.getString(5),
                        r.getTimestamp(6));
            }
        }
    }

    static String status(JdbcOptions jdbc, AlertRequest alert) throws SQLException {
        LedgerRow row = ledgerRow(jdbc, alert);
        return row == null ? null : row.status();
    }

    /** Waits until {@code condition} holds; false if it did not within {@code timeout}. */
    static boolean eventually(Duration timeout, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** A condition that may throw, for {@link #eventually}. */
    interface Check {
        boolean holds() throws Exception;
    }

    static BooleanSupplier unchecked(Check check) {
        return () -> {
            try {
                return check.holds();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
