package com.openplatform.availability.records;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * What one developer-week costs in state and on the wire (Flink's POJO serializer), with the
 * diagnosis: a typical week, and the worst case of every hour and every latency bucket filled with
 * counts that need the longest varints. docs/benchmarks.md reports the sizes this prints.
 */
class WeeklyCountsStateSizeTest {
    private static final long HOUR = HourlyCounts.HOUR_MILLIS;
    private static final long WEEK_START = 1_763_222_400_000L;
    private static final long WEEK_END = WEEK_START + 168 * HOUR;

    private static int serializedSize(WeeklyCounts counts) throws Exception {
        TypeSerializer<WeeklyCounts> serializer =
                TypeInformation.of(WeeklyCounts.class).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(1024);
        serializer.serialize(counts, out);
        return out.length();
    }

    private static WeeklyCounts fiveTypes() {
        WeeklyCounts counts = new WeeklyCounts(100_234, WEEK_START, WEEK_END);
        for (String type :
                new String[] {
                    "order.push", "order.cancel", "order.refund", "delivery.status", "shop.notify"
                }) {
            counts.count(type, null);
            counts.count(type, FailureReason.TIMEOUT);
        }
        return counts;
    }

    @Test
    void aTypicalWeeksDiagnosisAddsLessThanOneAndAHalfKilobytes() throws Exception {
        WeeklyCounts counts = fiveTypes();
        int countsOnly = serializedSize(counts);
        // 20,000 callbacks a week over the day's hours, log-normal latencies around 150 ms.
        Random random = new Random(1);
        LatencyHistogram latencies = new LatencyHistogram();
        HourlyCounts hours = new HourlyCounts(WEEK_START, WEEK_END);
        for (int i = 0; i < 20_000; i++) {
            latencies.record((long) Math.exp(5 + 0.7 * random.nextGaussian()));
            hours.count(random.nextInt(168), random.nextInt(200) == 0);
        }
        counts.addDiagnosis(latencies, hours);
        int withDiagnosis = serializedSize(counts);

        System.out.printf(
                "typical developer-week: %d bytes, of which %d counts, %d latencies, %d hours%n",
                withDiagnosis,
                countsOnly,
                counts.getLatencyHistogram().length,
                counts.getHourlyCounts().length);
        assertTrue(withDiagnosis - countsOnly < 1_500, withDiagnosis + " bytes");
    }

    @Test
    void theWorstCaseWeekStaysWithinTenKilobytes() throws Exception {
        WeeklyCounts counts = fiveTypes();
        LatencyHistogram latencies = new LatencyHistogram();
        HourlyCounts hours = new HourlyCounts(WEEK_START, WEEK_START + 169 * HOUR);
        // Every bucket up to 10 minutes and every hour, each with counts of 2^35 and more.
        LatencyHistogram big = new LatencyHistogram();
        for (long value = 0; value < 600_000; value++) {
            if (LatencyHistogram.middleOf(LatencyHistogram.bucketOf(value)) == value
                    || value < LatencyHistogram.EXACT_BELOW) {
                big.record(value);
            }
        }
        for (int i = 0; i < 35; i++) {
            latencies.add(latencies);
            latencies.add(big);
        }
        for (int hour = 0; hour < 169; hour++) {
            hours.count(hour, true);
        }
        HourlyCounts doubled = new HourlyCounts(WEEK_START, WEEK_START + 169 * HOUR);
        for (int i = 0; i < 36; i++) {
            doubled.add(hours);
            hours.add(doubled);
        }
        WeeklyCounts worst = new WeeklyCounts(100_234, WEEK_START, WEEK_START + 169 * HOUR);
        worst.merge(counts);
        worst.addDiagnosis(latencies, hours);
        int size = serializedSize(worst);

        System.out.printf(
                "worst-case developer-week: %d bytes (%d latency buckets: %d bytes, 169 hours: %d"
                        + " bytes)%n",
                size,
                LatencyHistogram.bucketOf(600_000),
                worst.getLatencyHistogram().length,
                worst.getHourlyCounts().length);
        assertTrue(size < 10_000, size + " bytes");
    }
}
