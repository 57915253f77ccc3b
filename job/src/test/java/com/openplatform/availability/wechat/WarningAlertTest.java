package com.openplatform.availability.wechat;

import static com.openplatform.availability.testing.TestData.SHANGHAI;
import static com.openplatform.availability.testing.TestData.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.openplatform.availability.config.JobConfig;
import com.openplatform.availability.config.WechatOptions;
import com.openplatform.availability.records.AlertKind;
import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.DeliveryStatus;
import com.openplatform.availability.records.FailureReason;
import com.openplatform.availability.records.HourlyCounts;
import com.openplatform.availability.records.WarningRule;
import com.openplatform.availability.records.WechatBinding;
import com.openplatform.availability.records.WeekToDate;
import com.openplatform.availability.testing.InWeekData;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The early warning (docs/reference.md §10) on its way to WeChat: the committable serializer, its
 * own template and its own idempotency key.
 */
class WarningAlertTest {
    private static final long DEV = 100_234L;
    private static final String OPEN_ID = "oX3f-primary";
    private static final String MONDAY = "2026-11-16";
    private static final long WEEK_START = at(SHANGHAI, "2026-11-16T00:00");
    private static final long WEEK_END = at(SHANGHAI, "2026-11-23T00:00");

    /** Wednesday 10:00 in Shanghai, 02:00 UTC. */
    private static final long AS_OF = at(SHANGHAI, "2026-11-18T10:00");

    private static final String WARNING_TEMPLATE = "tpl-warning";

    private static WechatOptions options(String warningTemplateId) {
        return JobConfig.builder()
                .eventsFile("unused-events.ndjson")
                .standardsFile("unused-standards.ndjson")
                .bindingsFile("unused-bindings.ndjson")
                .dlqFile("unused-dlq.ndjson")
                .jdbcUrl("jdbc:postgresql://127.0.0.1:1/unused")
                .weekZone(SHANGHAI)
                .wechatAppId("wx-warning")
                .wechatAppSecret("secret")
                .wechatTemplateId("tpl-breach")
                .wechatBrandTemplateId("tpl-brand")
                .wechatWarningTemplateId(warningTemplateId)
                .build()
                .wechat();
    }

    private static WechatBinding binding(String accountType) {
        return new WechatBinding(DEV, OPEN_ID, true, "primary", accountType, 1);
    }

    /**
     * FAST_BURN at Wednesday 10:00: 50 of the 100 callbacks of 09:00–10:00 failed, 950 of 1000
     * valid so far, against 0.995.
     */
    private static AlertRequest warning(String accountType) {
        WeekToDate week = new WeekToDate(DEV, WEEK_START, WEEK_END, WEEK_START);
        int nine = HourlyCounts.hourOf(WEEK_START, AS_OF) - 1;
        week.add(
                InWeekData.week(DEV, WEEK_START, WEEK_END)
                        .hour(10, 900, 0)
                        .hour(nine, 50, FailureReason.TIMEOUT, 50)
                        .build());
        week.advanceTo(AS_OF);
        return AlertRequest.forWarning(week, MONDAY, WarningRule.FAST_BURN, new BigDecimal("0.995"))
                .withRecipient(binding(accountType));
    }

    private static AlertRequest breach() {
        AlertRequest alert = new AlertRequest();
        alert.setDeveloperId(DEV);
        alert.setWeekStart(MONDAY);
        alert.setWeekStartMillis(WEEK_START);
        alert.setWeekEndMillis(WEEK_END);
        alert.setOpenId(OPEN_ID);
        alert.setRole("primary");
        alert.setAccountType(WechatBinding.ACCOUNT_TYPE_ISV);
        alert.setStatus(DeliveryStatus.PENDING);
        alert.setAvailability(new BigDecimal("0.9800000000"));
        alert.setStandard(new BigDecimal("0.995"));
        alert.setTotalCount(1000);
        alert.setFailedCount(20);
        alert.setMainFailureReason(FailureReason.TIMEOUT);
        alert.setWorstHourStart("2026-11-18T10:00");
        alert.setWorstHourFailed(12);
        alert.setWorstHourTotal(40);
        return alert;
    }

