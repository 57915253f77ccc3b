package com.openplatform.availability.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.openplatform.availability.testing.TestData;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeadLetterJsonTest {
    private static JsonNode written(DeadLetter letter) throws Exception {
        byte[] json = DeadLetterJson.toJson(letter);
        assertFalse(
                new String(json, StandardCharsets.UTF_8).contains("\n"),
                "one dead letter must stay on one line");
        return RecordJson.MAPPER.readTree(json);
    }

    @Test
    void writesReasonDetailInputAndRawAsOneJsonObject() throws Exception {
        String raw = TestData.event(5, 0).status(600).json();
        DeadLetter letter =
                new DeadLetter(
                        "events",
                        RejectReason.INVALID_FIELD,
                        "'httpStatus' must be an integer from 0 to 599",
                        TestData.bytes(raw));

        JsonNode json = written(letter);

        assertEquals("INVALID_FIELD", json.get("reason").asText());
        assertEquals(letter.getDetail(), json.get("detail").asText());
        assertEquals("events", json.get("input").asText());
        assertEquals(raw, json.get("raw").asText());
        assertEquals(4, json.size());
    }

    @Test
    void rawWithQuotesNewlinesAndControlCharactersStaysValidJson() throws Exception {
        String raw = "{\"a\":\"b\"\n\t\\ \u0001 \"unterminated";

        JsonNode json =
                written(
                        new DeadLetter(
                                "standards",
                                RejectReason.INVALID_JSON,
                                "bad",
                                TestData.bytes(raw)));

        assertEquals(raw, json.get("raw").asText());
    }

    @Test
    void rawThatIsNotUtf8BecomesReplacementCharacters() throws Exception {
        byte[] raw = {'o', 'k', (byte) 0xC3, (byte) 0x28, (byte) 0xFF};

        JsonNode json = written(new DeadLetter("bindings", RejectReason.INVALID_JSON, "bad", raw));

        assertEquals("ok\uFFFD(\uFFFD", json.get("raw").asText());
    }

    @Test
    void nonAsciiRawIsKept() throws Exception {
        String raw = "{\"callbackType\":\"订单.推送\"";

        JsonNode json =
                written(new DeadLetter("events", RejectReason.LATE, "late", TestData.bytes(raw)));

        assertEquals(raw, json.get("raw").asText());
        assertEquals("LATE", json.get("reason").asText());
    }

    @Test
    void lineCutAtTheSourceSaysItIsTruncatedAndHowLargeItWas() throws Exception {
        byte[] prefix = TestData.bytes("[1,2,3");

        JsonNode json =
                written(
                        new DeadLetter(
                                "standards",
                                RejectReason.TOO_LARGE,
                                "too large",
                                prefix,
                                400_000_000L));

        assertEquals("[1,2,3", json.get("raw").asText());
        assertEquals(true, json.get("truncated").asBoolean());
        assertEquals(400_000_000L, json.get("size").asLong());
    }

    @Test
    void hugeRawIsWrittenAsABoundedPrefix() throws Exception {
        byte[] raw = TestData.bytes("z".repeat(5 << 20));

        JsonNode json = written(new DeadLetter("events", RejectReason.TOO_LARGE, "big", raw));

        assertEquals(RawRecord.MAX_KEPT_BYTES, json.get("raw").asText().length());
        assertEquals(true, json.get("truncated").asBoolean());
        assertEquals(raw.length, json.get("size").asLong());
    }
}
