package com.openplatform.availability.wechat;

import static com.openplatform.availability.wechat.WechatTestSupport.APP_SECRET;
import static com.openplatform.availability.wechat.WechatTestSupport.BRAND_TEMPLATE;
import static com.openplatform.availability.wechat.WechatTestSupport.ISV_TEMPLATE;
import static com.openplatform.availability.wechat.WechatTestSupport.WEEK;
import static com.openplatform.availability.wechat.WechatTestSupport.alert;
import static com.openplatform.availability.wechat.WechatTestSupport.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openplatform.availability.config.JobConfig;
import com.openplatform.availability.config.WechatOptions;
import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.WechatBinding;
import com.openplatform.availability.testkit.WechatSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The WeChat API client against the simulator: tokens, classification, retries, secrecy. */
class WechatClientTest {
    private WechatSimulator simulator;
    private final List<WechatClient> clients = new ArrayList<>();
    private final AtomicInteger retryableFailures = new AtomicInteger();
    private final AtomicInteger latencies = new AtomicInteger();

    @BeforeEach
    void startSimulator() throws Exception {
        simulator = WechatTestSupport.simulator();
    }

    @AfterEach
    void stop() {
        clients.forEach(WechatClient::close);
        simulator.close();
    }

    private WechatClient client(UnaryOperator<JobConfig.Builder> tweak) {
        WechatOptions options = options(simulator, tweak);
        WechatClient client =
                new WechatClient(
                        options,
                        options.sendRate(),
                        new WechatClient.Listener() {
                            @Override
                            public void onLatency(long millis) {
                                latencies.incrementAndGet();
                            }

                            @Override
                            public void onRetryableFailure() {
                                retryableFailures.incrementAndGet();
                            }
                        });
        clients.add(client);
        return client;
    }

    private WechatClient client() {
        return client(b -> b);
    }

    private TemplateMessage message(String openId) {
        return new AlertTemplate(options(simulator)).render(alert(100_234, openId));
    }

    private static void assertOutcome(SendResult.Outcome expected, SendResult result) {
        assertEquals(expected, result.outcome(), () -> "error: " + result.error());
    }

    @Test
    void fetchesTheTokenOnceAndReusesItForLaterSends() throws Exception {
        WechatClient client = client();

        for (int i = 0; i < 3; i++) {
            assertOutcome(SendResult.Outcome.SENT, client.send(message("o-user-" + i)));
        }

        assertEquals(1, simulator.tokenRequests());
        assertEquals(3, simulator.messages().size());
        assertEquals(3, latencies.get(), "every send request is timed");
    }

    @Test
    void renewsTheTokenShortlyBeforeItExpiresSoNoSendSeesAnExpiredOne() throws Exception {
        simulator.tokenExpiresIn(Duration.ofSeconds(1));
        WechatClient client = client();
        assertOutcome(SendResult.Outcome.SENT, client.send(message("o-a")));

        // Renewed at 4/5 of the lifetime: 0.8 s of 1 s.
        Thread.sleep(900);
        assertOutcome(SendResult.Outcome.SENT, client.send(message("o-b")));

        assertEquals(2, simulator.tokenRequests());
        assertEquals(2, simulator.sendRequests(), "no send was refused with 42001 first");
    }

    @Test
    void renewsAnInvalidatedTokenAndSendsOnceMore() throws Exception {
        WechatClient client = client();
        assertOutcome(SendResult.Outcome.SENT, client.send(message("o-a")));
        simulator.invalidateTokens();

        SendResult result = client.send(message("o-b"));

        assertOutcome(SendResult.Outcome.SENT, result);
        assertEquals(2, result.requests(), "refused with 40001, then sent with the new token");
        assertEquals(2, simulator.tokenRequests());
        assertEquals(0, retryableFailures.get(), "a token renewal is not a retry");
    }

    @Test
    void renewsAnExpiredTokenAndSendsOnceMore() throws Exception {
        WechatClient client = client();
        assertOutcome(SendResult.Outcome.SENT, client.send(message("o-a")));
        simulator.expireTokens();

        SendResult result = client.send(message("o-b"));

        assertOutcome(SendResult.Outcome.SENT, result);
        assertEquals(2, result.requests(), "refused with 42001, then sent with the new token");
        assertEquals(2, simulator.tokenRequests());
    }

