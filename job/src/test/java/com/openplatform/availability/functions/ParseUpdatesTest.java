package com.openplatform.availability.functions;

import static com.openplatform.availability.functions.FunctionTestSupport.deadLetters;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.openplatform.availability.records.DeadLetter;
import com.openplatform.availability.records.RawRecord;
import com.openplatform.availability.records.RejectReason;
import com.openplatform.availability.records.StandardUpdate;
import com.openplatform.availability.records.StandardUpdateParser;
import com.openplatform.availability.records.WechatBinding;
import com.openplatform.availability.records.WechatBindingParser;
import com.openplatform.availability.testing.TestData;
import java.math.BigDecimal;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

// Flink's harnesses and writers declare close() throws Exception, InterruptedException included.
@SuppressWarnings("try")
class ParseUpdatesTest {
    @Test
    void goodStandardsPassOnAndBadOnesBecomeDeadLettersOfTheirInput() throws Exception {
        ParseUpdates<StandardUpdate> parse =
                new ParseUpdates<>(
                        DeadLetters.STANDARDS,
                        new StandardUpdateParser()::parse,
                        StandardUpdate.class);
        byte[] good = TestData.bytes(TestData.standard(7, "0.99", 1));
        byte[] bad = TestData.bytes(TestData.standard(7, "1.5", 1));

        try (OneInputStreamOperatorTestHarness<RawRecord, StandardUpdate> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(parse)) {
            harness.processElement(RawRecord.of(good), 0L);
            harness.processElement(RawRecord.of(bad), 0L);

            assertEquals(
                    List.of(
                            new StandardUpdate(
                                    7,
                                    new BigDecimal("0.99"),
                                    StandardUpdate.BEGINNING_OF_TIME,
                                    1)),
                    harness.extractOutputValues());
            List<DeadLetter> letters = deadLetters(harness);
            assertEquals(1, letters.size());
            assertEquals(DeadLetters.STANDARDS, letters.get(0).getInput());
            assertEquals(RejectReason.INVALID_FIELD, letters.get(0).getReason());
            assertArrayEquals(bad, letters.get(0).getRaw());
        }
    }

    @Test
    void bindingsAreParsedTheSameWay() throws Exception {
        ParseUpdates<WechatBinding> parse =
                new ParseUpdates<>(
                        DeadLetters.BINDINGS,
                        new WechatBindingParser()::parse,
                        WechatBinding.class);

        try (OneInputStreamOperatorTestHarness<RawRecord, WechatBinding> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(parse)) {
            harness.processElement(
                    RawRecord.of(TestData.bytes(TestData.binding(7, "oX3f", true, 1))), 0L);
            harness.processElement(RawRecord.of(TestData.bytes("")), 0L);

            assertEquals(1, harness.extractOutputValues().size());
            assertEquals(DeadLetters.BINDINGS, deadLetters(harness).get(0).getInput());
            assertEquals(RejectReason.INVALID_JSON, deadLetters(harness).get(0).getReason());
        }
        assertEquals(TypeInformation.of(WechatBinding.class), parse.getProducedType());
    }

    @Test
    void lineCutByTheFileReaderIsTooLargeWithItsSizeAndKeepsOnlyItsStart() throws Exception {
        ParseUpdates<WechatBinding> parse =
                new ParseUpdates<>(
                        DeadLetters.BINDINGS,
                        new WechatBindingParser()::parse,
                        WechatBinding.class);
        byte[] start = TestData.bytes("[{\"developerId\":7");

        try (OneInputStreamOperatorTestHarness<RawRecord, WechatBinding> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(parse)) {
            harness.processElement(new RawRecord(start, 400_000_000L), 0L);

            assertEquals(List.of(), harness.extractOutputValues());
            DeadLetter letter = deadLetters(harness).get(0);
            assertEquals(RejectReason.TOO_LARGE, letter.getReason());
            assertEquals("record has 400000000 bytes, more than 65536", letter.getDetail());
            assertArrayEquals(start, letter.getRaw());
            assertEquals(400_000_000L, letter.getSize());
        }
    }
}
