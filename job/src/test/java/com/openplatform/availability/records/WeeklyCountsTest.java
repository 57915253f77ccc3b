package com.openplatform.availability.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class WeeklyCountsTest {
    private static final String PUSH = "order.push";
    private static final String CANCEL = "order.cancel";

    private static WeeklyCounts week() {
        return new WeeklyCounts(7, 1_000L, 2_000L);
    }

    private static void count(WeeklyCounts counts, String type, FailureReason reason, int times) {
        for (int i = 0; i < times; i++) {
            counts.count(type, reason);
        }
    }

    @Test
    void countAddsToTheTotalTheReasonAndTheType() {
        WeeklyCounts counts = week();

        count(counts, PUSH, null, 3);
        count(counts, PUSH, FailureReason.TIMEOUT, 2);
        count(counts, CANCEL, FailureReason.CONNECT_ERROR, 1);
        count(counts, CANCEL, FailureReason.HTTP_ERROR, 1);
        count(counts, CANCEL, FailureReason.BAD_RESPONSE, 1);

        assertEquals(8, counts.getTotalCount());
        assertEquals(5, counts.failedCount());
        assertEquals(3, counts.validCount());
        assertEquals(1, counts.getConnectErrorCount());
        assertEquals(2, counts.getTimeoutCount());
        assertEquals(1, counts.getHttpErrorCount());
        assertEquals(1, counts.getBadResponseCount());
        assertEquals(2, counts.failures(FailureReason.TIMEOUT));
        assertEquals(
                List.of(new CallbackTypeCount(CANCEL, 3, 3), new CallbackTypeCount(PUSH, 5, 2)),
                counts.sortedCallbackTypes());
    }

    @Test
    void mergeAddsEveryCountAndMatchesTypesByName() {
        WeeklyCounts a = week();
        count(a, PUSH, null, 2);
        count(a, PUSH, FailureReason.HTTP_ERROR, 1);
        WeeklyCounts b = week();
        count(b, CANCEL, FailureReason.TIMEOUT, 4);
        count(b, PUSH, FailureReason.BAD_RESPONSE, 1);

        a.merge(b);

        WeeklyCounts expected = week();
        count(expected, PUSH, null, 2);
        count(expected, PUSH, FailureReason.HTTP_ERROR, 1);
        count(expected, CANCEL, FailureReason.TIMEOUT, 4);
        count(expected, PUSH, FailureReason.BAD_RESPONSE, 1);
        assertEquals(expected, a);
        assertEquals(8, a.getTotalCount());
        assertEquals(new CallbackTypeCount(PUSH, 4, 2), a.sortedCallbackTypes().get(1));
    }

    @Test
    void equalCountsCompareEqualWhateverTheTypeOrder() {
        WeeklyCounts a = week();
        count(a, PUSH, null, 1);
        count(a, CANCEL, null, 1);
        WeeklyCounts b = week();
        count(b, CANCEL, null, 1);
        count(b, PUSH, null, 1);

        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
    }

    @Test
    void mainFailureReasonIsTheMostFrequentOne() {
        WeeklyCounts counts = week();
        count(counts, PUSH, FailureReason.CONNECT_ERROR, 1);
        count(counts, PUSH, FailureReason.BAD_RESPONSE, 3);
        count(counts, PUSH, FailureReason.HTTP_ERROR, 2);

        assertEquals(FailureReason.BAD_RESPONSE, counts.mainFailureReason());
    }

    @Test
    void mainFailureReasonTiesGoToTheEarlierReason() {
        WeeklyCounts counts = week();
        count(counts, PUSH, FailureReason.BAD_RESPONSE, 2);
        count(counts, PUSH, FailureReason.HTTP_ERROR, 2);
        count(counts, PUSH, FailureReason.TIMEOUT, 1);

        assertEquals(FailureReason.HTTP_ERROR, counts.mainFailureReason());

        count(counts, PUSH, FailureReason.TIMEOUT, 1);

        assertEquals(FailureReason.TIMEOUT, counts.mainFailureReason());
    }

    @Test
    void noFailuresMeansNoMainFailureReason() {
        WeeklyCounts counts = week();
        count(counts, PUSH, null, 10);

        assertNull(counts.mainFailureReason());
        assertNull(week().mainFailureReason());
    }

    private static CallbackTypeCount type(WeeklyCounts counts, String name) {
        return counts.sortedCallbackTypes().stream()
                .filter(t -> t.getCallbackType().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void beyondAHundredDistinctTypesTheCountsGoUnderOther() {
        WeeklyCounts counts = week();
        for (int i = 0; i < 250; i++) {
            counts.count("type-" + i, i % 10 == 0 ? FailureReason.TIMEOUT : null);
        }
        counts.count("type-0", null); // a type that has its own count keeps it

        assertEquals(WeeklyCounts.MAX_CALLBACK_TYPES + 1, counts.sortedCallbackTypes().size());
        assertEquals(2, type(counts, "type-0").getTotalCount());
        assertEquals(150, type(counts, WeeklyCounts.OTHER_CALLBACK_TYPES).getTotalCount());
        assertEquals(15, type(counts, WeeklyCounts.OTHER_CALLBACK_TYPES).getFailedCount());
        assertEquals(251, counts.getTotalCount());
        assertEquals(
                counts.getTotalCount(),
                counts.sortedCallbackTypes().stream()
                        .mapToLong(CallbackTypeCount::getTotalCount)
                        .sum());
    }

    @Test
    void mergingPartialsKeepsTheBoundAndEveryCallback() {
        WeeklyCounts a = week();
        WeeklyCounts b = week();
        for (int i = 0; i < 80; i++) {
            a.count("a-" + i, null);
            b.count("b-" + i, FailureReason.HTTP_ERROR);
        }
        b.count("a-0", null);

        a.merge(b);

        assertEquals(WeeklyCounts.MAX_CALLBACK_TYPES + 1, a.sortedCallbackTypes().size());
        assertEquals(2, type(a, "a-0").getTotalCount());
        assertEquals(60, type(a, WeeklyCounts.OTHER_CALLBACK_TYPES).getTotalCount());
        assertEquals(161, a.getTotalCount());
    }

    @Test
    void countsCopiedByFlinksSerializerKeepCountingEachTypeOnce() throws Exception {
        WeeklyCounts counts = week();
        count(counts, PUSH, null, 2);
        TypeSerializer<WeeklyCounts> serializer =
                TypeInformation.of(WeeklyCounts.class).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(counts, out);
        WeeklyCounts restored =
                serializer.deserialize(
                        serializer.createInstance(),
                        new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        WeeklyCounts copy = serializer.copy(restored);

        restored.count(PUSH, null);
        copy.count(PUSH, FailureReason.TIMEOUT);

        assertEquals(List.of(new CallbackTypeCount(PUSH, 3, 0)), restored.sortedCallbackTypes());
        assertEquals(List.of(new CallbackTypeCount(PUSH, 3, 1)), copy.sortedCallbackTypes());
        assertEquals(List.of(new CallbackTypeCount(PUSH, 2, 0)), counts.sortedCallbackTypes());
    }

    @Test
    void stateKeepsThePreviousFieldsAndNotTheLookupIndex() {
        // The lookup index is transient; the fields are the previous version's plus the week's
        // diagnosis, which Flink's POJO serializer adds on restore (PreviousVersionStateTest).
        PojoTypeInfo<WeeklyCounts> type =
                (PojoTypeInfo<WeeklyCounts>) TypeInformation.of(WeeklyCounts.class);

        assertEquals(
                Set.of(
                        "developerId",
                        "weekStartMillis",
                        "weekEndMillis",
                        "totalCount",
                        "connectErrorCount",
                        "timeoutCount",
                        "httpErrorCount",
                        "badResponseCount",
                        "callbackTypes",
                        "latencyHistogram",
                        "hourlyCounts"),
                Set.of(type.getFieldNames()));
    }
}
