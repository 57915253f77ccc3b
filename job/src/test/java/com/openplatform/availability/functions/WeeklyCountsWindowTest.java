package com.openplatform.availability.functions;

import static com.openplatform.availability.functions.FunctionTestSupport.LATENESS;
import static com.openplatform.availability.functions.FunctionTestSupport.MID_WEEK;
import static com.openplatform.availability.functions.FunctionTestSupport.WEEK_END;
import static com.openplatform.availability.functions.FunctionTestSupport.WEEK_START;
import static com.openplatform.availability.functions.FunctionTestSupport.counts;
import static com.openplatform.availability.functions.FunctionTestSupport.keyedStateEntries;
import static com.openplatform.availability.functions.FunctionTestSupport.weeklyWindow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.openplatform.availability.records.HourlyCounts;
import com.openplatform.availability.records.LatencyHistogram;
import com.openplatform.availability.records.WeekDiagnosis;
import com.openplatform.availability.records.WeeklyCounts;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The weekly window's accumulator with the week's diagnosis, through a checkpoint. */
// Flink's harnesses declare close() throws Exception, InterruptedException included.
@SuppressWarnings("try")
class WeeklyCountsWindowTest {
    private static final long DEV = 100234L;
    private static final int WEDNESDAY_TEN = HourlyCounts.hourOf(WEEK_START, MID_WEEK);

    /**
     * {@code total} callbacks at Wednesday 10:00 + {@code hour} h, {@code failed} of them failed.
     */
    private static WeeklyCounts partial(int hour, long latencyMs, int total, int failed) {
        WeeklyCounts counts = counts(DEV, MID_WEEK, total - failed, total);
        LatencyHistogram latencies = new LatencyHistogram();
        HourlyCounts hours = new HourlyCounts(WEEK_START, WEEK_END);
        for (int i = 0; i < total; i++) {
            latencies.record(latencyMs);
            hours.count(WEDNESDAY_TEN + hour, i < failed);
        }
        counts.addDiagnosis(latencies, hours);
        return counts;
    }

    @Test
    void theDiagnosisSurvivesACheckpointAndALatePartialCorrectsIt() throws Exception {
        OperatorSubtaskState snapshot;
        try (KeyedOneInputStreamOperatorTestHarness<Long, WeeklyCounts, WeeklyCounts> window =
                weeklyWindow()) {
            window.open();
            window.processElement(partial(0, 100, 10, 3), WEEK_START);
            window.processElement(partial(1, 110, 10, 3), WEEK_START);
            snapshot = window.snapshot(1, 1);
        }

        try (KeyedOneInputStreamOperatorTestHarness<Long, WeeklyCounts, WeeklyCounts> window =
                weeklyWindow()) {
            window.initializeState(snapshot);
            window.open();
            window.processWatermark(WEEK_END - 1);
            window.processElement(partial(1, 120, 1, 1), WEEK_START);
            window.processWatermark(WEEK_END);

            List<WeeklyCounts> fired = window.extractOutputValues();
            long wednesdayTen = HourlyCounts.startOf(WEEK_START, WEDNESDAY_TEN);
            long wednesdayEleven = wednesdayTen + HourlyCounts.HOUR_MILLIS;
            assertEquals(
                    new WeekDiagnosis(100L, 110L, 110L, wednesdayTen, 10L, wednesdayTen, 3L, 10L),
                    fired.get(0).diagnosis(),
                    "equal hours: the earliest is the peak and the worst");
            assertEquals(
                    new WeekDiagnosis(
                            110L, 110L, 120L, wednesdayEleven, 11L, wednesdayEleven, 4L, 11L),
                    fired.get(1).diagnosis(),
                    "a late failure moves the worst hour");

            window.processWatermark(WEEK_END - 1 + LATENESS.toMillis());
            assertEquals(0, keyedStateEntries(window), "the week is released after its lateness");
        }
    }
}
