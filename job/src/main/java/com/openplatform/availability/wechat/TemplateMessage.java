package com.openplatform.availability.wechat;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
        ObjectNode body = WechatClient.JSON.createObjectNode();
        body.put("touser", toUser);
        body.put("template_id", templateId);
        if (url != null) {
            body.put("url", url);
        }
        body.put("client_msg_id", clientMsgId);
        ObjectNode values = body.putObject("data");
        for (Map.Entry<String, String> entry : data.entrySet()) {
            values.putObject(entry.getKey()).put("value", entry.getValue());
        }
        return WechatClient.toJson(body);
    }
}
