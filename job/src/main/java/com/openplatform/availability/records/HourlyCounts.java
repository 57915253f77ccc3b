package com.openplatform.availability.records;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Callbacks and failed callbacks per hour of one calendar week, mergeable: hour {@code i} is {@code
 * [weekStart + i h, weekStart + (i + 1) h)}. The week starts at local midnight, so these are the
 * local hours of the week zone, also across a DST change (a week of 167 or 169 hours), in every
 * zone whose offset changes by whole hours; in one that shifts by half an hour the last hour of
 * such a week is half an hour long or longer by half an hour.
 */
public final class HourlyCounts {
    public static final long HOUR_MILLIS = 3_600_000L;

    private static final byte FORMAT = 1;

    private final long[] total;
    private final long[] failed;

    /** Empty counts for the week {@code [weekStart, weekEnd)}. */
    public HourlyCounts(long weekStart, long weekEnd) {
        this(hoursOf(weekStart, weekEnd));
    }

    private HourlyCounts(int hours) {
        this(new long[hours], new long[hours]);
    }

    private HourlyCounts(long[] total, long[] failed) {
        this.total = total;
        this.failed = failed;
    }

    /** How many hours the week {@code [weekStart, weekEnd)} has. */
    public static int hoursOf(long weekStart, long weekEnd) {
        return (int) ((weekEnd - weekStart + HOUR_MILLIS - 1) / HOUR_MILLIS);
    }

    /** The hour of the week that {@code timestamp} lies in. */
    public static int hourOf(long weekStart, long timestamp) {
        return (int) ((timestamp - weekStart) / HOUR_MILLIS);
    }

    /** The instant (epoch ms) hour {@code hour} of the week starts. */
    public static long startOf(long weekStart, int hour) {
        return weekStart + hour * HOUR_MILLIS;
    }

    public int hours() {
        return total.length;
    }

    public void count(int hour, boolean isFailed) {
        total[hour]++;
        if (isFailed) {
            failed[hour]++;
        }
    }

    /** Adds the counts of the same week. */
    public void add(HourlyCounts other) {
        if (other.hours() != hours()) {
            throw new IllegalArgumentException(
                    "Hours of another week: " + other.hours() + " != " + hours());
        }
        for (int i = 0; i < total.length; i++) {
            total[i] += other.total[i];
            failed[i] += other.failed[i];
        }
    }

    public long total(int hour) {
        return total[hour];
    }

    public long failed(int hour) {
        return failed[hour];
    }

    /** The hour with the most callbacks, the earliest of equals; -1 when there are none. */
    public int peakHour() {
        return earliestMax(total);
    }

    /** The hour with the most failed callbacks, the earliest of equals; -1 when none failed. */
    public int worstHour() {
        return earliestMax(failed);
    }

    private static int earliestMax(long[] counts) {
        int best = -1;
        long most = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > most) {
                most = counts[i];
                best = i;
            }
        }
        return best;
    }

    /** The compact form, or null when nothing was counted. */
    public byte[] encode() {
        if (peakHour() < 0) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.write(FORMAT);
        SparseCounts.writeVarLong(out, total.length);
        SparseCounts.write(out, total);
        SparseCounts.write(out, failed);
        return out.toByteArray();
    }

    /** The counts {@link #encode} gave; empty counts of the given week for null. */
    public static HourlyCounts decode(byte[] encoded, long weekStart, long weekEnd) {
        if (encoded == null) {
            return new HourlyCounts(weekStart, weekEnd);
        }
        ByteBuffer in = ByteBuffer.wrap(encoded);
        byte format = in.get();
        if (format != FORMAT) {
            throw new IllegalArgumentException("Unknown hourly counts format " + format);
        }
        int hours = (int) SparseCounts.readVarLong(in);
        return new HourlyCounts(SparseCounts.read(in, hours), SparseCounts.read(in, hours));
    }

    @Override
    public String toString() {
        return "HourlyCounts{total="
                + Arrays.toString(total)
                + ", failed="
                + Arrays.toString(failed)
                + '}';
    }
}
