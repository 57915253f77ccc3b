package com.openplatform.availability.records;

import java.util.Arrays;

/**
 * One developerId's running week as the in-week evaluation (docs/reference.md §10) keeps it: the
 * counts of the hours before the last evaluation point as one sum, and the counts of the six hours
 * before it and of any later hour one by one, which is all the burn-rate windows need. Counts
 * arriving for an hour already evaluated go into the sums too: they count from the next evaluation
 * point on, never in a past one.
 */
public class WeekToDate {
    /** The longest burn-rate window, in hours. */
    public static final int WINDOW_HOURS = 6;

    private static final int SLOTS = InWeekCounts.SLOTS;
    private static final int INITIAL_HOURS = 2;

    private long developerId;
    private long weekStartMillis;
    private long weekEndMillis;
    private long evaluatedTo;
    private boolean warned;
    private boolean budgetSpent;
    private long timer;
    private long[] before = new long[SLOTS];
    private int size;
    private int[] hours = new int[0];
    private long[] counts = new long[0];

    public WeekToDate() {}

    /**
     * A week first seen when the watermark stood at {@code evaluatedTo}: the evaluation points up
     * to it passed with nothing counted.
     */
    public WeekToDate(
            long developerId, long weekStartMillis, long weekEndMillis, long evaluatedTo) {
        this.developerId = developerId;
        this.weekStartMillis = weekStartMillis;
        this.weekEndMillis = weekEndMillis;
        this.evaluatedTo = evaluatedTo;
    }

    /** The hour index of instant {@code h} of the week, rounded up (the week's end included). */
    public int hourIndex(long h) {
        return HourlyCounts.hoursOf(weekStartMillis, h);
    }

    /** Adds counts of this week. */
    public void add(InWeekCounts delta) {
        int evaluated = hourIndex(evaluatedTo);
        for (int e = 0; e < delta.entries(); e++) {
            int hour = delta.hourAt(e);
            if (hour < evaluated) {
                for (int s = 0; s < SLOTS; s++) {
                    before[s] += delta.countAt(e, s);
                }
            }
            if (hour >= evaluated - WINDOW_HOURS) {
                int at = entryFor(hour);
                for (int s = 0; s < SLOTS; s++) {
                    counts[at * SLOTS + s] += delta.countAt(e, s);
                }
            }
        }
    }

    /** Moves the evaluation point to {@code h}: the hours before it join the sums. */
    public void advanceTo(long h) {
        int from = hourIndex(evaluatedTo);
        int to = hourIndex(h);
        int kept = 0;
        for (int i = 0; i < size; i++) {
            int hour = hours[i];
            if (hour >= from && hour < to) {
                for (int s = 0; s < SLOTS; s++) {
                    before[s] += counts[i * SLOTS + s];
                }
            }
            if (hour >= to - WINDOW_HOURS) {
                hours[kept] = hour;
                System.arraycopy(counts, i * SLOTS, counts, kept * SLOTS, SLOTS);
                kept++;
            }
        }
        size = kept;
        evaluatedTo = h;
    }

    /** Slot {@code slot} of the sums of the hours before the evaluation point. */
    public long toDate(int slot) {
        return before[slot];
    }

    public long totalToDate() {
        return before[0];
    }

    public long failedToDate() {
        return failedOf(before, 0);
    }

    /**
     * {total, failed} of the last {@code hours} hours before the evaluation point, never reaching
     * before the week's start.
     */
    public long[] window(int windowHours) {
        int to = hourIndex(evaluatedTo);
        int from = Math.max(0, to - windowHours);
        long total = 0;
        long failed = 0;
        for (int i = 0; i < size; i++) {
            if (hours[i] >= from && hours[i] < to) {
                total += counts[i * SLOTS];
                failed += failedOf(counts, i * SLOTS);
            }
        }
        return new long[] {total, failed};
    }

    /**
     * The first hour boundary after the evaluation point at which a burn-rate window holds counts,
     * or the first after them at which both windows are empty again, so that a row or a warning may
     * differ from the last; {@link Long#MAX_VALUE} when none does (the week is quiet: its windows
     * are empty until new counts arrive).
     */
    public long nextBusyBoundary() {
        int evaluated = hourIndex(evaluatedTo);
        int next = Integer.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            // Hour j lies in the windows of the boundaries j + 1 … j + WINDOW_HOURS; the one after
            // them writes the row with both windows empty.
            if (hours[i] >= evaluated - WINDOW_HOURS) {
                next = Math.min(next, Math.max(evaluated + 1, hours[i] + 1));
            }
        }
        return next == Integer.MAX_VALUE
                ? Long.MAX_VALUE
                : weekStartMillis + next * HourlyCounts.HOUR_MILLIS;
    }

    private static long failedOf(long[] slots, int offset) {
        long failed = 0;
        for (int s = 1; s < SLOTS; s++) {
            failed += slots[offset + s];
        }
        return failed;
    }

    private int entryFor(int hour) {
        for (int i = 0; i < size; i++) {
            if (hours[i] == hour) {
                return i;
            }
        }
        if (size == hours.length) {
            // Most weeks of a large platform have callbacks in one or two hours of any six: room
            // for seven from the first count would mostly stay empty, in the heap and in state.
            int capacity = Math.max(INITIAL_HOURS, size * 2);
            hours = Arrays.copyOf(hours, capacity);
            counts = Arrays.copyOf(counts, capacity * SLOTS);
        }
        hours[size] = hour;
        Arrays.fill(counts, size * SLOTS, (size + 1) * SLOTS, 0);
        return size++;
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

    /** The last evaluation point passed (epoch ms); the week's start before the first. */
    public long getEvaluatedTo() {
        return evaluatedTo;
    }

    public void setEvaluatedTo(long evaluatedTo) {
        this.evaluatedTo = evaluatedTo;
    }

    /** Whether the week's warning was planned already. */
    public boolean isWarned() {
        return warned;
    }

    public void setWarned(boolean warned) {
        this.warned = warned;
    }

    /** Whether BUDGET_SPENT held at an evaluation point: the week is no longer on track. */
    public boolean isBudgetSpent() {
        return budgetSpent;
    }

    public void setBudgetSpent(boolean budgetSpent) {
        this.budgetSpent = budgetSpent;
    }

    /** The event-time timer set for the week's next evaluation (epoch ms); 0 for none. */
    public long getTimer() {
        return timer;
    }

    public void setTimer(long timer) {
        this.timer = timer;
    }

    /** The earliest hour with counts, or {@link Integer#MAX_VALUE} for none. */
    public int earliestHour() {
        int earliest = Integer.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            earliest = Math.min(earliest, hours[i]);
        }
        return earliest;
    }

    public long[] getBefore() {
        return before;
    }

    public void setBefore(long[] before) {
        this.before = before;
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
        return "WeekToDate{developerId="
                + developerId
                + ", weekStart="
                + weekStartMillis
                + ", evaluatedTo="
                + evaluatedTo
                + ", before="
                + Arrays.toString(before)
                + ", warned="
                + warned
                + '}';
    }
}
