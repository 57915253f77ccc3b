package com.openplatform.availability.records;

import static com.openplatform.availability.records.RecordJson.NODES;
import static com.openplatform.availability.records.RecordJson.bytes;
import static com.openplatform.availability.records.RecordJson.object;
import static com.openplatform.availability.records.RecordJson.with;
import static com.openplatform.availability.records.RecordJson.without;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openplatform.availability.testing.TestData;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StandardUpdateParserTest {
    private static final long DEVELOPER = 100234L;
    private static final long EFFECTIVE_FROM = TestData.at(TestData.SHANGHAI, "2026-11-16T00:00");

    private final StandardUpdateParser parser = new StandardUpdateParser();

    private static ObjectNode update(String standard) {
        return object(TestData.standard(DEVELOPER, standard, EFFECTIVE_FROM, 7));
    }

    private StandardUpdate parse(byte[] raw) throws RecordRejectedException {
        return parser.parse(raw);
    }

    private BigDecimal standardOf(JsonNode standard) throws RecordRejectedException {
        return parse(with(update("0.5"), "standard", standard)).getStandard();
    }

    private void assertStandardRejected(JsonNode standard) {
        RecordRejectedException e =
                assertThrows(
                        RecordRejectedException.class,
                        () -> parse(with(update("0.5"), "standard", standard)));
        assertEquals(RejectReason.INVALID_FIELD, e.getReason(), e.getMessage());
        assertTrue(e.getMessage().contains("'standard'"), e.getMessage());
    }

    @Test
    void validUpdateCarriesEveryField() throws Exception {
        StandardUpdate update = parse(TestData.bytes(TestData.standard(DEVELOPER, "0.995", 42, 7)));

        assertEquals(new StandardUpdate(DEVELOPER, new BigDecimal("0.995"), 42, 7), update);
    }

    @Test
    void standardMayBeADecimalStringOrANumberWithTheSameValue() throws Exception {
        BigDecimal fromString = standardOf(NODES.textNode("0.995"));
        BigDecimal fromNumber =
                parse(TestData.bytes("{\"developerId\":1,\"standard\":0.995,\"version\":0}"))
                        .getStandard();

        assertEquals(0, new BigDecimal("0.995").compareTo(fromString));
        assertEquals(fromString, fromNumber);
    }

    @Test
    void standardOfOneIsAllowedAsStringOrNumber() throws Exception {
        assertEquals(0, BigDecimal.ONE.compareTo(standardOf(NODES.textNode("1"))));
        assertEquals(0, BigDecimal.ONE.compareTo(standardOf(NODES.numberNode(1))));
        assertEquals(0, BigDecimal.ONE.compareTo(standardOf(NODES.textNode("1.000000000000"))));
    }

    @Test
    void standardOutsideZeroToOneIsRejected() {
        assertStandardRejected(NODES.textNode("0"));
        assertStandardRejected(NODES.numberNode(0));
        assertStandardRejected(NODES.textNode("-0.5"));
        assertStandardRejected(NODES.textNode("1.0001"));
        assertStandardRejected(NODES.numberNode(new BigDecimal("1.0001")));
    }

    @Test
    void standardWithMoreThanTenSignificantDecimalsIsRejected() throws Exception {
        assertEquals(
                0,
                new BigDecimal("0.9999999999")
                        .compareTo(standardOf(NODES.textNode("0.9999999999"))));
        assertStandardRejected(NODES.textNode("0.99999999991"));
        assertStandardRejected(NODES.textNode("0.00000000001"));
    }

    @Test
    void standardThatIsNotADecimalIsRejected() {
        assertStandardRejected(NODES.textNode("high"));
        assertStandardRejected(NODES.textNode(""));
        assertStandardRejected(NODES.booleanNode(true));
        assertStandardRejected(NODES.nullNode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"developerId", "standard", "version"})
    void missingRequiredFieldIsRejectedNamingIt(String field) {
        RecordRejectedException e =
                assertThrows(
                        RecordRejectedException.class,
                        () -> parse(without(update("0.995"), field)));

        assertEquals(RejectReason.MISSING_FIELD, e.getReason());
        assertTrue(e.getMessage().contains("'" + field + "'"), e.getMessage());
    }

    @Test
    void negativeVersionIsRejected() {
        RecordRejectedException e =
                assertThrows(
                        RecordRejectedException.class,
                        () -> parse(with(update("0.995"), "version", NODES.numberNode(-1))));

        assertEquals(RejectReason.INVALID_FIELD, e.getReason());
    }

    @Test
    void absentEffectiveFromMeansTheBeginningOfTime() throws Exception {
        StandardUpdate update = parse(TestData.bytes(TestData.standard(DEVELOPER, "0.99", 3)));

        assertEquals(StandardUpdate.BEGINNING_OF_TIME, update.getEffectiveFrom());
    }

    @Test
    void nullEffectiveFromAlsoMeansTheBeginningOfTime() throws Exception {
        StandardUpdate update = parse(with(update("0.99"), "effectiveFrom", NODES.nullNode()));

        assertEquals(StandardUpdate.BEGINNING_OF_TIME, update.getEffectiveFrom());
    }

    @Test
    void effectiveFromMustBeAnInteger() {
        RecordRejectedException e =
                assertThrows(
                        RecordRejectedException.class,
                        () ->
                                parse(
                                        with(
                                                update("0.99"),
                                                "effectiveFrom",
                                                NODES.textNode("2026-11-16"))));

        assertEquals(RejectReason.INVALID_FIELD, e.getReason());
    }

    @Test
    void developerIdZeroSetsThePlatformDefaultAndIsAllowed() throws Exception {
        StandardUpdate update = parse(TestData.bytes(TestData.standard(0, "0.99", 1)));

        assertEquals(0L, update.getDeveloperId());
    }

    @Test
    void negativeDeveloperIdIsRejected() {
        assertThrows(
                RecordRejectedException.class,
                () -> parse(TestData.bytes(TestData.standard(-1, "0.99", 1))));
    }

    @Test
    void malformedUpdateIsInvalidJson() {
        RecordRejectedException e =
                assertThrows(
                        RecordRejectedException.class,
                        () -> parse(TestData.bytes("{\"developerId\":1,")));

        assertEquals(RejectReason.INVALID_JSON, e.getReason());
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        ObjectNode record = update("0.99");
        record.putObject("audit").put("by", "ops").putArray("tags").add(1);

        assertEquals(DEVELOPER, parse(bytes(record)).getDeveloperId());
    }
}