    @Test
    void forcesARefreshWhenTheStableTokenWechatHandsOutIsTheOneItRefused() throws Exception {
        WechatClient client = client();
        assertOutcome(SendResult.Outcome.SENT, client.send(message("o-a")));
        simulator.failNextSends(1, 40001);

        SendResult result = client.send(message("o-b"));

        assertOutcome(SendResult.Outcome.SENT, result);
        // The first, then the same token in normal mode, then a new one with force_refresh.
        assertEquals(3, simulator.tokenRequests());
    }

    @ParameterizedTest(name = "errcode {0}")
    @ValueSource(ints = {-1, 45011})
    void retriesBusyAndRateLimitedErrcodesThenSends(int errcode) throws Exception {
        WechatClient client = client(b -> b.wechatMaxAttempts(3));
        client.send(message("o-warm"));
        simulator.failNextSends(2, errcode);

        SendResult result = client.send(message("o-a"));

        assertOutcome(SendResult.Outcome.SENT, result);
        assertEquals(3, result.requests());
        assertEquals(2, retryableFailures.get());
        assertEquals(2, simulator.messages().size());
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {500, 502, 503, 429})
    void retriesServerErrorsThenSends(int status) throws Exception {
        WechatClient client = client();
        client.send(message("o-warm"));
        simulator.answerNextWithHttpStatus(1, status);

        SendResult result = client.send(message("o-a"));

        assertOutcome(SendResult.Outcome.SENT, result);
        assertEquals(2, result.requests());
        assertEquals(1, retryableFailures.get());
    }

    @Test
    void retriesASlowReplyAndWechatDropsTheResendByClientMsgId() throws Exception {
        WechatClient client = client(b -> b.wechatRequestTimeout(Duration.ofMillis(500)));
        client.send(message("o-warm"));
        // WeChat takes the message but answers after the client gave up waiting.
        simulator.delayNext(1, Duration.ofMillis(2_000));

        SendResult result = client.send(message("o-a"));

        assertOutcome(SendResult.Outcome.SENT, result);
        assertTrue(result.requests() >= 2, "timed out, then sent again");
        assertEquals(2, simulator.messages().size(), "one message for o-warm, one for o-a");
        assertEquals(
                result.requests() - 1,
                simulator.duplicateCount(),
                "every resend was recognised by its client_msg_id");
    }

    @Test
    void retriesADroppedConnectionThenSends() throws Exception {
        WechatClient client = client();
        client.send(message("o-warm"));
        simulator.dropNext(1);

        SendResult result = client.send(message("o-a"));

        assertOutcome(SendResult.Outcome.SENT, result);
        assertEquals(2, result.requests());
        assertEquals(0, simulator.duplicateCount());
    }

    @Test
    void retriesAFailedTokenFetchThenSends() throws Exception {
        simulator.failNextTokenRequests(1, -1);

        SendResult result = client().send(message("o-a"));

        assertOutcome(SendResult.Outcome.SENT, result);
        assertEquals(2, simulator.tokenRequests());
    }

    @Test
    void givesUpForNowAfterTheLastAttemptWhenWechatIsDown() throws Exception {
        WechatClient client = client(b -> b.wechatMaxAttempts(2));
        client.send(message("o-warm"));
        simulator.down(true);

        SendResult result = client.send(message("o-a"));

        assertOutcome(SendResult.Outcome.RETRYABLE, result);
        assertEquals(2, result.requests());
        assertTrue(result.error().startsWith("connection error"), result.error());
        assertEquals(1, simulator.messages().size());
    }

    @Test
    void givesUpForNowWhenWechatKeepsAnsweringBusy() throws Exception {
        WechatClient client = client(b -> b.wechatMaxAttempts(3));
        client.send(message("o-warm"));
        simulator.failNextSends(5, 45011);

        SendResult result = client.send(message("o-a"));

        assertOutcome(SendResult.Outcome.RETRYABLE, result);
        assertEquals(3, result.requests());
        assertTrue(result.error().startsWith("errcode 45011"), result.error());
    }

