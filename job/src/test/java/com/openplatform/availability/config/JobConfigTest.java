package com.openplatform.availability.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JobConfigTest {
    private static final String JDBC_URL = "jdbc:postgresql://localhost:5432/availability";
    private static final String PASSWORD = "pg-Secret-4711";
    private static final String APP_SECRET = "wx-Secret-0815";

    private static final Map<String, String> NO_ENV = Map.of();

    /** The flags of a minimal valid file-mode run, with {@code extra} flags appended. */
    private static List<String> fileMode(String... extra) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--jdbc.url", JDBC_URL,
                                "--events.file", "/data/events.ndjson",
                                "--standards.file", "/data/standards.ndjson",
                                "--bindings.file", "/data/bindings.ndjson",
                                "--dlq.file", "/data/dlq.ndjson"));
        args.addAll(Arrays.asList(extra));
        return args;
    }

    /** The flags of a minimal valid Kafka run. */
    private static List<String> kafkaMode(String... extra) {
        List<String> args =
                new ArrayList<>(
                        List.of("--jdbc.url", JDBC_URL, "--kafka.bootstrap-servers", "kafka:9092"));
        args.addAll(Arrays.asList(extra));
        return args;
    }

    private static List<String> without(List<String> args, String flag) {
        List<String> copy = new ArrayList<>(args);
        int i = copy.indexOf("--" + flag);
        copy.remove(i + 1);
        copy.remove(i);
        return copy;
    }

    private static JobConfig parse(List<String> args, Map<String, String> env) {
        return JobConfig.fromArgs(args.toArray(new String[0]), env);
    }

    private static JobConfig parse(List<String> args) {
        return parse(args, NO_ENV);
    }

    private static ConfigException rejected(List<String> args) {
        return assertThrows(ConfigException.class, () -> parse(args));
    }

    private static void assertRejectedNaming(List<String> args, String flag) {
        ConfigException e = rejected(args);
        assertTrue(
                e.getMessage().contains("--" + flag),
                () -> "message should name --" + flag + ": " + e.getMessage());
    }

    @Test
    void defaultsAreThoseOfTheSpec() {
        JobConfig config = parse(kafkaMode());

        assertEquals("callback-availability", config.kafkaGroupId());
        assertEquals("callback-events", config.topicEvents());
        assertEquals("availability-standards", config.topicStandards());
        assertEquals("wechat-bindings", config.topicBindings());
        assertEquals("callback-events-dlq", config.topicDeadLetter());
        assertEquals(ZoneId.of("Asia/Shanghai"), config.weekZone());
        assertEquals(Duration.ofSeconds(3), config.callbackTimeout());
        assertEquals(0, new BigDecimal("0.995").compareTo(config.standardDefault()));
        assertEquals(Duration.ofMinutes(5), config.watermarkOutOfOrderness());
        assertEquals(Duration.ofDays(1), config.allowedLateness());
        assertEquals("https://api.weixin.qq.com", config.wechat().apiBaseUrl());
        assertFalse(config.wechat().isConfigured());
        assertNull(config.jdbc().password());
    }

    @Test
    void kafkaModeNeedsNoFiles() {
        JobConfig config = parse(kafkaMode());

        assertTrue(config.isKafkaMode());
        assertEquals("kafka:9092", config.kafkaBootstrapServers());
        assertNull(config.eventsFile());
    }

    @Test
    void fileModeReadsTheFourFiles() {
        JobConfig config = parse(fileMode());

        assertFalse(config.isKafkaMode());
        assertEquals("/data/events.ndjson", config.eventsFile());
        assertEquals("/data/standards.ndjson", config.standardsFile());
        assertEquals("/data/bindings.ndjson", config.bindingsFile());
        assertEquals("/data/dlq.ndjson", config.dlqFile());
    }

    @Test
    void everyFlagValueIsApplied() {
        JobConfig config =
                parse(
                        kafkaMode(
                                "--kafka.group-id", "g2",
                                "--topic.events", "ev",
                                "--week.zone", "Europe/Berlin",
                                "--callback.timeout", "1500 ms",
                                "--standard.default", "0.99",
                                "--watermark.out-of-orderness", "2 min",
                                "--allowed-lateness", "3 d",
                                "--jdbc.user", "availability"));

        assertEquals("g2", config.kafkaGroupId());
        assertEquals("ev", config.topicEvents());
        assertEquals(ZoneId.of("Europe/Berlin"), config.weekZone());
        assertEquals(Duration.ofMillis(1500), config.callbackTimeout());
        assertEquals(new BigDecimal("0.99"), config.standardDefault());
        assertEquals(Duration.ofMinutes(2), config.watermarkOutOfOrderness());
        assertEquals(Duration.ofDays(3), config.allowedLateness());
        assertEquals("availability", config.jdbc().user());
    }

    @Test
    void unknownFlagIsRejectedNamingIt() {
        assertRejectedNaming(kafkaMode("--callback.timeout.ms", "3000"), "callback.timeout.ms");
    }

    @Test
    void flagWithoutValueOrGivenTwiceIsRejectedNamingIt() {
        assertRejectedNaming(kafkaMode("--week.zone"), "week.zone");
        assertRejectedNaming(kafkaMode("--week.zone", "--allowed-lateness", "1 d"), "week.zone");
        assertRejectedNaming(
                kafkaMode("--topic.events", "a", "--topic.events", "b"), "topic.events");
    }

    @Test
    void argumentThatIsNotAFlagIsRejected() {
        ConfigException e = rejected(kafkaMode("stray"));

        assertTrue(e.getMessage().contains("stray"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "callback.timeout",
                "watermark.out-of-orderness",
                "watermark.idle-timeout",
                "allowed-lateness"
            })
    void badDurationIsRejectedNamingTheFlag(String flag) {
        assertRejectedNaming(kafkaMode("--" + flag, "five minutes"), flag);
        assertRejectedNaming(kafkaMode("--" + flag, "5 fortnights"), flag);
    }

    @Test
    void badZoneIsRejectedNamingTheFlag() {
        assertRejectedNaming(kafkaMode("--week.zone", "Mars/Olympus_Mons"), "week.zone");
        assertRejectedNaming(kafkaMode("--week.zone", "CST+8"), "week.zone");
    }

    @Test
    void badDecimalIsRejectedNamingTheFlag() {
        assertRejectedNaming(kafkaMode("--standard.default", "99.5%"), "standard.default");
    }

    @Test
    void defaultStandardOutsideZeroToOneIsRejectedNamingTheFlag() {
        assertRejectedNaming(kafkaMode("--standard.default", "0"), "standard.default");
        assertRejectedNaming(kafkaMode("--standard.default", "1.01"), "standard.default");
    }

    @Test
    void nonPositiveTimeoutAndTooLongLatenessAreRejectedNamingTheFlag() {
        assertRejectedNaming(kafkaMode("--callback.timeout", "0 s"), "callback.timeout");
        assertRejectedNaming(kafkaMode("--allowed-lateness", "57 d"), "allowed-lateness");
        parse(kafkaMode("--allowed-lateness", "56 d"));
    }

    @Test
    void eventMaxFutureDefaultsToAnHourAndMustBeFromZeroTo365Days() {
        assertEquals(Duration.ofHours(1), parse(kafkaMode()).eventMaxFuture());
        assertEquals(Duration.ZERO, parse(kafkaMode("--event.max-future", "0 s")).eventMaxFuture());
        assertEquals(
                Duration.ofDays(365),
                parse(kafkaMode("--event.max-future", "365 d")).eventMaxFuture());
        assertRejectedNaming(kafkaMode("--event.max-future", "-1 s"), "event.max-future");
        assertRejectedNaming(kafkaMode("--event.max-future", "366 d"), "event.max-future");
        assertRejectedNaming(kafkaMode("--event.max-future", "soon"), "event.max-future");
    }

    @Test
    void badIntegerIsRejectedNamingTheFlag() {
        assertRejectedNaming(
                kafkaMode("--pre-aggregation.max-entries", "lots"), "pre-aggregation.max-entries");
        assertRejectedNaming(
                kafkaMode("--pre-aggregation.max-entries", "0"), "pre-aggregation.max-entries");
    }

    @Test
    void missingJdbcUrlIsRejected() {
        assertRejectedNaming(without(kafkaMode(), "jdbc.url"), "jdbc.url");
    }

    @Test
    void jdbcUrlOfAnotherDatabaseIsRejectedNamingTheFlag() {
        List<String> args = without(kafkaMode(), "jdbc.url");
        args.addAll(List.of("--jdbc.url", "jdbc:oracle:thin:@db:1521/x"));

        assertRejectedNaming(args, "jdbc.url");
    }

    @Test
    void mysqlAndMariadbUrlsSelectTheMysqlDialect() {
        List<String> args = without(kafkaMode(), "jdbc.url");
        args.addAll(List.of("--jdbc.url", "jdbc:mariadb://db:3306/availability"));

        assertEquals(JdbcOptions.Dialect.MYSQL, parse(args).jdbc().dialect());
        assertEquals(JdbcOptions.Dialect.POSTGRESQL, parse(kafkaMode()).jdbc().dialect());
    }

    @ParameterizedTest
    @ValueSource(strings = {"events.file", "standards.file", "bindings.file", "dlq.file"})
    void fileModeRequiresEachFile(String flag) {
        assertRejectedNaming(without(fileMode(), flag), flag);
    }

    @Test
    void kafkaAndFileFlagsTogetherAreRejected() {
        ConfigException e = rejected(fileMode("--kafka.bootstrap-servers", "kafka:9092"));

        assertTrue(e.getMessage().contains("--kafka.bootstrap-servers"), e.getMessage());
        assertTrue(e.getMessage().contains("--events.file"), e.getMessage());
    }

    @Test
    void wechatAppIdWithoutSecretIsRejected() {
        ConfigException e =
                rejected(kafkaMode("--wechat.app-id", "wx123", "--wechat.template-id", "tpl"));

        assertTrue(e.getMessage().contains("--wechat.app-secret"), e.getMessage());
    }

    @Test
    void wechatAppIdWithoutTemplateIsRejected() {
        assertRejectedNaming(
                kafkaMode("--wechat.app-id", "wx123", "--wechat.app-secret", APP_SECRET),
                "wechat.template-id");
    }

    @Test
    void wechatApiBaseUrlMustBeHttp() {
        assertRejectedNaming(
                kafkaMode("--wechat.api-base-url", "ftp://weixin.example"), "wechat.api-base-url");
    }

    @Test
    void secretsComeFromTheEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put(JobConfig.ENV_JDBC_PASSWORD, PASSWORD);
        env.put(JobConfig.ENV_WECHAT_APP_SECRET, APP_SECRET);

        JobConfig config =
                parse(kafkaMode("--wechat.app-id", "wx123", "--wechat.template-id", "tpl"), env);

        assertEquals(PASSWORD, config.jdbc().password());
        assertEquals(APP_SECRET, config.wechat().appSecret());
        assertTrue(config.wechat().isConfigured());
    }

    @Test
    void secretFlagsAlsoWork() {
        JobConfig config =
                parse(
                        kafkaMode(
                                "--jdbc.password",
                                PASSWORD,
                                "--wechat.app-id",
                                "wx123",
                                "--wechat.app-secret",
                                APP_SECRET,
                                "--wechat.template-id",
                                "tpl"));

        assertEquals(PASSWORD, config.jdbc().password());
        assertEquals(APP_SECRET, config.wechat().appSecret());
    }

    @Test
    void toStringNeverShowsThePasswordOrTheAppSecret() {
        Map<String, String> env =
                Map.of(
                        JobConfig.ENV_JDBC_PASSWORD, PASSWORD,
                        JobConfig.ENV_WECHAT_APP_SECRET, APP_SECRET);
        JobConfig fromEnv =
                parse(kafkaMode("--wechat.app-id", "wx123", "--wechat.template-id", "tpl"), env);
        JobConfig fromFlags =
                parse(
                        fileMode(
                                "--jdbc.password",
                                PASSWORD,
                                "--wechat.app-id",
                                "wx123",
                                "--wechat.app-secret",
                                APP_SECRET,
                                "--wechat.template-id",
                                "tpl"));

        for (JobConfig config : List.of(fromEnv, fromFlags)) {
            String text = config.toString();
            assertFalse(text.contains(PASSWORD), text);
            assertFalse(text.contains(APP_SECRET), text);
            assertTrue(text.contains("wx123"), text);
            assertFalse(config.jdbc().toString().contains(PASSWORD));
            assertFalse(config.wechat().toString().contains(APP_SECRET));
        }
    }

    @Test
    void toStringNeverShowsAPasswordGivenInTheUrl() {
        List<String> args = without(fileMode(), "jdbc.url");
        args.addAll(
                List.of(
                        "--jdbc.url",
                        "jdbc:postgresql://db:5432/ops?user=ops&password=" + PASSWORD));

        String text = parse(args).toString();

        assertFalse(text.contains(PASSWORD), text);
        assertTrue(text.contains("jdbc:postgresql://db:5432/ops?user=ops&password=***"), text);
    }

    @Test
    void secretNeverAppearsInARejectionMessage() {
        ConfigException e =
                rejected(kafkaMode("--wechat.app-secret", APP_SECRET, "--wechat.app-id", "wx123"));

        assertFalse(e.getMessage().contains(APP_SECRET), e.getMessage());
    }

    @Test
    void durationTooLongForMillisecondsIsRejectedNamingTheFlag() {
        assertRejectedNaming(
                kafkaMode("--callback.timeout", "9999999999999 d"), "callback.timeout");
        assertRejectedNaming(
                kafkaMode("--watermark.out-of-orderness", "9999999999999 d"),
                "watermark.out-of-orderness");
    }
}
