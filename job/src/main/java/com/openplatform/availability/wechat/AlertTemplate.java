package com.openplatform.availability.wechat;

import com.openplatform.availability.config.WechatOptions;
import com.openplatform.availability.records.AlertKind;
import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.FailureReason;
import com.openplatform.availability.records.WarningRule;
import com.openplatform.availability.records.WechatBinding;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns an alert into the template message for its openId: the template of the binding's account
 * type, the configured data keys with values of at most {@value #MAX_VALUE_LENGTH} characters (the
 * limit of the 2023+ {@code thing}/{@code time} keys), and a {@code client_msg_id} that is the same
 * whenever the same (developerId, week, openId) is sent, so WeChat drops a resend.
 */
public final class AlertTemplate implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int MAX_VALUE_LENGTH = 20;

    /** WeChat accepts client_msg_id of up to 32 characters. */
    static final int CLIENT_MSG_ID_LENGTH = 32;

    private static final DateTimeFormatter WEEK_START = DateTimeFormatter.ofPattern("yyyy年MM月dd日");
    private static final DateTimeFormatter WEEK_END = DateTimeFormatter.ofPattern("MM月dd日");
    private static final DateTimeFormatter WORST_HOUR = DateTimeFormatter.ofPattern("MM-dd HH:mm");

    private static final DateTimeFormatter AS_OF = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final String templateId;
    private final String brandTemplateId;
    private final String warningTemplateId;
    private final String url;
    private final LinkedHashMap<String, String> dataKeys;
    private final LinkedHashMap<String, String> warningDataKeys;
    private final ZoneId zone;

    public AlertTemplate(WechatOptions options) {
        this.templateId = options.templateId();
        this.brandTemplateId = options.brandTemplateId();
        this.warningTemplateId = options.warningTemplateId();
        this.url = options.url();
        this.dataKeys = new LinkedHashMap<>(options.dataKeys());
        this.warningDataKeys = new LinkedHashMap<>(options.warningDataKeys());
        this.zone = options.zone();
    }

    public TemplateMessage render(AlertRequest alert) {
        Map<String, String> data = new LinkedHashMap<>();
        Map<String, String> keys = alert.isWarning() ? warningDataKeys : dataKeys;
        for (Map.Entry<String, String> key : keys.entrySet()) {
            data.put(key.getValue(), cut(value(key.getKey(), alert)));
        }
        return new TemplateMessage(
                alert.getOpenId(),
                alert.isWarning() ? warningTemplateId : templateFor(alert.getAccountType()),
                url == null
                        ? null
                        : url.replace("{developerId}", Long.toString(alert.getDeveloperId()))
                                .replace("{week}", alert.getWeekStart()),
                clientMsgId(alert),
                data);
    }

    /**
     * The idempotency key of the alert: of (developerId, week, openId) for a breach, as before
     * warnings existed, and of (developerId, week, openId, WARNING) for a warning.
     */
    public static String clientMsgId(AlertRequest alert) {
        String openId =
                alert.isWarning()
                        ? alert.getOpenId() + "/" + AlertKind.WARNING.name()
                        : alert.getOpenId();
        return clientMsgId(alert.getDeveloperId(), alert.getWeekStart(), openId);
    }

    /** The brand template for chain-brand accounts when one is configured, else the ISV one. */
    String templateFor(String accountType) {
        return WechatBinding.ACCOUNT_TYPE_BRAND.equals(accountType) && brandTemplateId != null
                ? brandTemplateId
                : templateId;
    }

    /** The idempotency key of (developerId, week, openId): 32 hex digits of its SHA-256. */
    public static String clientMsgId(long developerId, String weekStart, String openId) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(
                                    (developerId + "/" + weekStart + "/" + openId)
                                            .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, CLIENT_MSG_ID_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** The first {@value #MAX_VALUE_LENGTH} characters (code points) of {@code value}. */
    static String cut(String value) {
        if (value.codePointCount(0, value.length()) <= MAX_VALUE_LENGTH) {
            return value;
        }
        return value.substring(0, value.offsetByCodePoints(0, MAX_VALUE_LENGTH));
    }

    private String value(String field, AlertRequest alert) {
        switch (field) {
            case WechatOptions.FIELD_SUMMARY:
                return "开发者"
                        + alert.getDeveloperId()
                        + (alert.isWarning() ? "回调可用率预警" : "回调可用率未达标");
            case WechatOptions.FIELD_RULE:
                return rule(alert.getRule());
            case WechatOptions.FIELD_WINDOW_AVAILABILITY:
                return availability(alert.getWindowAvailability());
            case WechatOptions.FIELD_AS_OF:
                return AS_OF.format(Instant.ofEpochMilli(alert.getAsOfMillis()).atZone(zone));
            case WechatOptions.FIELD_WEEK:
                LocalDate monday = LocalDate.parse(alert.getWeekStart());
                return WEEK_START.format(monday) + "~" + WEEK_END.format(monday.plusDays(6));
            case WechatOptions.FIELD_AVAILABILITY:
                return availability(alert.getAvailability());
            case WechatOptions.FIELD_STANDARD:
                return percent(alert.getStandard()).stripTrailingZeros().toPlainString() + "%";
            case WechatOptions.FIELD_TOTAL:
                return Long.toString(alert.getTotalCount());
            case WechatOptions.FIELD_FAILED:
                return Long.toString(alert.getFailedCount());
            case WechatOptions.FIELD_REASON:
                return reason(alert.getMainFailureReason());
            case WechatOptions.FIELD_WORST_HOUR:
                return worstHour(alert);
            default:
                throw new IllegalArgumentException("Unknown template field " + field);
        }
    }

    /** "11-18 10:00 37/120": the local start of the hour, its failed and all callbacks. */
    private static String worstHour(AlertRequest alert) {
        if (alert.getWorstHourStart() == null) {
            return "无";
        }
        return WORST_HOUR.format(LocalDateTime.parse(alert.getWorstHourStart()))
                + " "
                + alert.getWorstHourFailed()
                + "/"
                + alert.getWorstHourTotal();
    }

    /** Rounded down, so a breach never shows as meeting the standard. */
    private static String availability(BigDecimal ratio) {
        if (ratio == null) {
            return "无";
        }
        return percent(ratio).setScale(2, RoundingMode.DOWN).toPlainString() + "%";
    }

    private static String rule(WarningRule rule) {
        if (rule == null) {
            return "无";
        }
        switch (rule) {
            case FAST_BURN:
                return "近1小时失败率过高";
            case SLOW_BURN:
                return "近6小时失败率过高";
            default:
                return "本周错误预算已耗尽";
        }
    }

    private static BigDecimal percent(BigDecimal ratio) {
        return ratio.movePointRight(2);
    }

    private static String reason(FailureReason reason) {
        if (reason == null) {
            return "无";
        }
        switch (reason) {
            case CONNECT_ERROR:
                return "主要失败原因:连接失败";
            case TIMEOUT:
                return "主要失败原因:响应超时";
            case HTTP_ERROR:
                return "主要失败原因:HTTP状态码非200";
            default:
                return "主要失败原因:应答内容不符";
        }
    }
}
