package com.openplatform.availability.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The WeChat flags (docs/reference.md §9 and the delivery settings): defaults, parsing and
 * validation.
 */
class WechatOptionsTest {
    private static final String SECRET = "S3CRET-wechat-options-test";

    /** A file-mode command line with a WeChat app, plus {@code extra} flags. */
    private static String[] args(String... extra) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--events.file", "events.ndjson",
                                "--standards.file", "standards.ndjson",
                                "--bindings.file", "bindings.ndjson",
                                "--dlq.file", "dlq.ndjson",
                                "--jdbc.url", "jdbc:postgresql://127.0.0.1/results",
                                "--wechat.app-id", "wx0001",
                                "--wechat.template-id", "tpl-isv"));
        args.addAll(Arrays.asList(extra));
        return args.toArray(new String[0]);
    }

    private static WechatOptions parse(String... extra) {
        return JobConfig.fromArgs(args(extra), Map.of(JobConfig.ENV_WECHAT_APP_SECRET, SECRET))
                .wechat();
    }

    private static void assertRejected(String flag, String... extra) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(extra));
        assertTrue(e.getMessage().contains("--" + flag), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }

    @Test
    void defaultsSuitA2023TemplateAndModestSending() {
        WechatOptions options = parse();

        assertEquals(
                Map.of(
                        "summary", "thing1",
                        "week", "time2",
                        "availability", "character_string3",
                        "standard", "character_string4",
                        "reason", "thing5",
                        "total", "number6",
                        "failed", "number7"),
                options.dataKeys());
        assertNull(options.brandTemplateId());
        assertNull(options.url());
        assertEquals(20, options.sendRate());
        assertEquals(Duration.ofSeconds(5), options.requestTimeout());
        assertEquals(3, options.maxAttempts());
        assertEquals(Duration.ofMinutes(5), options.retryMaxBackoff());
        assertEquals(Duration.ofMinutes(1), options.drainTimeout());
    }

    @Test
    void everyDeliveryFlagIsRead() {
        WechatOptions options =
                parse(
                        "--wechat.brand-template-id", "tpl-brand",
                        "--wechat.url", "https://open.example.com/availability?dev={developerId}",
                        "--wechat.send-rate", "7.5",
                        "--wechat.data-keys", "week=time1, failed=character_string2",
                        "--wechat.request-timeout", "800 ms",
                        "--wechat.max-attempts", "5",
                        "--wechat.retry-max-backoff", "30 s",
                        "--wechat.drain-timeout", "0 s");

        assertEquals("tpl-brand", options.brandTemplateId());
        assertEquals("https://open.example.com/availability?dev={developerId}", options.url());
        assertEquals(7.5, options.sendRate());
        assertEquals(Map.of("week", "time1", "failed", "character_string2"), options.dataKeys());
        assertEquals(List.of("week", "failed"), new ArrayList<>(options.dataKeys().keySet()));
        assertEquals(Duration.ofMillis(800), options.requestTimeout());
        assertEquals(5, options.maxAttempts());
        assertEquals(Duration.ofSeconds(30), options.retryMaxBackoff());
        assertEquals(Duration.ZERO, options.drainTimeout());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "wechat.send-rate|0",
                "wechat.send-rate|-2",
                "wechat.send-rate|fast",
                "wechat.request-timeout|0 s",
                "wechat.request-timeout|soon",
                "wechat.max-attempts|0",
                "wechat.max-attempts|three",
                "wechat.retry-max-backoff|0 ms",
                "wechat.drain-timeout|-1 s",
                "wechat.url|ftp://example.com/x",
                "wechat.url|not a url",
                "wechat.data-keys|week",
                "wechat.data-keys|weekday=time2",
                "wechat.data-keys|week=Time 2",
                "wechat.data-keys|week=time2,week=time3",
                "wechat.data-keys|week=time2,total=time2",
                "wechat.data-keys|,",
            })
    void aBadValueIsRejectedNamingItsFlag(String flag, String value) {
        assertRejected(flag, "--" + flag, value);
    }

    @Test
    void theSecretNeverShowsInTheConfiguration() {
        JobConfig config =
                JobConfig.fromArgs(args(), Map.of(JobConfig.ENV_WECHAT_APP_SECRET, SECRET));

        assertFalse(config.toString().contains(SECRET), config.toString());
        assertFalse(config.wechat().toString().contains(SECRET));
        assertTrue(config.wechat().toString().contains("appSecret=***"));
    }
}
