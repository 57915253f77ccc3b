package com.openplatform.availability.records;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Latencies (ms) in logarithmic buckets, mergeable, with nearest-rank percentiles within 1 % of the
 * exact value (docs/reference.md §6).
 *
 * <p>Values below {@value #EXACT_BELOW} have a bucket each. Above, every power-of-two range {@code
 * [2^k, 2^(k+1))} is cut into {@value #SUB_BUCKETS} equal buckets of width {@code 2^(k-6)}; a
 * percentile is the middle of its bucket, at most half a bucket ({@code 2^(k-7)}, i.e. 1/128 of the
 * value) from the exact one. Recording is a shift and an array increment; the array grows to the
 * largest bucket seen, a few hundred entries for latencies of seconds.
 */
public final class LatencyHistogram {
    static final int EXACT_BELOW = 128;
    private static final int SUB_BUCKET_BITS = 6;
    static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;

    /** The first byte of the encoded form, so that a later format can be told apart. */
    private static final byte FORMAT = 1;

    private long[] buckets;
    private long count;

    public LatencyHistogram() {
        buckets = new long[EXACT_BELOW];
    }

    private LatencyHistogram(long[] buckets) {
        this.buckets = buckets;
        for (long c : buckets) {
            count += c;
        }
    }

    /** Records one latency; negative values count as 0. */
    public void record(long latencyMs) {
        int bucket = bucketOf(Math.max(0, latencyMs));
        if (bucket >= buckets.length) {
            buckets = Arrays.copyOf(buckets, Math.max(bucket + 1, buckets.length + SUB_BUCKETS));
        }
        buckets[bucket]++;
        count++;
    }

    public void add(LatencyHistogram other) {
        if (other.buckets.length > buckets.length) {
            buckets = Arrays.copyOf(buckets, other.buckets.length);
        }
        for (int i = 0; i < other.buckets.length; i++) {
            buckets[i] += other.buckets[i];
        }
        count += other.count;
    }

    public long count() {
        return count;
    }

    /**
     * The nearest-rank {@code percent} percentile: the smallest recorded value with at least {@code
     * percent} % of the values at or below it, to the precision of its bucket; null when empty.
     */
    public Long percentile(int percent) {
        if (count == 0) {
            return null;
        }
        long rank = Math.max(1, (percent * count + 99) / 100);
        long seen = 0;
        int bucket = 0;
        while (seen + buckets[bucket] < rank) {
            seen += buckets[bucket];
            bucket++;
        }
        return middleOf(bucket);
    }

    static int bucketOf(long value) {
        if (value < EXACT_BELOW) {
            return (int) value;
        }
        int octave = 63 - Long.numberOfLeadingZeros(value);
        int shift = octave - SUB_BUCKET_BITS;
        return EXACT_BELOW + (octave - 7) * SUB_BUCKETS + (int) ((value >>> shift) - SUB_BUCKETS);
    }

    static long middleOf(int bucket) {
        if (bucket < EXACT_BELOW) {
            return bucket;
        }
        int octave = (bucket - EXACT_BELOW) / SUB_BUCKETS + 7;
        int shift = octave - SUB_BUCKET_BITS;
        long lowest = ((long) (SUB_BUCKETS + (bucket - EXACT_BELOW) % SUB_BUCKETS)) << shift;
        return lowest + (1L << shift) / 2;
    }

    /** The compact form, or null when nothing was recorded. */
    public byte[] encode() {
        if (count == 0) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.write(FORMAT);
        SparseCounts.write(out, buckets);
        return out.toByteArray();
    }

    /** The histogram {@link #encode} gave; empty for null. */
    public static LatencyHistogram decode(byte[] encoded) {
        if (encoded == null) {
            return new LatencyHistogram();
        }
        ByteBuffer in = ByteBuffer.wrap(encoded);
        byte format = in.get();
        if (format != FORMAT) {
            throw new IllegalArgumentException("Unknown latency histogram format " + format);
        }
        return new LatencyHistogram(SparseCounts.read(in, EXACT_BELOW));
    }
}
