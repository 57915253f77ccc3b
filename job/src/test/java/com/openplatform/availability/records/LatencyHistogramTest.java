package com.openplatform.availability.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    private static final int[] PERCENTS = {1, 50, 90, 95, 99, 100};

    /** The smallest value with at least {@code percent} % of the values at or below it. */
    private static long exact(long[] sorted, int percent) {
        int i = 0;
        while ((i + 1) * 100L < (long) percent * sorted.length) {
            i++;
        }
        return sorted[i];
    }

    private static void assertWithinOnePercentOrOneMs(long exact, long actual, String what) {
        assertTrue(
                Math.abs(actual - exact) <= Math.max(1, exact / 100.0),
                what + ": " + actual + " for exact " + exact);
    }

    @Test
    void percentilesAreWithinOnePercentOrOneMillisecondOfTheExactNearestRank() {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            int n = 1 + random.nextInt(round < 100 ? 20 : 5_000);
            long[] values = new long[n];
            LatencyHistogram histogram = new LatencyHistogram();
            for (int i = 0; i < n; i++) {
                // Log-uniform from 0 ms to about 10 minutes, and long tails.
                values[i] = (long) Math.expm1(random.nextDouble() * Math.log(600_000));
                histogram.record(values[i]);
            }
            Arrays.sort(values);
            for (int percent : PERCENTS) {
                assertWithinOnePercentOrOneMs(
                        exact(values, percent),
                        histogram.percentile(percent),
                        "p" + percent + " of " + n + " values, round " + round);
            }
        }
    }

    @Test
    void everyValueLiesWithinHalfABucketOfItsBucketsMiddle() {
        for (long value = 0; value < 1_000_000; value++) {
            assertWithinOnePercentOrOneMs(
                    value,
                    LatencyHistogram.middleOf(LatencyHistogram.bucketOf(value)),
                    "bucket of " + value);
        }
        for (long value : new long[] {Integer.MAX_VALUE, 1L << 40, Long.MAX_VALUE}) {
            long middle = LatencyHistogram.middleOf(LatencyHistogram.bucketOf(value));
            assertTrue(Math.abs((double) middle - value) <= value / 128.0, value + ": " + middle);
        }
    }

    @Test
    void valuesBelowOneHundredTwentyEightAreExact() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long v = 1; v <= 100; v++) {
            histogram.record(v);
        }
        assertEquals(50, histogram.percentile(50));
        assertEquals(95, histogram.percentile(95));
        assertEquals(99, histogram.percentile(99));
        assertEquals(1, histogram.percentile(1));
    }

    @Test
    void nearestRankIsTheSmallestValueWithAtLeastThePercentAtOrBelowIt() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(10);
        histogram.record(20);
        // 50 % of 2 values is rank 1; 51 % is rank 2.
        assertEquals(10, histogram.percentile(50));
        assertEquals(20, histogram.percentile(51));
        assertEquals(20, histogram.percentile(99));
    }

    @Test
    void emptyHistogramHasNoPercentilesAndNoEncoding() {
        LatencyHistogram empty = new LatencyHistogram();
        assertNull(empty.percentile(50));
        assertNull(empty.encode());
        assertEquals(0, LatencyHistogram.decode(null).count());
    }

    @Test
    void mergedHistogramsEqualOneThatRecordedEverything() {
        Random random = new Random(7);
        LatencyHistogram all = new LatencyHistogram();
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        for (int i = 0; i < 10_000; i++) {
            long value = random.nextInt(i % 2 == 0 ? 200 : 60_000);
            all.record(value);
            (i % 3 == 0 ? a : b).record(value);
        }
        a.add(b);
        assertArrayEquals(all.encode(), a.encode());
        LatencyHistogram reversed = LatencyHistogram.decode(b.encode());
        assertEquals(all.count(), a.count());
        assertEquals(b.count(), reversed.count());
    }

    @Test
    void encodingRoundTripsAndIsCompact() {
        LatencyHistogram histogram = new LatencyHistogram();
        Random random = new Random(3);
        for (int i = 0; i < 100_000; i++) {
            histogram.record(50 + (long) Math.abs(random.nextGaussian() * 200));
        }
        byte[] encoded = histogram.encode();
        LatencyHistogram decoded = LatencyHistogram.decode(encoded);

        assertArrayEquals(encoded, decoded.encode());
        for (int percent : PERCENTS) {
            assertEquals(histogram.percentile(percent), decoded.percentile(percent));
        }
        assertTrue(encoded.length < 1_500, encoded.length + " bytes");
    }

    @Test
    void negativeLatencyCountsAsZero() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(-5);
        assertEquals(0, histogram.percentile(50));
    }
}
