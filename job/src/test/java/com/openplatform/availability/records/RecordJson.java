package com.openplatform.availability.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openplatform.availability.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Edits of the {@link TestData} records, for tests that break one field at a time. */
final class RecordJson {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static final long DEVELOPER = 100234L;
    static final long EVENT_TIME = TestData.at(TestData.SHANGHAI, "2026-11-18T10:15:30");

    private RecordJson() {}

    /** A valid callback event as an editable JSON object. */
    static ObjectNode event() {
        return object(TestData.event(DEVELOPER, EVENT_TIME).json());
    }

    static ObjectNode object(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] without(ObjectNode node, String field) {
        ObjectNode copy = node.deepCopy();
        copy.remove(field);
        return bytes(copy);
    }

    static byte[] with(ObjectNode node, String field, JsonNode value) {
        ObjectNode copy = node.deepCopy();
        copy.set(field, value);
        return bytes(copy);
    }

    /** The record's JSON text with {@code "field":value} inserted verbatim as its first field. */
    static byte[] withRawFirstField(ObjectNode node, String field, String rawValue) {
        String json = new String(bytes(node), StandardCharsets.UTF_8);
        return TestData.bytes("{\"" + field + "\":" + rawValue + "," + json.substring(1));
    }

    static String repeat(char c, int times) {
        return String.valueOf(c).repeat(times);
    }
}
