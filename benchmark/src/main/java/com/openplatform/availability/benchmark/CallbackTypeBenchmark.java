package com.openplatform.availability.benchmark;

import com.openplatform.availability.functions.MergeWeeklyCounts;
import com.openplatform.availability.records.FailureReason;
import com.openplatform.availability.records.WeeklyCounts;
import java.util.Locale;

/**
 * One developer-week with N distinct callbackTypes, as the job counts it: every event counted into
 * a pre-aggregated partial, the partials merged into the window's accumulator, the result copied
 * out. Prints the time and the number of per-type entries the row gets. A plain main, not a timed
 * test: {@code java -cp target/classes:target/test-classes:… CallbackTypeBenchmark 20000 160000}.
 */
final class CallbackTypeBenchmark {
    /** Partials a week's counts arrive in (pre-aggregation flushes, parallel subtasks). */
    private static final int PARTIALS = 4;

    private CallbackTypeBenchmark() {}

    public static void main(String[] args) {
        for (String arg : args.length == 0 ? new String[] {"20000", "80000", "160000"} : args) {
            int types = Integer.parseInt(arg);
            long began = System.nanoTime();
            WeeklyCounts week = run(types);
            System.out.printf(
                    Locale.ROOT,
                    "%,d distinct callbackTypes: %,.0f ms, %d per-type entries, total %,d%n",
                    types,
                    (System.nanoTime() - began) / 1e6,
                    week.sortedCallbackTypes().size(),
                    week.getTotalCount());
        }
    }

    private static WeeklyCounts run(int types) {
        MergeWeeklyCounts merge = new MergeWeeklyCounts();
        WeeklyCounts accumulator = merge.createAccumulator();
        for (int p = 0; p < PARTIALS; p++) {
            WeeklyCounts partial = new WeeklyCounts(1, 0, 1);
            for (int t = p; t < types; t += PARTIALS) {
                partial.count("type-" + t, t % 7 == 0 ? FailureReason.TIMEOUT : null);
            }
            accumulator = merge.add(partial, accumulator);
        }
        return merge.getResult(accumulator);
    }
}
