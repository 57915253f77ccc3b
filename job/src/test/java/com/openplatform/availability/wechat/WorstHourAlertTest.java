package com.openplatform.availability.wechat;

import static com.openplatform.availability.wechat.WechatTestSupport.alert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.openplatform.availability.config.JobConfig;
import com.openplatform.availability.config.WechatOptions;
import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.FailureReason;
import com.openplatform.availability.records.HourlyCounts;
import com.openplatform.availability.records.LatencyHistogram;
import com.openplatform.availability.records.WeeklyCounts;
import com.openplatform.availability.records.WeeklyResult;
import com.openplatform.availability.testing.TestData;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The breach alert's worst hour (docs/reference.md §6): planned, serialized and shown where
 * configured.
 */
class WorstHourAlertTest {
    private static final long MONDAY = TestData.at(TestData.SHANGHAI, "2026-11-16T00:00");
    private static final long NEXT_MONDAY = TestData.at(TestData.SHANGHAI, "2026-11-23T00:00");

    private static WechatOptions options(String dataKeys) {
        return JobConfig.builder()
                .eventsFile("unused-events.ndjson")
                .standardsFile("unused-standards.ndjson")
                .bindingsFile("unused-bindings.ndjson")
                .dlqFile("unused-dlq.ndjson")
                .jdbcUrl("jdbc:postgresql://127.0.0.1:1/unused")
                .wechatAppId("wx-worst-hour")
                .wechatAppSecret("secret")
                .wechatTemplateId("tpl")
                .wechatDataKeys(dataKeys)
                .build()
                .wechat();
    }

    /** 120 callbacks, 37 of them failed, on Wednesday 10:00–11:00 Shanghai time. */
    private static WeeklyResult breach() {
        WeeklyCounts counts = new WeeklyCounts(100_234, MONDAY, NEXT_MONDAY);
        HourlyCounts hours = new HourlyCounts(MONDAY, NEXT_MONDAY);
        int wednesdayTen =
                HourlyCounts.hourOf(MONDAY, TestData.at(TestData.SHANGHAI, "2026-11-18T10:30"));
        for (int i = 0; i < 120; i++) {
            boolean failed = i < 37;
            counts.count("order.push", failed ? FailureReason.HTTP_ERROR : null);
            hours.count(wednesdayTen, failed);
        }
        counts.addDiagnosis(new LatencyHistogram(), hours);
        return WeeklyResult.judge(counts, "2026-11-16", new BigDecimal("0.995"));
    }

    @Test
    void theAlertShowsTheLocalHourWithMostFailuresWhereATemplateKeyCarriesIt() {
        AlertRequest alert = AlertRequest.forBreach(breach(), null, TestData.SHANGHAI);

        assertEquals("2026-11-18T10:00", alert.getWorstHourStart());
        assertEquals(
                Map.of("thing8", "11-18 10:00 37/120", "time2", "2026年11月16日~11月22日"),
                new AlertTemplate(options("worst_hour=thing8,week=time2")).render(alert).data());
    }

    @Test
    void theDefaultTemplateHasNoWorstHourKey() {
        assertFalse(
                options(WechatOptions.DEFAULT_DATA_KEYS)
                        .dataKeys()
                        .containsKey(WechatOptions.FIELD_WORST_HOUR));
    }

    @Test
    void theWorstHourSurvivesTheCommittableSerializerAndOlderCommittablesHaveNone()
            throws Exception {
        AlertRequestSerializer serializer = new AlertRequestSerializer();
        AlertRequest alert = AlertRequest.forBreach(breach(), null, TestData.SHANGHAI);

        AlertRequest copy =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(alert));

        assertEquals(alert, copy);
        assertEquals(37, copy.getWorstHourFailed());
        assertEquals(120, copy.getWorstHourTotal());

        // Version 1 is version 3 without the warning fields (for a breach the kind "BREACH" as
        // UTF, no rule, as-of 0, no window availability) and without the worst hour (no start
        // and two longs).
        AlertRequest older = alert(100_234, "o-a");
        byte[] current = serializer.serialize(older);
        int warningFields = 2 + "BREACH".length() + 1 + 8 + 1;
        byte[] version1 = Arrays.copyOf(current, current.length - warningFields - 1 - 8 - 8);
        AlertRequest restored = serializer.deserialize(1, version1);

        assertEquals(older, restored);
        assertNull(restored.getWorstHourStart());
        assertEquals(
                Map.of("thing8", "无"),
                new AlertTemplate(options("worst_hour=thing8")).render(restored).data());
    }
}