    /** {@code alert} as version 2 of the serializer (the release before warnings) wrote it. */
    private static byte[] version2(AlertRequest alert) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeLong(alert.getDeveloperId());
        out.writeUTF(alert.getWeekStart());
        out.writeLong(alert.getWeekStartMillis());
        out.writeLong(alert.getWeekEndMillis());
        out.writeUTF(alert.getOpenId());
        nullable(out, alert.getRole());
        nullable(out, alert.getAccountType());
        nullable(out, alert.getStatus().name());
        nullable(out, alert.getAvailability().toString());
        nullable(out, alert.getStandard().toString());
        out.writeLong(alert.getTotalCount());
        out.writeLong(alert.getFailedCount());
        nullable(out, alert.getMainFailureReason().name());
        nullable(out, alert.getWorstHourStart());
        out.writeLong(alert.getWorstHourFailed());
        out.writeLong(alert.getWorstHourTotal());
        return out.getCopyOfBuffer();
    }

    private static void nullable(DataOutputSerializer out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    @Test
    void committableOfVersionTwoIsReadAsABreach() throws Exception {
        AlertRequestSerializer serializer = new AlertRequestSerializer();
        AlertRequest breach = breach();

        AlertRequest restored = serializer.deserialize(2, version2(breach));

        assertEquals(AlertKind.BREACH, restored.getKind());
        assertNull(restored.getRule());
        assertEquals(0, restored.getAsOfMillis());
        assertNull(restored.getWindowAvailability());
        assertEquals(breach, restored);
        assertEquals(breach.getAvailability(), restored.getAvailability());
        assertEquals(breach.getStandard(), restored.getStandard());
        assertEquals(
                AlertTemplate.clientMsgId(breach),
                AlertTemplate.clientMsgId(restored),
                "a restored breach is sent under the key it had");
    }

    @Test
    void warningSurvivesTheCommittableSerializerOfVersionThree() throws Exception {
        AlertRequestSerializer serializer = new AlertRequestSerializer();
        AlertRequest warning = warning(WechatBinding.ACCOUNT_TYPE_ISV);
        assertEquals(3, serializer.getVersion());

        AlertRequest copy = serializer.deserialize(3, serializer.serialize(warning));

        assertEquals(warning, copy);
        assertEquals(AlertKind.WARNING, copy.getKind());
        assertEquals(WarningRule.FAST_BURN, copy.getRule());
        assertEquals(AS_OF, copy.getAsOfMillis());
        assertEquals(new BigDecimal("0.5000000000"), copy.getWindowAvailability());
        assertEquals(new BigDecimal("0.9500000000"), copy.getAvailability());
        assertEquals(new BigDecimal("0.995"), copy.getStandard());
        assertEquals(FailureReason.TIMEOUT, copy.getMainFailureReason());
        assertEquals(OPEN_ID, copy.getOpenId());
        assertEquals(DeliveryStatus.PENDING, copy.getStatus());
    }

    @Test
    void breachSurvivesTheCommittableSerializerOfVersionThreeAsABreach() throws Exception {
        AlertRequestSerializer serializer = new AlertRequestSerializer();

        AlertRequest copy = serializer.deserialize(3, serializer.serialize(breach()));

        assertEquals(breach(), copy);
        assertEquals(AlertKind.BREACH, copy.getKind());
    }

    @Test
    void committableOfAnUnknownVersionIsRejected() {
        AlertRequestSerializer serializer = new AlertRequestSerializer();

        assertThrows(IOException.class, () -> serializer.deserialize(4, new byte[0]));
    }

    @Test
    void warningIsRenderedWithTheWarningTemplateAndItsDataKeys() {
        TemplateMessage message =
                new AlertTemplate(options(WARNING_TEMPLATE))
                        .render(warning(WechatBinding.ACCOUNT_TYPE_ISV));

        assertEquals(WARNING_TEMPLATE, message.templateId());
        assertEquals(OPEN_ID, message.toUser());
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("thing1", "开发者100234回调可用率预警");
        expected.put("time2", "2026年11月16日~11月22日");
        expected.put("thing3", "近1小时失败率过高");
        expected.put("character_string4", "50.00%");
        expected.put("character_string5", "95.00%");
        expected.put("character_string6", "99.5%");
        expected.put("time7", "2026-11-18 10:00");
        assertEquals(expected, message.data());
    }

    @Test
    void warningToABrandAccountUsesTheWarningTemplateToo() {
        TemplateMessage message =
                new AlertTemplate(options(WARNING_TEMPLATE))
                        .render(warning(WechatBinding.ACCOUNT_TYPE_BRAND));

        assertEquals(WARNING_TEMPLATE, message.templateId());
    }

    @Test
    void eachRuleHasItsOwnText() {
        AlertTemplate template = new AlertTemplate(options(WARNING_TEMPLATE));
        AlertRequest warning = warning(WechatBinding.ACCOUNT_TYPE_ISV);
        Map<WarningRule, String> texts = new LinkedHashMap<>();
        for (WarningRule rule : WarningRule.values()) {
            warning.setRule(rule);
            texts.put(rule, template.render(warning).data().get("thing3"));
        }

        assertEquals(
                Map.of(
                        WarningRule.FAST_BURN, "近1小时失败率过高",
                        WarningRule.SLOW_BURN, "近6小时失败率过高",
                        WarningRule.BUDGET_SPENT, "本周错误预算已耗尽"),
                texts);
    }

    @Test
    void breachIsStillRenderedWithTheBreachTemplate() {
        TemplateMessage message = new AlertTemplate(options(WARNING_TEMPLATE)).render(breach());

        assertEquals("tpl-breach", message.templateId());
        assertEquals("开发者100234回调可用率未达标", message.data().get("thing1"));
    }

    @Test
    void warningHasAnotherIdempotencyKeyThanTheBreachOfTheSameWeekAndOpenId() {
        AlertTemplate template = new AlertTemplate(options(WARNING_TEMPLATE));

        String breachId = template.render(breach()).clientMsgId();
        String warningId = template.render(warning(WechatBinding.ACCOUNT_TYPE_ISV)).clientMsgId();

        // SHA-256 of "100234/2026-11-16/oX3f-primary", as releases before warnings sent it.
        assertEquals("e421ca457b5f3028719c587eed632510", breachId);
        assertEquals(AlertTemplate.clientMsgId(DEV, MONDAY, OPEN_ID), breachId);
        assertNotEquals(breachId, warningId);
        assertEquals(32, warningId.length());
        assertEquals(
                warningId,
                template.render(warning(WechatBinding.ACCOUNT_TYPE_ISV)).clientMsgId(),
                "the same warning is sent under the same key");
    }
}
