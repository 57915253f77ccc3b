package com.openplatform.availability.records;

import static com.openplatform.availability.records.RecordJson.DEVELOPER;
import static com.openplatform.availability.records.RecordJson.EVENT_TIME;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openplatform.availability.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Strings that would reach a database or WeChat altered, or not at all: NUL, unpaired surrogate
 * escapes and malformed UTF-8 are rejected by every parser, never stored as something else.
 */
class HostileTextTest {
    private final CallbackEventParser events = new CallbackEventParser();
    private final StandardUpdateParser standards = new StandardUpdateParser();
    private final WechatBindingParser bindings = new WechatBindingParser();

    private static final String BEFORE_TYPE =
            "{\"eventId\":\"e-1\",\"developerId\":" + DEVELOPER + ",\"callbackType\":\"";

    /** An event whose callbackType is {@code typeBytes} verbatim. */
    private static byte[] eventWithType(byte[] typeBytes) {
        return concat(
                BEFORE_TYPE,
                typeBytes,
                "\",\"eventTime\":"
                        + EVENT_TIME
                        + ",\"httpStatus\":200,\"latencyMs\":5,\"responseOk\":true}");
    }

    private static byte[] bindingWithOpenId(String openIdJson) {
        return TestData.bytes(
                "{\"developerId\":"
                        + DEVELOPER
                        + ",\"openId\":\""
                        + openIdJson
                        + "\",\"bound\":true,\"version\":1}");
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(TestData.bytes(before));
        out.writeBytes(middle);
        out.writeBytes(TestData.bytes(after));
        return out.toByteArray();
    }

    private static RecordRejectedException assertInvalidField(
            Executable parse, String detailMentions) {
        RecordRejectedException e = assertThrows(RecordRejectedException.class, parse);
        assertEquals(RejectReason.INVALID_FIELD, e.getReason(), e.getMessage());
        assertTrue(
                e.getMessage().contains(detailMentions),
                () -> "detail '" + e.getMessage() + "' should mention " + detailMentions);
        // The detail itself must be writable to the dead letter.
        assertDoesNotThrow(
                () ->
                        DeadLetterJson.toJson(
                                new DeadLetter(
                                        "events", e.getReason(), e.getMessage(), new byte[0])));
        assertNull(Utf8Text.problem(e.getMessage()), e.getMessage());
        return e;
    }

    @Test
    void nulEscapeInAnOpenIdIsRejectedNamingTheField() {
        RecordRejectedException e =
                assertInvalidField(
                        () -> bindings.parse(bindingWithOpenId("o\\u0000nul")), "'openId'");

        assertTrue(e.getMessage().contains("NUL"), e.getMessage());
    }

    @Test
    void nulEscapeInEventIdOrCallbackTypeIsRejected() {
        byte[] id =
                TestData.bytes(
                        TestData.event(DEVELOPER, EVENT_TIME)
                                .json()
                                .replaceFirst("\"eventId\":\"", "\"eventId\":\"\\\\u0000"));

        assertInvalidField(() -> events.parse(id), "'eventId'");
        assertInvalidField(
                () -> events.parse(eventWithType(TestData.bytes("a\\u0000b"))), "'callbackType'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"o\\ud800lone", "o\\udc00lone", "\\udc00\\ud800", "o\\ud800"})
    void unpairedSurrogateEscapeInAnOpenIdIsRejected(String openId) {
        RecordRejectedException e =
                assertInvalidField(() -> bindings.parse(bindingWithOpenId(openId)), "'openId'");

        assertTrue(e.getMessage().contains("unpaired surrogate"), e.getMessage());
    }

    @Test
    void surrogatePairEscapeIsOneCharacterAndAccepted() throws Exception {
        assertEquals(
                "o\ud83d\ude00", bindings.parse(bindingWithOpenId("o\\ud83d\\ude00")).getOpenId());
    }

    @Test
    void unpairedSurrogateInRoleIsRejected() {
        byte[] raw =
                TestData.bytes(
                        "{\"developerId\":1,\"openId\":\"o1\",\"bound\":true,\"version\":1,"
                                + "\"role\":\"\\ud800\"}");

        assertInvalidField(() -> bindings.parse(raw), "'role'");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "C0AF", // overlong '/'
                "E080AF", // overlong '/' in three bytes
                "F08080AF", // overlong '/' in four bytes
                "EDA080", // CESU-8: an encoded high surrogate
                "EDA0BDEDB880", // CESU-8: an encoded surrogate pair
                "E4B8", // truncated three-byte sequence
                "F09F98", // truncated four-byte sequence
                "80", // continuation byte without a lead
                "F5808080", // lead byte above F4
                "F4908080", // beyond U+10FFFF
                "FF"
            })
    void malformedUtf8InsideAStringIsRejectedNotAltered(String hex) {
        byte[] malformed = HexFormat.of().parseHex(hex);

        assertInvalidField(() -> events.parse(eventWithType(malformed)), "not valid UTF-8");
        assertInvalidField(
                () -> bindings.parse(concat("{\"openId\":\"o", malformed, "\"}")),
                "not valid UTF-8");
        assertInvalidField(
                () ->
                        standards.parse(
                                concat(
                                        "{\"developerId\":1,\"version\":1,\"standard\":\"0.99\","
                                                + "\"note\":\"",
                                        malformed,
                                        "\"}")),
                "not valid UTF-8");
    }

    @Test
    void malformedUtf8DetailSaysWhereAndWhat() {
        int offset = BEFORE_TYPE.length() + 1;

        assertInvalidField(
                () -> events.parse(eventWithType(HexFormat.of().parseHex("2FC0AF"))),
                "at byte " + offset + " (C0 AF): overlong encoding");
    }

    @Test
    void wellFormedTwoThreeAndFourByteCharactersAreAccepted() throws Exception {
        // Each first and last of its length and the neighbours of the surrogate range.
        String type = "\u0080\u07FF\u0800\uD7FF\uE000\uFFFF\uD800\uDC00\uDBFF\uDFFFé订\uD83D\uDE00";

        CallbackEvent event = events.parse(eventWithType(type.getBytes(StandardCharsets.UTF_8)));

        assertEquals(type, event.getCallbackType());
    }

    @Test
    void rejectionQuotingAnUnpairedSurrogateEscapesIt() {
        byte[] raw =
                TestData.bytes(
                        "{\"developerId\":\"\\ud800\",\"openId\":\"o\",\"bound\":true,"
                                + "\"version\":1}");

        assertInvalidField(() -> bindings.parse(raw), "\\uD800");
    }

    @Test
    void rejectionQuotingALongStringNeverCutsASurrogatePairInHalf() {
        String value = "a".repeat(39) + "\uD83D\uDE00" + "b".repeat(10);
        byte[] raw =
                TestData.bytes(
                        "{\"developerId\":\""
                                + value
                                + "\",\"openId\":\"o\",\"bound\":true,\"version\":1}");

        assertInvalidField(() -> bindings.parse(raw), "'developerId'");
    }
}
