package com.openplatform.availability.records;

import java.util.Arrays;

/**
 * One developerId's callbacks per local hour of a week, by failure reason, counted since the
 * previous such record: what the in-week evaluation (docs/reference.md §10) is fed. Sparse, since
 * between two feeds a developerId's events fall in one or a few hours.
 */
public class InWeekCounts {
    /** Per hour: all callbacks, then the failures by {@link FailureReason}, in its order. */
    public static final int SLOTS = 1 + FailureReason.values().length;

    private static final int INITIAL_HOURS = 2;

    private long developerId;
    private long weekStartMillis;
    private long weekEndMillis;
    private int size;
    private int[] hours;
    private long[] counts;

    /**
     * Entry + 1 of each hour of the week (0: none yet), so that counting a callback is a lookup
     * whatever the order of its hours; built where the counts are made, never sent.
     */
    private transient byte[] entryOfHour;

    public InWeekCounts() {}

    public InWeekCounts(long developerId, long weekStartMillis, long weekEndMillis) {
        this.developerId = developerId;
        this.weekStartMillis = weekStartMillis;
        this.weekEndMillis = weekEndMillis;
        this.hours = new int[INITIAL_HOURS];
        this.counts = new long[INITIAL_HOURS * SLOTS];
    }

    /** Counts one callback in hour {@code hour} of the week; {@code reason} null when valid. */
    public void count(int hour, FailureReason reason) {
        if (entryOfHour == null) {
            indexHours();
        }
        int at = (entryOfHour[hour] & 0xFF) - 1;
        if (at < 0) {
            at = add(hour);
        }
        counts[at * SLOTS]++;
        if (reason != null) {
            counts[at * SLOTS + 1 + reason.ordinal()]++;
        }
    }

    private void indexHours() {
        entryOfHour = new byte[HourlyCounts.hoursOf(weekStartMillis, weekEndMillis)];
        for (int i = 0; i < size; i++) {
            entryOfHour[hours[i]] = (byte) (i + 1);
        }
    }

    private int add(int hour) {
        if (size == hours.length) {
            hours = Arrays.copyOf(hours, size * 2);
            counts = Arrays.copyOf(counts, size * 2 * SLOTS);
        }
        hours[size] = hour;
        entryOfHour[hour] = (byte) (size + 1);
        return size++;
    }

    /** How many hours have counts. */
    public int entries() {
        return size;
    }

    /** The hour of the week of entry {@code entry}. */
    public int hourAt(int entry) {
        return hours[entry];
    }

    /** Slot {@code slot} ({@link #SLOTS} per hour) of entry {@code entry}. */
    public long countAt(int entry, int slot) {
        return counts[entry * SLOTS + slot];
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public long getDeveloperId() {
        return developerId;
    }

    public void setDeveloperId(long developerId) {
        this.developerId = developerId;
    }

    public long getWeekStartMillis() {
        return weekStartMillis;
    }

    public void setWeekStartMillis(long weekStartMillis) {
        this.weekStartMillis = weekStartMillis;
    }

    public long getWeekEndMillis() {
        return weekEndMillis;
    }

    public void setWeekEndMillis(long weekEndMillis) {
        this.weekEndMillis = weekEndMillis;
    }

    public int getSize() {
        return size;
    }

    public void setSize(int size) {
        this.size = size;
    }

    public int[] getHours() {
        return hours;
    }

    public void setHours(int[] hours) {
        this.hours = hours;
    }

    public long[] getCounts() {
        return counts;
    }

    public void setCounts(long[] counts) {
        this.counts = counts;
    }

    @Override
    public String toString() {
        StringBuilder text =
                new StringBuilder("InWeekCounts{developerId=")
                        .append(developerId)
                        .append(", weekStart=")
                        .append(weekStartMillis);
        for (int i = 0; i < size; i++) {
            text.append(", h").append(hours[i]).append('=').append(counts[i * SLOTS]);
        }
        return text.append('}').toString();
    }
}
