package com.openplatform.availability.config;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The WeChat Official Account the alerts are sent from. Without an app id, alerts are only logged
 * and recorded as SKIPPED. The app secret never shows in {@link #toString()}.
 */
public final class WechatOptions implements Serializable {
    private static final long serialVersionUID = 2L;

    public static final String DEFAULT_API_BASE_URL = "https://api.weixin.qq.com";

    /** What an alert shows, each carried by one template data key (docs/reference.md §7). */
    public static final String FIELD_SUMMARY = "summary";

    public static final String FIELD_WEEK = "week";
    public static final String FIELD_AVAILABILITY = "availability";
    public static final String FIELD_STANDARD = "standard";
    public static final String FIELD_TOTAL = "total";
    public static final String FIELD_FAILED = "failed";
    public static final String FIELD_REASON = "reason";

    /** The hour with most failures, e.g. {@code 11-18 10:00 37/120}; in no default template. */
    public static final String FIELD_WORST_HOUR = "worst_hour";

    public static final List<String> FIELDS =
            List.of(
                    FIELD_SUMMARY,
                    FIELD_WEEK,
                    FIELD_AVAILABILITY,
                    FIELD_STANDARD,
                    FIELD_TOTAL,
                    FIELD_FAILED,
                    FIELD_REASON,
                    FIELD_WORST_HOUR);

    /** The rule of a warning, in words. */
    public static final String FIELD_RULE = "rule";

    /** The availability over the warning rule's window. */
    public static final String FIELD_WINDOW_AVAILABILITY = "window_availability";

    /** The hour boundary a warning was evaluated at, local time. */
    public static final String FIELD_AS_OF = "as_of";

    /** The fields of the warning template; availability is the week's so far. */
    public static final List<String> WARNING_FIELDS =
            List.of(
                    FIELD_SUMMARY,
                    FIELD_WEEK,
                    FIELD_RULE,
                    FIELD_WINDOW_AVAILABILITY,
                    FIELD_AVAILABILITY,
                    FIELD_STANDARD,
                    FIELD_AS_OF,
                    FIELD_TOTAL,
                    FIELD_FAILED,
                    FIELD_REASON);

    /** The default field-to-key mapping of the warning template. */
    public static final String DEFAULT_WARNING_DATA_KEYS =
            "summary=thing1,week=time2,rule=thing3,window_availability=character_string4,"
                    + "availability=character_string5,standard=character_string6,as_of=time7";

    /** The default field-to-key mapping, for a template of the 2023+ keyword kinds. */
    public static final String DEFAULT_DATA_KEYS =
            "summary=thing1,week=time2,availability=character_string3,standard=character_string4,"
                    + "reason=thing5,total=number6,failed=number7";

    private static final Pattern DATA_KEY = Pattern.compile("[a-z][a-z_]*[0-9]+");

    private final String apiBaseUrl;
    private final String appId;
    private final String appSecret;
    private final String templateId;
    private final String brandTemplateId;
    private final String warningTemplateId;
    private final String url;
    private final double sendRate;
    private final LinkedHashMap<String, String> dataKeys;
    private final LinkedHashMap<String, String> warningDataKeys;
    private final Duration requestTimeout;
    private final int maxAttempts;
    private final Duration retryMaxBackoff;
    private final Duration drainTimeout;
    private final ZoneId zone;

    WechatOptions(
            String apiBaseUrl,
            String appId,
            String appSecret,
            String templateId,
            String brandTemplateId,
            String warningTemplateId,
            String url,
            double sendRate,
            String dataKeys,
            String warningDataKeys,
            Duration requestTimeout,
            int maxAttempts,
            Duration retryMaxBackoff,
            Duration drainTimeout,
            ZoneId zone) {
        this.zone = zone;
        this.apiBaseUrl = apiBaseUrl;
        this.appId = appId;
        this.appSecret = appSecret;
        this.templateId = templateId;
        this.brandTemplateId = brandTemplateId;
        this.warningTemplateId = warningTemplateId;
        this.url = url;
        this.sendRate = sendRate;
        this.dataKeys = parseDataKeys("wechat.data-keys", dataKeys, FIELDS);
        this.warningDataKeys =
                parseDataKeys("wechat.warning-data-keys", warningDataKeys, WARNING_FIELDS);
        this.requestTimeout = requestTimeout;
        this.maxAttempts = maxAttempts;
        this.retryMaxBackoff = retryMaxBackoff;
        this.drainTimeout = drainTimeout;
        requireHttpUrl("wechat.api-base-url", apiBaseUrl);
        if (url != null) {
            requireHttpUrl(
                    "wechat.url",
                    url.replace("{developerId}", "100234").replace("{week}", "2026-11-02"));
        }
        if (appId != null && (appSecret == null || appSecret.isEmpty())) {
            throw new ConfigException(
                    "--wechat.app-id needs --wechat.app-secret or "
                            + JobConfig.ENV_WECHAT_APP_SECRET);
        }
        if (appId != null && templateId == null) {
            throw new ConfigException("--wechat.app-id needs --wechat.template-id");
        }
        if (!(sendRate > 0) || Double.isInfinite(sendRate)) {
            throw new ConfigException(
                    "--wechat.send-rate must be a positive number of messages per second");
        }
        if (requestTimeout.isZero() || requestTimeout.isNegative()) {
            throw new ConfigException("--wechat.request-timeout must be positive");
        }
        if (maxAttempts < 1) {
            throw new ConfigException("--wechat.max-attempts must be at least 1");
        }
        if (retryMaxBackoff.isZero() || retryMaxBackoff.isNegative()) {
            throw new ConfigException("--wechat.retry-max-backoff must be positive");
        }
        if (drainTimeout.isNegative()) {
            throw new ConfigException("--wechat.drain-timeout must not be negative");
        }
    }

    private static void requireHttpUrl(String flag, String value) {
        try {
            URI uri = new URI(value);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new ConfigException("--" + flag + " must be an http(s) URL, found " + value);
            }
        } catch (URISyntaxException e) {
            throw new ConfigException("--" + flag + " is not a URL: " + value);
        }
    }

    /** Parses {@code field=key,…}, e.g. {@code week=time2,availability=character_string3}. */
    static LinkedHashMap<String, String> parseDataKeys(
            String flag, String value, List<String> fields) {
        LinkedHashMap<String, String> keys = new LinkedHashMap<>();
        for (String entry : value.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(
                        "Invalid value for --"
                                + flag
                                + ": '"
                                + trimmed
                                + "' is not field=key (e.g. week=time2)");
            }
            String field = trimmed.substring(0, eq).trim();
            String key = trimmed.substring(eq + 1).trim();
            if (!fields.contains(field)) {
                throw new ConfigException(
                        "Invalid value for --"
                                + flag
                                + ": unknown field '"
                                + field
                                + "'; fields: "
                                + String.join(", ", fields));
            }
            if (!DATA_KEY.matcher(key).matches()) {
                throw new ConfigException(
                        "Invalid value for --"
                                + flag
                                + ": '"
                                + key
                                + "' is not a template key like thing1 or character_string3");
            }
            if (keys.containsKey(field)) {
                throw new ConfigException(
                        "Invalid value for --" + flag + ": field '" + field + "' given twice");
            }
            if (keys.containsValue(key)) {
                throw new ConfigException(
                        "Invalid value for --" + flag + ": key '" + key + "' used twice");
            }
            keys.put(field, key);
        }
        if (keys.isEmpty()) {
            throw new ConfigException("--" + flag + " must map at least one field");
        }
        return keys;
    }

    public boolean isConfigured() {
        return appId != null;
    }

    public String apiBaseUrl() {
        return apiBaseUrl;
    }

    public String appId() {
        return appId;
    }

    public String appSecret() {
        return appSecret;
    }

    /** The template of alerts to ISV developer accounts, and of any account type without one. */
    public String templateId() {
        return templateId;
    }

    /** The template of alerts to chain-brand accounts; null to use {@link #templateId()}. */
    public String brandTemplateId() {
        return brandTemplateId;
    }

    /** The template of early warnings; null when warnings are only recorded (SKIPPED). */
    public String warningTemplateId() {
        return warningTemplateId;
    }

    /** Whether warnings can be sent: an app and a warning template are configured. */
    public boolean sendsWarnings() {
        return isConfigured() && warningTemplateId != null;
    }

    /** Which warning template data key carries which field ({@link #WARNING_FIELDS}), in order. */
    public Map<String, String> warningDataKeys() {
        return Collections.unmodifiableMap(warningDataKeys);
    }

    /** The page the message links to, with {developerId} and {week} filled in; may be null. */
    public String url() {
        return url;
    }

    /** Messages per second, for the whole job. */
    public double sendRate() {
        return sendRate;
    }

    /** Which template data key carries which field ({@link #FIELDS}), in order. */
    public Map<String, String> dataKeys() {
        return Collections.unmodifiableMap(dataKeys);
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** HTTP requests per delivery attempt before a retryable failure is given up for now. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** The longest wait between two delivery attempts of an alert WeChat could not take. */
    public Duration retryMaxBackoff() {
        return retryMaxBackoff;
    }

    /** How long a bounded (file mode) job waits at its end for alerts WeChat could not take. */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    /** The week zone, in which messages show times. */
    public ZoneId zone() {
        return zone;
    }

    @Override
    public String toString() {
        return isConfigured()
                ? "WechatOptions{apiBaseUrl="
                        + apiBaseUrl
                        + ", appId="
                        + appId
                        + ", appSecret=***, templateId="
                        + templateId
                        + ", brandTemplateId="
                        + brandTemplateId
                        + ", warningTemplateId="
                        + warningTemplateId
                        + ", url="
                        + url
                        + ", sendRate="
                        + sendRate
                        + ", dataKeys="
                        + dataKeys
                        + ", warningDataKeys="
                        + warningDataKeys
                        + ", requestTimeout="
                        + requestTimeout
                        + ", maxAttempts="
                        + maxAttempts
                        + ", retryMaxBackoff="
                        + retryMaxBackoff
                        + ", drainTimeout="
                        + drainTimeout
                        + '}'
                : "WechatOptions{not configured: alerts are recorded as SKIPPED}";
    }
}
