package com.openplatform.availability.records;

/**
 * What a provider needs to find the cause of a bad week (docs/reference.md §6): latency percentiles
 * of the callbacks that got a response, the hour with most callbacks and the hour with most
 * failures. Every field is null when there is nothing to show: no response (percentiles), no
 * failure (worst hour), or counts of a release that did not record them.
 *
 * @param peakHourStartMillis the start (epoch ms) of the local hour with most callbacks
 * @param worstHourStartMillis the start (epoch ms) of the local hour with most failed callbacks
 */
public record WeekDiagnosis(
        Long latencyP50Ms,
        Long latencyP95Ms,
        Long latencyP99Ms,
        Long peakHourStartMillis,
        Long peakHourCount,
        Long worstHourStartMillis,
        Long worstHourFailed,
        Long worstHourTotal) {

    static WeekDiagnosis of(LatencyHistogram latencies, HourlyCounts hours, long weekStart) {
        int peak = hours.peakHour();
        int worst = hours.worstHour();
        return new WeekDiagnosis(
                latencies.percentile(50),
                latencies.percentile(95),
                latencies.percentile(99),
                peak < 0 ? null : HourlyCounts.startOf(weekStart, peak),
                peak < 0 ? null : hours.total(peak),
                worst < 0 ? null : HourlyCounts.startOf(weekStart, worst),
                worst < 0 ? null : hours.failed(worst),
                worst < 0 ? null : hours.total(worst));
    }
}