    @ParameterizedTest(name = "errcode {0}")
    @ValueSource(ints = {43004, 40003})
    void notFollowingOrInvalidOpenIdIsUnreachableWithoutRetry(int errcode) throws Exception {
        WechatClient client = client();
        client.send(message("o-warm"));
        simulator.failNextSends(1, errcode);

        SendResult result = client.send(message("o-a"));

        assertOutcome(SendResult.Outcome.UNREACHABLE, result);
        assertEquals(1, result.requests());
        assertTrue(result.error().startsWith("errcode " + errcode), result.error());
        assertEquals(0, retryableFailures.get());
    }

    @Test
    void anUnfollowedOpenIdIsUnreachable() throws Exception {
        simulator.unfollow("o-gone");

        assertOutcome(SendResult.Outcome.UNREACHABLE, client().send(message("o-gone")));
    }

    @ParameterizedTest(name = "errcode {0}")
    @ValueSource(ints = {40037, 47003, 45009, 48001})
    void anyOtherErrcodeFailsWithoutRetry(int errcode) throws Exception {
        WechatClient client = client();
        client.send(message("o-warm"));
        simulator.failNextSends(1, errcode);

        SendResult result = client.send(message("o-a"));

        assertOutcome(SendResult.Outcome.FAILED, result);
        assertEquals(1, result.requests());
        assertEquals(0, retryableFailures.get());
    }

    @Test
    void aWrongSecretIsReportedWithoutTheSecretAndWithoutHammeringWechat() throws Exception {
        String wrongSecret = APP_SECRET + "-wrong";
        WechatClient client = client(b -> b.wechatAppSecret(wrongSecret));

        SendResult result = client.send(message("o-a"));

        assertOutcome(SendResult.Outcome.RETRYABLE, result);
        assertTrue(result.error().contains("40125"), result.error());
        assertFalse(result.error().contains(wrongSecret), result.error());
        assertEquals(1, simulator.tokenRequests(), "bad credentials are not retried at once");
        assertEquals(0, simulator.sendRequests());
    }

    @Test
    void theSecretAndTheAccessTokenAppearInNoErrorAndNoToString() throws Exception {
        WechatOptions options = options(simulator);
        WechatClient client = client();
        client.send(message("o-warm"));
        String accessToken = client.accessToken();
        List<String> texts = new ArrayList<>();
        simulator.down(true);
        texts.add(client.send(message("o-a")).error());
        simulator.down(false);
        simulator.failNextSends(1, 40037);
        texts.add(client.send(message("o-b")).error());
        simulator.answerNextWithHttpStatus(1, 400);
        texts.add(client.send(message("o-c")).error());
        texts.add(client.toString());
        texts.add(options.toString());
        texts.add(client.redact("echo " + APP_SECRET + " and " + accessToken));

        for (String text : texts) {
            assertNotNull(text);
            assertFalse(text.contains(APP_SECRET), text);
            assertFalse(text.contains(accessToken), text);
        }
    }

    @Test
    void valuesAreCutToTwentyCharactersSoWechatTakesThem() throws Exception {
        AlertRequest alert = alert(123_456_789_012_345L, "o-a");
        WechatOptions options = options(simulator);

        TemplateMessage message = new AlertTemplate(options).render(alert);

        for (Map.Entry<String, String> value : message.data().entrySet()) {
            String text = value.getValue();
            assertTrue(
                    text.codePointCount(0, text.length()) <= AlertTemplate.MAX_VALUE_LENGTH,
                    value.toString());
        }
        String summary = message.data().get("thing1");
        assertEquals("开发者123456789012345回调", summary);
        assertOutcome(SendResult.Outcome.SENT, client().send(message));
        assertEquals(message.data(), simulator.messages().get(0).data());
    }

