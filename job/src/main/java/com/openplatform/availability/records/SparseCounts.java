package com.openplatform.availability.records;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * The compact form of arrays of counts that are mostly zero (latency buckets, hours of a week) in
 * state and on the wire: the non-zero entries as (gap to the previous one, count) pairs of unsigned
 * LEB128 varints, after their number. Equal arrays encode to equal bytes.
 */
final class SparseCounts {
    private SparseCounts() {}

    /** Appends the non-zero entries of {@code counts}. */
    static void write(ByteArrayOutputStream out, long[] counts) {
        int nonZero = 0;
        for (long count : counts) {
            if (count != 0) {
                nonZero++;
            }
        }
        writeVarLong(out, nonZero);
        int previous = -1;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                writeVarLong(out, i - previous - 1);
                writeVarLong(out, counts[i]);
                previous = i;
            }
        }
    }

    /**
     * Reads what {@link #write} wrote into an array of at least {@code minLength} entries, longer
     * when an entry lies beyond it.
     */
    static long[] read(ByteBuffer in, int minLength) {
        int nonZero = (int) readVarLong(in);
        int[] indexes = new int[nonZero];
        long[] values = new long[nonZero];
        int index = -1;
        for (int i = 0; i < nonZero; i++) {
            index += (int) readVarLong(in) + 1;
            indexes[i] = index;
            values[i] = readVarLong(in);
        }
        long[] counts = new long[Math.max(minLength, index + 1)];
        for (int i = 0; i < nonZero; i++) {
            counts[indexes[i]] = values[i];
        }
        return counts;
    }

    static void writeVarLong(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    static long readVarLong(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
    }
}
