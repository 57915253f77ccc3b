package com.openplatform.availability.functions;

import static com.openplatform.availability.testing.TestData.SHANGHAI;
import static com.openplatform.availability.testing.TestData.at;

import com.openplatform.availability.records.CallbackEvent;
import com.openplatform.availability.records.CallbackEventParser;
import com.openplatform.availability.records.CallbackRecord;
import com.openplatform.availability.records.DeadLetter;
import com.openplatform.availability.records.FailureReason;
import com.openplatform.availability.records.WeeklyCounts;
import com.openplatform.availability.testing.TestData;
import com.openplatform.availability.time.CalendarWeekWindows;
import com.openplatform.availability.time.CalendarWeeks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/** Weeks, records and harness probes shared by the operator tests. */
final class FunctionTestSupport {
    static final CalendarWeeks WEEKS = new CalendarWeeks(SHANGHAI);
    static final Duration TIMEOUT = Duration.ofSeconds(3);
    static final Duration LATENESS = Duration.ofDays(1);
    static final int HOLD_WEEKS = 8;

    /** The week under test: Monday 2026-11-16 to Monday 2026-11-23, Shanghai time. */
    static final String MONDAY = "2026-11-16";

    static final long WEEK_START = at(SHANGHAI, "2026-11-16T00:00");
    static final long WEEK_END = at(SHANGHAI, "2026-11-23T00:00");
    static final long MID_WEEK = at(SHANGHAI, "2026-11-18T10:00");
    static final long NEXT_WEEK_END = at(SHANGHAI, "2026-11-30T00:00");

    /** When a judged week is let go: {@link #HOLD_WEEKS} weeks after it ends. */
    static final long RELEASE = at(SHANGHAI, "2027-01-18T00:00");

    private static final CallbackEventParser PARSER = new CallbackEventParser();

    private FunctionTestSupport() {}

    static long days(long n) {
        return Duration.ofDays(n).toMillis();
    }

    /** A record as the source hands it on. */
    static CallbackRecord record(TestData.EventJson json) {
        return PARSER.parseRecord(json.bytes());
    }

    static CallbackRecord record(byte[] raw) {
        return PARSER.parseRecord(raw);
    }

    static CallbackEvent event(TestData.EventJson json) {
        CallbackRecord record = record(json);
        if (record.isRejected()) {
            throw new IllegalArgumentException(record.getRejectDetail());
        }
        return record.getEvent();
    }

    /** Full-week counts: {@code valid} good callbacks and {@code total - valid} HTTP errors. */
    static WeeklyCounts counts(long developerId, long weekStart, long valid, long total) {
        WeeklyCounts counts =
                new WeeklyCounts(developerId, WEEKS.startOf(weekStart), WEEKS.endOf(weekStart));
        counts.setTotalCount(total);
        counts.setHttpErrorCount(total - valid);
        counts.getCallbackTypes()
                .add(
                        new com.openplatform.availability.records.CallbackTypeCount(
                                "order.push", total, total - valid));
        return counts;
    }

    /** Counts built event by event, for comparing with what an operator counted. */
    static WeeklyCounts counted(long developerId, long anyTimeInWeek, FailureReason... reasons) {
        WeeklyCounts counts =
                new WeeklyCounts(
                        developerId, WEEKS.startOf(anyTimeInWeek), WEEKS.endOf(anyTimeInWeek));
        for (FailureReason reason : reasons) {
            counts.count("order.push", reason);
        }
        return counts;
    }

    /** The weekly window with its accumulator, as the job builds it, in a harness. */
    static KeyedOneInputStreamOperatorTestHarness<Long, WeeklyCounts, WeeklyCounts> weeklyWindow()
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SingleOutputStreamOperator<WeeklyCounts> windowed =
                env.fromData(new WeeklyCounts())
                        .keyBy(WeeklyCounts::getDeveloperId)
                        .window(CalendarWeekWindows.in(WEEKS.zone()))
                        .allowedLateness(LATENESS)
                        .aggregate(new MergeWeeklyCounts());
        @SuppressWarnings("unchecked")
        OneInputStreamOperator<WeeklyCounts, WeeklyCounts> operator =
                (OneInputStreamOperator<WeeklyCounts, WeeklyCounts>)
                        ((SimpleOperatorFactory<?>)
                                        ((OneInputTransformation<?, ?>)
                                                        windowed.getTransformation())
                                                .getOperatorFactory())
                                .getOperator();
        return new KeyedOneInputStreamOperatorTestHarness<>(
                operator, WeeklyCounts::getDeveloperId, Types.LONG);
    }

    static List<DeadLetter> deadLetters(AbstractStreamOperatorTestHarness<?> harness) {
        Queue<StreamRecord<DeadLetter>> side = harness.getSideOutput(DeadLetters.TAG);
        List<DeadLetter> letters = new ArrayList<>();
        if (side != null) {
            side.forEach(r -> letters.add(r.getValue()));
        }
        return letters;
    }

    /**
     * Entries in the heap keyed state backend: one per (state, key, namespace) that holds anything,
     * as {@code KeyedOneInputStreamOperatorTestHarness#numKeyedStateEntries} counts them, for every
     * kind of harness.
     */
    static int keyedStateEntries(AbstractStreamOperatorTestHarness<?> harness) {
        KeyedStateBackend<Object> backend = harness.getOperator().getKeyedStateBackend();
        return ((HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
    }
}
