package com.openplatform.availability.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.openplatform.availability.testkit.LoadGenerator;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fast path never disagrees with the strict Jackson reading: whatever it accepts, Jackson
 * accepts with the same values; everything else it leaves to Jackson.
 */
class FastEventScannerTest {
    private final CallbackEventParser parser = new CallbackEventParser();

    private static final String VALID =
            "{\"eventId\":\"e-1\",\"developerId\":100234,\"callbackType\":\"order.push\","
                    + "\"eventTime\":1763337600123,\"httpStatus\":200,\"latencyMs\":130,"
                    + "\"responseOk\":true}";

    @Test
    void takesTheCommonRecordWithTheValuesJacksonReads() throws Exception {
        CallbackEvent fast = FastEventScanner.tryParse(bytes(VALID));
        assertNotNull(fast);
        assertEquals(parser.parseWithJackson(bytes(VALID)), fast);
        String spaced =
                " \t{ \"responseOk\" : false ,\"latencyMs\":0,\"httpStatus\":0,\"eventTime\":0,"
                        + "\"callbackType\":\"x\",\"developerId\":9,\"eventId\":\"-0\"}\r\n";
        assertEquals(
                parser.parseWithJackson(bytes(spaced)), FastEventScanner.tryParse(bytes(spaced)));
    }

    @Test
    void leavesEverythingUnusualToJackson() {
        String[] unusual = {
            VALID.replace("\"e-1\"", "\"e\\u002d1\""), // escape
            VALID.replace("\"e-1\"", "\"é\""), // non-ASCII
            VALID.replace("100234", "0100234"), // leading zero
            VALID.replace("100234", "100234.0"), // fraction
            VALID.replace("100234", "1e5"), // exponent
            VALID.replace("100234", "1234567890123456789"), // 19 digits
            VALID.replace("100234", "0"), // out of range
            VALID.replace("200", "600"),
            VALID.replace("130", "-1"),
            VALID.replace("\"e-1\"", "\"\""),
            VALID.replace("true}", "true,\"extra\":1}"), // unknown field
            VALID.replace("{", "{\"httpStatus\":200,"), // duplicate
            VALID.replace(",\"latencyMs\":130", ""), // missing
            VALID + " x",
            VALID.replace("true", "tru"),
            VALID.replace("true", "null"),
            VALID.replace("200", "\"200\""),
            "\uFEFF" + VALID,
            VALID.replace(",", "\f,"),
            "",
            "{}",
            "[" + VALID + "]",
        };
        for (String json : unusual) {
            assertNull(FastEventScanner.tryParse(bytes(json)), json);
        }
    }

    /** Generated records, malformed ones included, and random single-byte mutations of them. */
    @Test
    void agreesWithJacksonOnGeneratedAndMutatedRecords() {
        LoadGenerator generator =
                new LoadGenerator(
                        new LoadGenerator.Options()
                                .file("unused")
                                .events(60_000)
                                .malformedRatio(0.05)
                                .seed(11));
        SplittableRandom random = new SplittableRandom(5);
        byte[] alphabet = bytes("{}[],:\"\\ -0123456789.eE+truefalsnul\t\r\nxé");
        int fast = 0;
        for (LoadGenerator.Generated record; (record = generator.next()) != null; ) {
            fast += compare(record.value());
            byte[] mutated = record.value().clone();
            if (mutated.length > 0) {
                mutated[random.nextInt(mutated.length)] = alphabet[random.nextInt(alphabet.length)];
                compare(mutated);
            }
        }
        // Nearly every valid record takes the fast path.
        assertEquals(true, fast > 55_000, "fast path taken " + fast + " times");
    }

    private int compare(byte[] raw) {
        CallbackEvent fast = FastEventScanner.tryParse(raw);
        if (fast == null) {
            return 0;
        }
        try {
            assertEquals(parser.parseWithJackson(raw), fast, () -> string(raw));
        } catch (RecordRejectedException e) {
            fail(
                    "fast path accepted what Jackson rejects ("
                            + e.getMessage()
                            + "): "
                            + string(raw));
        }
        return 1;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(byte[] raw) {
        return new String(raw, StandardCharsets.UTF_8);
    }
}
