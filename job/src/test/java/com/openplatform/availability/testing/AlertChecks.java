package com.openplatform.availability.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openplatform.availability.testkit.WechatSimulator;
import com.openplatform.availability.wechat.AlertTemplate;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Exactly-once checks of the WeChat alerts: the ledger and what the simulator received. */
public final class AlertChecks {
    /** The early warnings' template (docs/reference.md §10) of the tests that send them. */
    public static final String WARNING_TEMPLATE = "tpl-warn";

    private AlertChecks() {}

    /**
     * The ledger holds one SENT row per breach in {@code rows} and bound openId (NO_RECIPIENT where
     * none is bound), and the simulator delivered exactly one message per such row, with that row's
     * client_msg_id, to its openId with {@code templateId}. A resend with the same client_msg_id,
     * which WeChat (and the simulator) drops, may have reached it: the one window docs/reference.md
     * §8 leaves, an answer WeChat gave just before the ledger became unreachable (a database
     * outage).
     */
    public static void assertEachAlertDeliveredOnce(
            ResultTables tables,
            Map<String, ReferenceModel.Row> rows,
            List<String> bindings,
            WechatSimulator simulator,
            String templateId)
            throws SQLException {
        List<String> ledger =
                ReferenceModel.alerts(rows, bindings).stream()
                        .map(row -> row.replace("/SKIPPED", "/SENT"))
                        .sorted()
                        .collect(Collectors.toList());
        assertEquals(ledger, tables.alertDeliveries(), "one ledger row per breach and openId");

        Map<String, String> expectedIds = expectedMessages(rows, bindings);
        // Early warnings (their own template) are checked by the tests that send them.
        List<WechatSimulator.Message> messages =
                simulator.messages().stream()
                        .filter(message -> !WARNING_TEMPLATE.equals(message.templateId()))
                        .collect(Collectors.toList());
        Map<String, Integer> sent = new TreeMap<>();
        for (WechatSimulator.Message message : messages) {
            sent.merge(message.clientMsgId(), 1, Integer::sum);
        }
        assertEquals(expectedIds.keySet(), sent.keySet(), "a message for every breach and openId");
        assertTrue(sent.values().stream().allMatch(n -> n == 1), "no message twice: " + sent);
        for (WechatSimulator.Message message : messages) {
            assertEquals(
                    expectedIds.get(message.clientMsgId()),
                    message.toUser(),
                    "sent to the openId of its row");
            assertEquals(templateId, message.templateId());
        }
        assertFalse(expectedIds.isEmpty(), "the data has breaches with bound openIds");
        assertTrue(ledger.stream().anyMatch(row -> row.endsWith("/NO_RECIPIENT")));
    }

    /** client_msg_id → openId of every message the breaches in {@code rows} call for. */
    public static Map<String, String> expectedMessages(
            Map<String, ReferenceModel.Row> rows, List<String> bindings) {
        Map<String, String> ids = new TreeMap<>();
        for (String row : ReferenceModel.alerts(rows, bindings)) {
            String[] parts = row.split("/", -1);
            if (!parts[2].isEmpty()) {
                ids.put(
                        AlertTemplate.clientMsgId(Long.parseLong(parts[0]), parts[1], parts[2]),
                        parts[2]);
            }
        }
        return ids;
    }
}
