package com.openplatform.availability.records;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.junit.jupiter.api.Test;

class InWeekCountsTest {
    private static final long WEEK_START = 1_700_000_000_000L;
    private static final long WEEK_END = WEEK_START + Duration.ofDays(7).toMillis();

    @Test
    void callbacksInHoursOfAnyOrderAreCountedPerHourAndReason() {
        InWeekCounts counts = new InWeekCounts(7, WEEK_START, WEEK_END);
        long[][] expected = new long[168][InWeekCounts.SLOTS];
        Random random = new Random(3);
        FailureReason[] reasons = FailureReason.values();
        for (int i = 0; i < 20_000; i++) {
            int hour = random.nextInt(168);
            int r = random.nextInt(reasons.length + 1);
            FailureReason reason = r == reasons.length ? null : reasons[r];
            counts.count(hour, reason);
            expected[hour][0]++;
            if (reason != null) {
                expected[hour][1 + reason.ordinal()]++;
            }
        }
        assertEquals(168, counts.entries());
        assertEquals(rows(expected), rows(counts));
    }

    @Test
    void countsGoOnAfterTheStateSerializerCopiedThem() {
        InWeekCounts counts = new InWeekCounts(7, WEEK_START, WEEK_END);
        counts.count(5, null);
        counts.count(3, FailureReason.TIMEOUT);
        TypeSerializer<InWeekCounts> serializer =
                TypeInformation.of(InWeekCounts.class)
                        .createSerializer(new ExecutionConfig().getSerializerConfig());
        InWeekCounts copy = serializer.copy(counts);
        copy.count(3, null);
        copy.count(167, FailureReason.CONNECT_ERROR);
        copy.count(5, null);

        long[][] expected = new long[168][InWeekCounts.SLOTS];
        expected[5][0] = 2;
        expected[3][0] = 2;
        expected[3][1 + FailureReason.TIMEOUT.ordinal()] = 1;
        expected[167][0] = 1;
        expected[167][1 + FailureReason.CONNECT_ERROR.ordinal()] = 1;
        assertEquals(rows(expected), rows(copy));
    }

    @Test
    void aDaylightSavingWeekOf169HoursCountsItsLastHour() {
        long weekEnd = WEEK_END + Duration.ofHours(1).toMillis();
        InWeekCounts counts = new InWeekCounts(7, WEEK_START, weekEnd);
        counts.count(168, FailureReason.HTTP_ERROR);
        assertEquals(List.of("h168 [1, 0, 0, 1, 0]"), rows(counts));
    }

    private static List<String> rows(long[][] expected) {
        List<String> rows = new ArrayList<>();
        for (int hour = 0; hour < expected.length; hour++) {
            if (expected[hour][0] > 0) {
                rows.add("h" + hour + " " + Arrays.toString(expected[hour]));
            }
        }
        return rows;
    }

    private static List<String> rows(InWeekCounts counts) {
        long[][] byHour = new long[170][InWeekCounts.SLOTS];
        for (int e = 0; e < counts.entries(); e++) {
            for (int s = 0; s < InWeekCounts.SLOTS; s++) {
                byHour[counts.hourAt(e)][s] = counts.countAt(e, s);
            }
        }
        return rows(byHour);
    }
}
