package com.openplatform.availability.config;

import com.openplatform.availability.records.WeeklyResult;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.util.TimeUtils;

/**
 * The job's configuration (docs/reference.md §9 flags): immutable and validated, built from {@code
 * --key value} program arguments and, for secrets, environment variables. Secrets never show in
 * {@link #toString()}.
 */
public final class JobConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String ENV_JDBC_PASSWORD = "JDBC_PASSWORD";
    public static final String ENV_WECHAT_APP_SECRET = "WECHAT_APP_SECRET";

    /** Durations become milliseconds in event-time arithmetic: keep them far from overflow. */
    private static final Duration MAX_DURATION = Duration.ofDays(365);

    /** Weeks a judged week is held for re-judgement after it ends (docs/reference.md §2). */
    public static final int HOLD_WEEKS = 8;

    private final String kafkaBootstrapServers;
    private final String kafkaGroupId;
    private final KafkaStartFrom kafkaStartFrom;
    private final boolean kafkaStopAtLatest;
    private final String topicEvents;
    private final String topicStandards;
    private final String topicBindings;
    private final String topicDeadLetter;
    private final String eventsFile;
    private final String standardsFile;
    private final String bindingsFile;
    private final String dlqFile;
    private final JdbcOptions jdbc;
    private final ZoneId weekZone;
    private final Duration callbackTimeout;
    private final BigDecimal standardDefault;
    private final Duration watermarkOutOfOrderness;
    private final Duration watermarkIdleTimeout;
    private final Duration allowedLateness;
    private final Duration eventMaxFuture;
    private final int preAggregationMaxEntries;
    private final WarningOptions warning;
    private final WechatOptions wechat;

    private JobConfig(Builder b) {
        kafkaBootstrapServers = b.kafkaBootstrapServers;
        kafkaGroupId = b.kafkaGroupId;
        if (b.kafkaStartFrom != null && b.kafkaBootstrapServers == null) {
            throw new ConfigException("--kafka.start-from needs --kafka.bootstrap-servers");
        }
        kafkaStartFrom = b.kafkaStartFrom == null ? KafkaStartFrom.COMMITTED : b.kafkaStartFrom;
        if (b.kafkaStopAtLatest && b.kafkaBootstrapServers == null) {
            throw new ConfigException("--kafka.stop-at-latest needs --kafka.bootstrap-servers");
        }
        kafkaStopAtLatest = b.kafkaStopAtLatest;
        topicEvents = b.topicEvents;
        topicStandards = b.topicStandards;
        topicBindings = b.topicBindings;
        topicDeadLetter = b.topicDeadLetter;
        eventsFile = b.eventsFile;
        standardsFile = b.standardsFile;
        bindingsFile = b.bindingsFile;
        dlqFile = b.dlqFile;
        weekZone = b.weekZone;
        callbackTimeout = b.callbackTimeout;
        standardDefault = b.standardDefault;
        watermarkOutOfOrderness = b.watermarkOutOfOrderness;
        watermarkIdleTimeout = b.watermarkIdleTimeout;
        allowedLateness = b.allowedLateness;
        eventMaxFuture = b.eventMaxFuture;
        preAggregationMaxEntries = b.preAggregationMaxEntries;
        if (b.jdbcUrl == null) {
            throw new ConfigException("--jdbc.url is required");
        }
        jdbc = new JdbcOptions(b.jdbcUrl, b.jdbcUser, b.jdbcPassword);
        requireAtMostAYear("warning.max-age", b.warningMaxAge);
        warning =
                new WarningOptions(
                        b.warningEnabled,
                        b.warningFastBurnRate,
                        b.warningSlowBurnRate,
                        b.warningMinCallbacks,
                        b.warningMaxAge);
        wechat =
                new WechatOptions(
                        b.wechatApiBaseUrl,
                        b.wechatAppId,
                        b.wechatAppSecret,
                        b.wechatTemplateId,
                        b.wechatBrandTemplateId,
                        b.wechatWarningTemplateId,
                        b.wechatUrl,
                        b.wechatSendRate,
                        b.wechatDataKeys,
                        b.wechatWarningDataKeys,
                        b.wechatRequestTimeout,
                        b.wechatMaxAttempts,
                        b.wechatRetryMaxBackoff,
                        b.wechatDrainTimeout,
                        b.weekZone);
        validate();
    }

    private void validate() {
        if (kafkaBootstrapServers != null) {
            if (eventsFile != null || standardsFile != null || bindingsFile != null) {
                throw new ConfigException(
                        "--kafka.bootstrap-servers and --events.file/--standards.file/"
                                + "--bindings.file exclude each other: choose Kafka or files");
            }
        } else {
            requireFile("events.file", eventsFile);
            requireFile("standards.file", standardsFile);
            requireFile("bindings.file", bindingsFile);
            if (dlqFile == null) {
                throw new ConfigException(
                        "--dlq.file is required in file mode: rejected lines are written there");
            }
        }
        requireAtMostAYear("callback.timeout", callbackTimeout);
        requireAtMostAYear("watermark.out-of-orderness", watermarkOutOfOrderness);
        requireAtMostAYear("watermark.idle-timeout", watermarkIdleTimeout);
        requireAtMostAYear("event.max-future", eventMaxFuture);
        if (callbackTimeout.isZero() || callbackTimeout.isNegative()) {
            throw new ConfigException("--callback.timeout must be positive");
        }
        if (watermarkOutOfOrderness.isNegative()) {
            throw new ConfigException("--watermark.out-of-orderness must not be negative");
        }
        if (watermarkIdleTimeout.isNegative()) {
            throw new ConfigException("--watermark.idle-timeout must not be negative");
        }
        if (eventMaxFuture.isNegative()) {
            throw new ConfigException("--event.max-future must not be negative");
        }
        if (allowedLateness.isNegative()) {
            throw new ConfigException("--allowed-lateness must not be negative");
        }
        if (allowedLateness.compareTo(Duration.ofDays(7L * HOLD_WEEKS)) > 0) {
            throw new ConfigException(
                    "--allowed-lateness must not exceed the " + HOLD_WEEKS + "-week re-judge hold");
        }
        if (standardDefault.signum() <= 0 || standardDefault.compareTo(BigDecimal.ONE) > 0) {
            throw new ConfigException("--standard.default must be in (0, 1]");
        }
        if (standardDefault.stripTrailingZeros().scale() > WeeklyResult.AVAILABILITY_SCALE) {
            throw new ConfigException(
                    "--standard.default must have at most "
                            + WeeklyResult.AVAILABILITY_SCALE
                            + " decimal places");
        }
        if (preAggregationMaxEntries < 1) {
            throw new ConfigException("--pre-aggregation.max-entries must be at least 1");
        }
    }

    private static void requireAtMostAYear(String flag, Duration value) {
        if (value.compareTo(MAX_DURATION) > 0) {
            throw new ConfigException("--" + flag + " must be at most 365 days, found " + value);
        }
    }

    private static void requireFile(String flag, String value) {
        if (value == null) {
            throw new ConfigException(
                    "--" + flag + " is required unless --kafka.bootstrap-servers is given");
        }
    }

    /** Whether the arguments ask for the help ({@code --help} or {@code -h}) instead of a run. */
    public static boolean wantsHelp(String[] args) {
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    /** Parses {@code --key value} arguments; secrets may also come from {@code env}. */
    public static JobConfig fromArgs(String[] args, Map<String, String> env) {
        Builder builder = builder();
        builder.jdbcPassword(env.get(ENV_JDBC_PASSWORD));
        builder.wechatAppSecret(env.get(ENV_WECHAT_APP_SECRET));
        Flags.apply(builder, parseFlags(args));
        return builder.build();
    }

    static Map<String, String> parseFlags(String[] args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new ConfigException("Expected a flag like --key value, found '" + arg + "'");
            }
            String key = arg.substring(2);
            if (Flags.find(key) == null) {
                throw new ConfigException("Unknown flag --" + key + " (--help lists the flags)");
            }
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                throw new ConfigException("Flag --" + key + " needs a value");
            }
            if (flags.put(key, args[++i]) != null) {
                throw new ConfigException("Flag --" + key + " is given twice");
            }
        }
        return flags;
    }

    static Duration duration(String flag, String value) {
        try {
            return TimeUtils.parseDuration(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    "Invalid value for --"
                            + flag
                            + ": '"
                            + value
                            + "' (expected e.g. '5 min', '1 d')");
        }
    }

    static ZoneId zone(String flag, String value) {
        try {
            return ZoneId.of(value);
        } catch (DateTimeException e) {
            throw new ConfigException(
                    "Invalid value for --" + flag + ": '" + value + "' is not a time zone id");
        }
    }

    static BigDecimal decimal(String flag, String value) {
        try {
            return new BigDecimal(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(
                    "Invalid value for --" + flag + ": '" + value + "' is not a decimal");
        }
    }

    static boolean bool(String flag, String value) {
        switch (value.trim()) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new ConfigException(
                        "Invalid value for --"
                                + flag
                                + ": '"
                                + value
                                + "' (expected true or false)");
        }
    }

    static int integer(String flag, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(
                    "Invalid value for --" + flag + ": '" + value + "' is not an integer");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean isKafkaMode() {
        return kafkaBootstrapServers != null;
    }

    public String kafkaBootstrapServers() {
        return kafkaBootstrapServers;
    }

    public String kafkaGroupId() {
        return kafkaGroupId;
    }

    /** Where the events topic is read from when the job starts without a checkpoint. */
    public KafkaStartFrom kafkaStartFrom() {
        return kafkaStartFrom;
    }

    /**
     * Bounded Kafka mode ({@code --kafka.stop-at-latest true}): the three topics are read up to the
     * latest offsets they had at the start, then the job ends like a file run, firing every window
     * (backfills, benchmarks).
     */
    public boolean kafkaStopAtLatest() {
        return kafkaStopAtLatest;
    }

    public String topicEvents() {
        return topicEvents;
    }

    public String topicStandards() {
        return topicStandards;
    }

    public String topicBindings() {
        return topicBindings;
    }

    public String topicDeadLetter() {
        return topicDeadLetter;
    }

    public String eventsFile() {
        return eventsFile;
    }

    public String standardsFile() {
        return standardsFile;
    }

    public String bindingsFile() {
        return bindingsFile;
    }

    public String dlqFile() {
        return dlqFile;
    }

    public JdbcOptions jdbc() {
        return jdbc;
    }

    public ZoneId weekZone() {
        return weekZone;
    }

    public Duration callbackTimeout() {
        return callbackTimeout;
    }

    public BigDecimal standardDefault() {
        return standardDefault;
    }

    public Duration watermarkOutOfOrderness() {
        return watermarkOutOfOrderness;
    }

    public Duration watermarkIdleTimeout() {
        return watermarkIdleTimeout;
    }

    public Duration allowedLateness() {
        return allowedLateness;
    }

    /** How far ahead of the wall clock at reading an event's time may be (else FUTURE). */
    public Duration eventMaxFuture() {
        return eventMaxFuture;
    }

    public int preAggregationMaxEntries() {
        return preAggregationMaxEntries;
    }

    public WarningOptions warning() {
        return warning;
    }

    public WechatOptions wechat() {
        return wechat;
    }

    @Override
    public String toString() {
        return "JobConfig{"
                + (isKafkaMode()
                        ? "kafka="
                                + kafkaBootstrapServers
                                + ", groupId="
                                + kafkaGroupId
                                + ", startFrom="
                                + kafkaStartFrom
                                + (kafkaStopAtLatest ? ", stopAtLatest" : "")
                        : "eventsFile=" + eventsFile)
                + ", "
                + jdbc
                + ", zone="
                + weekZone
                + ", callbackTimeout="
                + callbackTimeout
                + ", standardDefault="
                + standardDefault
                + ", outOfOrderness="
                + watermarkOutOfOrderness
                + ", allowedLateness="
                + allowedLateness
                + ", eventMaxFuture="
                + eventMaxFuture
                + ", "
                + warning
                + ", "
                + wechat
                + '}';
    }

    /** Builds a {@link JobConfig}; every value starts at its flag's default ({@link Flags}). */
    public static final class Builder {
        private String kafkaBootstrapServers;
        private String kafkaGroupId;
        private KafkaStartFrom kafkaStartFrom;
        private boolean kafkaStopAtLatest;
        private String topicEvents;
        private String topicStandards;
        private String topicBindings;
        private String topicDeadLetter;
        private String eventsFile;
        private String standardsFile;
        private String bindingsFile;
        private String dlqFile;
        private String jdbcUrl;
        private String jdbcUser;
        private String jdbcPassword;
        private ZoneId weekZone;
        private Duration callbackTimeout;
        private BigDecimal standardDefault;
        private Duration watermarkOutOfOrderness;
        private Duration watermarkIdleTimeout;
        private Duration allowedLateness;
        private Duration eventMaxFuture;
        private int preAggregationMaxEntries;
        private boolean warningEnabled;
        private BigDecimal warningFastBurnRate;
        private BigDecimal warningSlowBurnRate;
        private long warningMinCallbacks;
        private Duration warningMaxAge;
        private String wechatWarningTemplateId;
        private String wechatWarningDataKeys;
        private String wechatApiBaseUrl;
        private String wechatAppId;
        private String wechatAppSecret;
        private String wechatTemplateId;
        private String wechatBrandTemplateId;
        private String wechatUrl;
        private double wechatSendRate;
        private String wechatDataKeys;
        private Duration wechatRequestTimeout;
        private int wechatMaxAttempts;
        private Duration wechatRetryMaxBackoff;
        private Duration wechatDrainTimeout;

        private Builder() {
            Flags.applyDefaults(this);
        }

        public Builder kafkaBootstrapServers(String value) {
            kafkaBootstrapServers = value;
            return this;
        }

        public Builder kafkaGroupId(String value) {
            kafkaGroupId = value;
            return this;
        }

        public Builder kafkaStartFrom(KafkaStartFrom value) {
            kafkaStartFrom = value;
            return this;
        }

        public Builder kafkaStopAtLatest(boolean value) {
            kafkaStopAtLatest = value;
            return this;
        }

        public Builder topicEvents(String value) {
            topicEvents = value;
            return this;
        }

        public Builder topicStandards(String value) {
            topicStandards = value;
            return this;
        }

        public Builder topicBindings(String value) {
            topicBindings = value;
            return this;
        }

        public Builder topicDeadLetter(String value) {
            topicDeadLetter = value;
            return this;
        }

        public Builder eventsFile(String value) {
            eventsFile = value;
            return this;
        }

        public Builder standardsFile(String value) {
            standardsFile = value;
            return this;
        }

        public Builder bindingsFile(String value) {
            bindingsFile = value;
            return this;
        }

        public Builder dlqFile(String value) {
            dlqFile = value;
            return this;
        }

        public Builder jdbcUrl(String value) {
            jdbcUrl = value;
            return this;
        }

        public Builder jdbcUser(String value) {
            jdbcUser = value;
            return this;
        }

        public Builder jdbcPassword(String value) {
            jdbcPassword = value;
            return this;
        }

        public Builder weekZone(ZoneId value) {
            weekZone = value;
            return this;
        }

        public Builder callbackTimeout(Duration value) {
            callbackTimeout = value;
            return this;
        }

        public Builder standardDefault(BigDecimal value) {
            standardDefault = value;
            return this;
        }

        public Builder watermarkOutOfOrderness(Duration value) {
            watermarkOutOfOrderness = value;
            return this;
        }

        public Builder watermarkIdleTimeout(Duration value) {
            watermarkIdleTimeout = value;
            return this;
        }

        public Builder allowedLateness(Duration value) {
            allowedLateness = value;
            return this;
        }

        public Builder eventMaxFuture(Duration value) {
            eventMaxFuture = value;
            return this;
        }

        public Builder preAggregationMaxEntries(int value) {
            preAggregationMaxEntries = value;
            return this;
        }

        public Builder warningEnabled(boolean value) {
            warningEnabled = value;
            return this;
        }

        public Builder warningFastBurnRate(BigDecimal value) {
            warningFastBurnRate = value;
            return this;
        }

        public Builder warningSlowBurnRate(BigDecimal value) {
            warningSlowBurnRate = value;
            return this;
        }

        public Builder warningMinCallbacks(long value) {
            warningMinCallbacks = value;
            return this;
        }

        public Builder warningMaxAge(Duration value) {
            warningMaxAge = value;
            return this;
        }

        public Builder wechatWarningTemplateId(String value) {
            wechatWarningTemplateId = value;
            return this;
        }

        public Builder wechatWarningDataKeys(String value) {
            wechatWarningDataKeys = value;
            return this;
        }

        public Builder wechatApiBaseUrl(String value) {
            wechatApiBaseUrl = value;
            return this;
        }

        public Builder wechatAppId(String value) {
            wechatAppId = value;
            return this;
        }

        public Builder wechatAppSecret(String value) {
            wechatAppSecret = value;
            return this;
        }

        public Builder wechatTemplateId(String value) {
            wechatTemplateId = value;
            return this;
        }

        public Builder wechatBrandTemplateId(String value) {
            wechatBrandTemplateId = value;
            return this;
        }

        public Builder wechatUrl(String value) {
            wechatUrl = value;
            return this;
        }

        /** Messages per second for the whole job. */
        public Builder wechatSendRate(double value) {
            wechatSendRate = value;
            return this;
        }

        /** Which template key carries which field, e.g. {@code week=time2,total=number6}. */
        public Builder wechatDataKeys(String value) {
            wechatDataKeys = value;
            return this;
        }

        public Builder wechatRequestTimeout(Duration value) {
            wechatRequestTimeout = value;
            return this;
        }

        public Builder wechatMaxAttempts(int value) {
            wechatMaxAttempts = value;
            return this;
        }

        public Builder wechatRetryMaxBackoff(Duration value) {
            wechatRetryMaxBackoff = value;
            return this;
        }

        public Builder wechatDrainTimeout(Duration value) {
            wechatDrainTimeout = value;
            return this;
        }

        public JobConfig build() {
            return new JobConfig(this);
        }
    }
}
