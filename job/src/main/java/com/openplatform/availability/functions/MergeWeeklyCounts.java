package com.openplatform.availability.functions;

import com.openplatform.availability.records.WeeklyCounts;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Merges a week's partial counts into the week's counts, incrementally. */
public class MergeWeeklyCounts
        implements AggregateFunction<WeeklyCounts, WeeklyCounts, WeeklyCounts> {
    private static final long serialVersionUID = 1L;

    @Override
    public WeeklyCounts createAccumulator() {
        return new WeeklyCounts();
    }

    @Override
    public WeeklyCounts add(WeeklyCounts partial, WeeklyCounts week) {
        if (week.getTotalCount() == 0) {
            week.setDeveloperId(partial.getDeveloperId());
            week.setWeekStartMillis(partial.getWeekStartMillis());
            week.setWeekEndMillis(partial.getWeekEndMillis());
        }
        week.merge(partial);
        return week;
    }

    @Override
    public WeeklyCounts getResult(WeeklyCounts week) {
        // A copy: heap state backends keep the accumulator itself, and later firings mutate it.
        WeeklyCounts result =
                new WeeklyCounts(
                        week.getDeveloperId(), week.getWeekStartMillis(), week.getWeekEndMillis());
        result.merge(week);
        return result;
    }

    @Override
    public WeeklyCounts merge(WeeklyCounts a, WeeklyCounts b) {
        if (a.getTotalCount() == 0) {
            return b;
        }
        a.merge(b);
        return a;
    }
}