    @Test
    void cuttingCountsCharactersNotUtf16Units() {
        String emoji = "😀".repeat(25);

        String cut = AlertTemplate.cut(emoji);

        assertEquals(20, cut.codePointCount(0, cut.length()));
        assertEquals("😀".repeat(20), cut);
        assertEquals("short", AlertTemplate.cut("short"));
    }

    @Test
    void theDefaultTemplateDataShowsTheBreach() {
        TemplateMessage message = message("o-a");

        assertEquals(
                Map.of(
                        "thing1", "开发者100234回调可用率未达标",
                        "time2", "2026年11月02日~11月08日",
                        "character_string3", "98.00%",
                        "character_string4", "99.5%",
                        "thing5", "主要失败原因:响应超时",
                        "number6", "1000",
                        "number7", "20"),
                message.data());
        assertEquals(ISV_TEMPLATE, message.templateId());
        assertEquals("o-a", message.toUser());
    }

    @Test
    void availabilityIsRoundedDownSoABreachNeverShowsAsTheStandard() {
        AlertRequest alert = alert(100_234, "o-a");
        alert.setAvailability(new java.math.BigDecimal("0.9949999999"));

        TemplateMessage message = new AlertTemplate(options(simulator)).render(alert);

        assertEquals("99.49%", message.data().get("character_string3"));
    }

    @Test
    void configuredDataKeysAndUrlShapeTheMessage() throws Exception {
        WechatOptions options =
                options(
                        simulator,
                        b ->
                                b.wechatDataKeys("week=time9,failed=character_string2")
                                        .wechatUrl(
                                                "https://open.example.com/a?dev={developerId}&w={week}"));

        TemplateMessage message = new AlertTemplate(options).render(alert(100_234, "o-a"));
        client().send(message);

        WechatSimulator.Message sent = simulator.messages().get(0);
        assertEquals(Map.of("time9", "2026年11月02日~11月08日", "character_string2", "20"), sent.data());
        assertEquals("https://open.example.com/a?dev=100234&w=" + WEEK, sent.url());
    }

    @Test
    void brandAccountsGetTheBrandTemplateAndOthersTheIsvOne() {
        AlertTemplate template = new AlertTemplate(options(simulator));
        AlertTemplate withoutBrand =
                new AlertTemplate(options(simulator, b -> b.wechatBrandTemplateId(null)));

        assertEquals(BRAND_TEMPLATE, template.templateFor(WechatBinding.ACCOUNT_TYPE_BRAND));
        assertEquals(ISV_TEMPLATE, template.templateFor(WechatBinding.ACCOUNT_TYPE_ISV));
        assertEquals(ISV_TEMPLATE, template.templateFor(null));
        assertEquals(ISV_TEMPLATE, withoutBrand.templateFor(WechatBinding.ACCOUNT_TYPE_BRAND));
    }

    @Test
    void clientMsgIdIsDeterministicPerDeveloperWeekAndOpenId() throws Exception {
        String id = AlertTemplate.clientMsgId(100_234, WEEK, "o-a");

        assertEquals(id, AlertTemplate.clientMsgId(100_234, WEEK, "o-a"));
        assertEquals(32, id.length());
        assertTrue(id.matches("[0-9a-f]{32}"), id);
        assertNotEquals(id, AlertTemplate.clientMsgId(100_234, WEEK, "o-b"));
        assertNotEquals(id, AlertTemplate.clientMsgId(100_234, "2026-11-09", "o-a"));
        assertNotEquals(id, AlertTemplate.clientMsgId(100_235, WEEK, "o-a"));

        client().send(message("o-a"));
        assertEquals(id, simulator.messages().get(0).clientMsgId());
    }

    @Test
    void sendsArePacedByTheConfiguredRate() throws Exception {
        WechatClient client = client(b -> b.wechatSendRate(5));
        long start = System.nanoTime();

        for (int i = 0; i < 8; i++) {
            client.send(message("o-" + i));
        }

        long millis = (System.nanoTime() - start) / 1_000_000;
        // A burst of 5, then one every 200 ms.
        assertTrue(millis >= 550, "8 sends at 5/s took only " + millis + " ms");
        assertEquals(8, simulator.messages().size());
    }
}
