package com.openplatform.availability.records;

import static com.openplatform.availability.records.RecordJson.DEVELOPER;
import static com.openplatform.availability.records.RecordJson.EVENT_TIME;
import static com.openplatform.availability.records.RecordJson.NODES;
import static com.openplatform.availability.records.RecordJson.bytes;
import static com.openplatform.availability.records.RecordJson.event;
import static com.openplatform.availability.records.RecordJson.repeat;
import static com.openplatform.availability.records.RecordJson.with;
import static com.openplatform.availability.records.RecordJson.withRawFirstField;
import static com.openplatform.availability.records.RecordJson.without;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openplatform.availability.testing.TestData;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CallbackEventParserTest {
    private final CallbackEventParser parser = new CallbackEventParser();

    private CallbackEvent parse(byte[] raw) throws RecordRejectedException {
        return parser.parse(raw);
    }

    private RecordRejectedException rejection(byte[] raw) {
        return assertThrows(RecordRejectedException.class, () -> parser.parse(raw));
    }

    private void assertRejected(byte[] raw, RejectReason reason, String detailMentions) {
        RecordRejectedException e = rejection(raw);
        assertEquals(reason, e.getReason(), e.getMessage());
        assertTrue(
                e.getMessage().contains(detailMentions),
                () -> "detail '" + e.getMessage() + "' should mention " + detailMentions);
    }

    private void assertInvalidField(ObjectNode record, String field, JsonNode value) {
        assertRejected(with(record, field, value), RejectReason.INVALID_FIELD, "'" + field + "'");
    }

    private void assertAccepted(ObjectNode record, String field, JsonNode value)
            throws RecordRejectedException {
        parse(with(record, field, value));
    }

    @Test
    void validRecordBecomesAnEventWithEveryField() throws Exception {
        byte[] raw =
                TestData.event(DEVELOPER, EVENT_TIME)
                        .id("evt-a")
                        .type("order.cancel")
                        .status(503)
                        .latency(2999)
                        .badReply()
                        .bytes();

        CallbackEvent event = parse(raw);

        assertEquals(
                new CallbackEvent("evt-a", DEVELOPER, "order.cancel", EVENT_TIME, 503, 2999, false),
                event);
    }

    @Test
    void parseRecordKeepsTheRawBytesWithTheEventOrTheRejection() {
        byte[] good = TestData.event(DEVELOPER, EVENT_TIME).bytes();
        byte[] bad = TestData.bytes("nope");

        CallbackRecord accepted = parser.parseRecord(good);
        CallbackRecord rejected = parser.parseRecord(bad);

        assertFalse(accepted.isRejected());
        assertArrayEquals(good, accepted.getRaw());
        assertNull(accepted.getRejectReason());
        assertTrue(rejected.isRejected());
        assertArrayEquals(bad, rejected.getRaw());
        assertEquals(RejectReason.INVALID_JSON, rejected.getRejectReason());
        assertTrue(rejected.getRejectDetail().startsWith("malformed JSON"));
    }

    @Test
    void textThatIsNotJsonIsInvalidJson() {
        assertRejected(TestData.bytes("order pushed OK"), RejectReason.INVALID_JSON, "malformed");
    }

    @Test
    void emptyAndBlankLinesAreInvalidJson() {
        assertRejected(new byte[0], RejectReason.INVALID_JSON, "empty");
        assertRejected(TestData.bytes("   \t "), RejectReason.INVALID_JSON, "empty");
    }

    @Test
    void topLevelArrayIsInvalidJson() {
        byte[] array = TestData.bytes("[" + TestData.event(DEVELOPER, EVENT_TIME).json() + "]");

        assertRejected(array, RejectReason.INVALID_JSON, "expected a JSON object");
    }

    @Test
    void truncatedObjectIsInvalidJson() {
        String json = TestData.event(DEVELOPER, EVENT_TIME).json();

        assertEquals(
                RejectReason.INVALID_JSON,
                rejection(TestData.bytes(json.substring(0, json.length() - 1))).getReason());
        assertEquals(
                RejectReason.INVALID_JSON,
                rejection(TestData.bytes(json.substring(0, json.indexOf(',')))).getReason());
    }

    @Test
    void contentAfterTheObjectIsInvalidJsonButTrailingWhitespaceIsNot() throws Exception {
        String json = TestData.event(DEVELOPER, EVENT_TIME).json();

        assertRejected(TestData.bytes(json + " {}"), RejectReason.INVALID_JSON, "after");
        assertEquals(RejectReason.INVALID_JSON, rejection(TestData.bytes(json + "x")).getReason());
        assertEquals(DEVELOPER, parse(TestData.bytes(json + " \r\n")).getDeveloperId());
    }

    @Test
    void duplicateKeyIsInvalidJsonEvenWithTheSameValue() {
        ObjectNode record = event();

        assertRejected(
                withRawFirstField(record, "httpStatus", "500"),
                RejectReason.INVALID_JSON,
                "httpStatus");
        assertEquals(
                RejectReason.INVALID_JSON,
                rejection(withRawFirstField(record, "httpStatus", "200")).getReason());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "eventId",
                "developerId",
                "callbackType",
                "eventTime",
                "httpStatus",
                "latencyMs",
                "responseOk"
            })
    void eachMissingRequiredFieldIsRejectedNamingTheField(String field) {
        assertRejected(without(event(), field), RejectReason.MISSING_FIELD, "'" + field + "'");
    }

    @Test
    void httpStatusWrittenAsAStringIsNotAnInteger() {
        assertInvalidField(event(), "httpStatus", NODES.textNode("200"));
    }

    @Test
    void fractionalDeveloperIdIsInvalidEvenWhenWhole() {
        assertInvalidField(event(), "developerId", NODES.numberNode(1.5));
        assertInvalidField(event(), "developerId", NODES.numberNode(7.0));
    }

    @Test
    void nullOrTextResponseOkIsNotABoolean() {
        assertInvalidField(event(), "responseOk", NODES.nullNode());
        assertInvalidField(event(), "responseOk", NODES.textNode("true"));
    }

    @Test
    void developerIdMustBePositive() throws Exception {
        assertInvalidField(event(), "developerId", NODES.numberNode(0));
        assertInvalidField(event(), "developerId", NODES.numberNode(-5));
        assertAccepted(event(), "developerId", NODES.numberNode(1));
        assertAccepted(event(), "developerId", NODES.numberNode(Long.MAX_VALUE));
    }

    @Test
    void httpStatusMustBeFrom0To599() throws Exception {
        assertInvalidField(event(), "httpStatus", NODES.numberNode(600));
        assertInvalidField(event(), "httpStatus", NODES.numberNode(-1));
        assertAccepted(event(), "httpStatus", NODES.numberNode(0));
        assertAccepted(event(), "httpStatus", NODES.numberNode(599));
    }

    @Test
    void negativeLatencyIsInvalidButZeroIsNot() throws Exception {
        assertInvalidField(event(), "latencyMs", NODES.numberNode(-1));
        assertAccepted(event(), "latencyMs", NODES.numberNode(0));
    }

    @Test
    void eventIdOf129CharactersIsInvalidBut128AreNot() throws Exception {
        assertInvalidField(event(), "eventId", NODES.textNode(repeat('e', 129)));
        assertInvalidField(event(), "eventId", NODES.textNode(""));
        assertAccepted(event(), "eventId", NODES.textNode(repeat('e', 128)));
    }

    @Test
    void callbackTypeOf65CharactersIsInvalidBut64AreNot() throws Exception {
        assertInvalidField(event(), "callbackType", NODES.textNode(repeat('t', 65)));
        assertInvalidField(event(), "callbackType", NODES.textNode(""));
        assertAccepted(event(), "callbackType", NODES.textNode(repeat('t', 64)));
    }

    @Test
    void eventTimeMustBeFromTheEpochToTheYear9999() throws Exception {
        assertInvalidField(event(), "eventTime", NODES.numberNode(-1));
        assertInvalidField(
                event(), "eventTime", NODES.numberNode(CallbackEventParser.MAX_EVENT_TIME + 1));
        assertAccepted(event(), "eventTime", NODES.numberNode(CallbackEventParser.MAX_EVENT_TIME));
    }

    @Test
    void integerBeyondLongIsInvalidNotWrappedAround() {
        BigInteger beyond = BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE);

        assertInvalidField(event(), "developerId", NODES.numberNode(beyond));
        assertInvalidField(event(), "latencyMs", NODES.numberNode(beyond));
        assertInvalidField(event(), "httpStatus", NODES.numberNode(beyond.add(BigInteger.TEN)));
    }

    @Test
    void recordOf64KiBIsReadButOneByteMoreIsTooLarge() throws Exception {
        int limit = 64 * 1024;

        byte[] atLimit = padded(limit);
        byte[] overLimit = padded(limit + 1);

        assertEquals(limit, atLimit.length);
        assertEquals(DEVELOPER, parse(atLimit).getDeveloperId());
        assertRejected(overLimit, RejectReason.TOO_LARGE, String.valueOf(limit + 1));
    }

    /** A valid record padded with an unknown field to exactly {@code size} bytes. */
    private static byte[] padded(int size) {
        ObjectNode record = event();
        int withoutPadding = with(record, "padding", NODES.textNode("")).length;
        return with(record, "padding", NODES.textNode(repeat('x', size - withoutPadding)));
    }

    @Test
    void unknownFieldsAreIgnoredIncludingNestedObjectsAndArrays() throws Exception {
        ObjectNode record = event();
        ObjectNode nested = record.putObject("dispatcher");
        nested.put("host", "cb-7");
        nested.putObject("retry").put("eventId", "not-this-one").putArray("at").add(1).add(2);
        record.putArray("tags").add("a").addObject().put("developerId", -1);
        record.putNull("note");

        CallbackEvent event = parse(bytes(record));

        assertEquals(DEVELOPER, event.getDeveloperId());
        assertEquals(record.get("eventId").asText(), event.getEventId());
    }

    @Test
    void rejectionDetailNamesTheFieldAndTheRule() {
        RecordRejectedException e = rejection(with(event(), "httpStatus", NODES.numberNode(600)));

        assertTrue(e.getMessage().contains("'httpStatus' must be an integer from 0 to 599"));
        assertTrue(e.getMessage().contains("600"));
    }

    @Test
    void mistypedValueIsDescribedWithoutAStrayNull() {
        RecordRejectedException e = rejection(with(event(), "httpStatus", NODES.textNode("200")));

        assertFalse(
                e.getMessage().contains("null"),
                () -> "detail should describe the string \"200\": " + e.getMessage());
        assertTrue(e.getMessage().contains("200"));
    }

    @Test
    void rawBytesAreReadAsUtf8() throws Exception {
        byte[] raw =
                TestData.event(DEVELOPER, EVENT_TIME)
                        .type("订单.推送")
                        .json()
                        .getBytes(StandardCharsets.UTF_8);

        assertEquals("订单.推送", parse(raw).getCallbackType());
    }
}
