package com.openplatform.availability.wechat;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One template message as {@code message/template/send} takes it.
 *
 * @param url the page the message links to, or null for none
 * @param clientMsgId the idempotency key WeChat deduplicates resends by
 * @param data the template data: key (e.g. {@code thing1}) to value
 */
public record TemplateMessage(
        String toUser,
        String templateId,
        String url,
        String clientMsgId,
        Map<String, String> data) {

    /** The request body. */
    byte[] toJson() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("touser", toUser);
        body.put("template_id", templateId);
        if (url != null) {
            body.put("url", url);
        }
        body.put("client_msg_id", clientMsgId);
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : data.entrySet()) {
            values.put(entry.getKey(), Map.of("value", entry.getValue()));
        }
        body.put("data", values);
        return WechatJson.write(body);
    }
}
