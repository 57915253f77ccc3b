package com.openplatform.availability.functions;

import static com.openplatform.availability.functions.FunctionTestSupport.LATENESS;
import static com.openplatform.availability.functions.FunctionTestSupport.MID_WEEK;
import static com.openplatform.availability.functions.FunctionTestSupport.MONDAY;
import static com.openplatform.availability.functions.FunctionTestSupport.WEEKS;
import static com.openplatform.availability.functions.FunctionTestSupport.WEEK_END;
import static com.openplatform.availability.functions.FunctionTestSupport.days;
import static com.openplatform.availability.functions.FunctionTestSupport.deadLetters;
import static com.openplatform.availability.functions.FunctionTestSupport.record;
import static java.time.ZoneOffset.UTC;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openplatform.availability.records.CallbackEvent;
import com.openplatform.availability.records.CallbackRecord;
import com.openplatform.availability.records.CallbackRecordReader;
import com.openplatform.availability.records.DeadLetter;
import com.openplatform.availability.records.RejectReason;
import com.openplatform.availability.testing.TestData;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

// Flink's harnesses and writers declare close() throws Exception, InterruptedException included.
@SuppressWarnings("try")
class RejectInvalidAndLateEventsTest {
    private static final long DEVELOPER = 100234L;

    /** The first watermark at which events of the week under test are too late. */
    private static final long LATE_FROM = WEEK_END - 1 + LATENESS.toMillis();

    private OneInputStreamOperatorTestHarness<CallbackRecord, CallbackEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness = harness(1, 0);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static OneInputStreamOperatorTestHarness<CallbackRecord, CallbackEvent> harness(
            int parallelism, int subtask) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new RejectInvalidAndLateEvents(WEEKS, LATENESS), 128, parallelism, subtask);
    }

    private static void process(
            OneInputStreamOperatorTestHarness<CallbackRecord, CallbackEvent> harness,
            CallbackRecord record)
            throws Exception {
        harness.processElement(
                record, record.isRejected() ? Long.MIN_VALUE : record.getEvent().getEventTime());
    }

    private void process(CallbackRecord record) throws Exception {
        process(harness, record);
    }

    private static CallbackRecord midWeekEvent() {
        return record(TestData.event(DEVELOPER, MID_WEEK));
    }

    @Test
    void validEventPassesOnUnchangedWithItsTimestamp() throws Exception {
        CallbackRecord record = record(TestData.event(DEVELOPER, MID_WEEK).status(500));

        process(record);

        assertEquals(List.of(record.getEvent()), harness.extractOutputValues());
        assertEquals(MID_WEEK, harness.extractOutputStreamRecords().get(0).getTimestamp());
        assertEquals(List.of(), deadLetters(harness));
    }

    @Test
    void rejectedRecordGoesToTheDeadLetterWithReasonDetailAndRawBytes() throws Exception {
        CallbackRecord rejected = record(TestData.event(DEVELOPER, MID_WEEK).status(600));

        process(rejected);

        assertEquals(List.of(), harness.extractOutputValues());
        List<DeadLetter> letters = deadLetters(harness);
        assertEquals(1, letters.size());
        DeadLetter letter = letters.get(0);
        assertEquals(DeadLetters.EVENTS, letter.getInput());
        assertEquals(RejectReason.INVALID_FIELD, letter.getReason());
        assertEquals(rejected.getRejectDetail(), letter.getDetail());
        assertTrue(letter.getDetail().contains("httpStatus"), letter.getDetail());
        assertArrayEquals(rejected.getRaw(), letter.getRaw());
    }

    @Test
    void everyRejectReasonIsPassedOn() throws Exception {
        process(record(TestData.bytes("not json")));
        process(record(TestData.bytes("{\"eventId\":\"x\"}")));
        process(record(new byte[64 * 1024 + 1]));

        assertEquals(
                List.of(
                        RejectReason.INVALID_JSON,
                        RejectReason.MISSING_FIELD,
                        RejectReason.TOO_LARGE),
                deadLetters(harness).stream().map(DeadLetter::getReason).toList());
    }

    @Test
    void eventIsLateWhenTheWatermarkReachesWeekEndMinusOnePlusTheLateness() throws Exception {
        CallbackRecord record = midWeekEvent();
        harness.processWatermark(LATE_FROM);

        process(record);

        assertEquals(List.of(), harness.extractOutputValues());
        DeadLetter letter = deadLetters(harness).get(0);
        assertEquals(RejectReason.LATE, letter.getReason());
        assertEquals(DeadLetters.EVENTS, letter.getInput());
        assertArrayEquals(record.getRaw(), letter.getRaw());
        assertTrue(letter.getDetail().contains(MONDAY), letter.getDetail());
    }

    @Test
    void eventIsStillCountedOneMillisecondBeforeTheLatenessEnds() throws Exception {
        CallbackRecord record = midWeekEvent();
        harness.processWatermark(LATE_FROM - 1);

        process(record);

        assertEquals(List.of(record.getEvent()), harness.extractOutputValues());
        assertEquals(List.of(), deadLetters(harness));
    }

    @Test
    void lastMillisecondOfTheWeekFollowsTheSameBoundary() throws Exception {
        CallbackRecord lastMoment = record(TestData.event(DEVELOPER, WEEK_END - 1));
        CallbackRecord nextWeek = record(TestData.event(DEVELOPER, WEEK_END));
        harness.processWatermark(LATE_FROM);

        process(lastMoment);
        process(nextWeek);

        assertEquals(List.of(nextWeek.getEvent()), harness.extractOutputValues());
        assertEquals(1, deadLetters(harness).size());
    }

    @Test
    void eventOfAClosedWeekWithinTheLatenessIsCounted() throws Exception {
        harness.processWatermark(WEEK_END + 1000);
        CallbackRecord record = midWeekEvent();

        process(record);

        assertEquals(List.of(record.getEvent()), harness.extractOutputValues());
    }

    @Test
    void watermarksAreForwarded() throws Exception {
        harness.processWatermark(MID_WEEK);

        assertEquals(MID_WEEK, harness.getCurrentWatermark());
        assertEquals(1, harness.getOutput().size());
    }

    /** A harness restored from a snapshot taken once the watermark reached {@code watermark}. */
    private OneInputStreamOperatorTestHarness<CallbackRecord, CallbackEvent> restoredAfterWatermark(
            long watermark) throws Exception {
        harness.processWatermark(watermark);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        OneInputStreamOperatorTestHarness<CallbackRecord, CallbackEvent> restored = harness(1, 0);
        restored.initializeState(snapshot);
        restored.open();
        return restored;
    }

    @Test
    void afterARestoreLatenessIsJudgedAgainstTheCheckpointedWatermark() throws Exception {
        try (OneInputStreamOperatorTestHarness<CallbackRecord, CallbackEvent> restored =
                restoredAfterWatermark(LATE_FROM)) {
            process(restored, midWeekEvent());

            assertEquals(List.of(), restored.extractOutputValues());
            assertEquals(RejectReason.LATE, deadLetters(restored).get(0).getReason());
        }
    }

    @Test
    void restoredFloorNeverLowersALaterWatermark() throws Exception {
        try (OneInputStreamOperatorTestHarness<CallbackRecord, CallbackEvent> restored =
                restoredAfterWatermark(LATE_FROM - days(1))) {
            restored.processWatermark(Long.MIN_VALUE + 1);
            process(restored, midWeekEvent());
            restored.processWatermark(LATE_FROM);
            process(restored, midWeekEvent());

            assertEquals(1, restored.extractOutputValues().size());
            assertEquals(1, deadLetters(restored).size());
        }
    }

    @Test
    void afterARestoreTheCheckpointedWatermarkIsForwardedWithoutWaitingForEvents()
            throws Exception {
        try (OneInputStreamOperatorTestHarness<CallbackRecord, CallbackEvent> restored =
                restoredAfterWatermark(LATE_FROM)) {
            restored.setProcessingTime(1);

            assertEquals(List.of(new Watermark(LATE_FROM)), List.copyOf(restored.getOutput()));
        }
    }

    @Test
    void afterARestoreOnlyWatermarksAboveTheForwardedOneAreForwarded() throws Exception {
        try (OneInputStreamOperatorTestHarness<CallbackRecord, CallbackEvent> restored =
                restoredAfterWatermark(LATE_FROM)) {
            restored.setProcessingTime(1);
            restored.processWatermark(MID_WEEK);
            restored.processWatermark(LATE_FROM);
            restored.processWatermark(LATE_FROM + 1);

            assertEquals(
                    List.of(new Watermark(LATE_FROM), new Watermark(LATE_FROM + 1)),
                    List.copyOf(restored.getOutput()));
        }
    }

    @Test
    void aFreshStartForwardsNoWatermarkOfItsOwn() throws Exception {
        harness.setProcessingTime(1);

        assertEquals(0, harness.getOutput().size());
    }

    @Test
    void afterARescaleTheLowestCheckpointedWatermarkOfAllSubtasksApplies() throws Exception {
        OperatorSubtaskState ahead = snapshotAtWatermark(0, LATE_FROM);
        OperatorSubtaskState behind = snapshotAtWatermark(1, LATE_FROM - 1);

        try (OneInputStreamOperatorTestHarness<CallbackRecord, CallbackEvent> restored =
                harness(1, 0)) {
            restored.initializeState(
                    AbstractStreamOperatorTestHarness.repackageState(ahead, behind));
            restored.open();

            process(restored, midWeekEvent());

            assertEquals(1, restored.extractOutputValues().size(), "not late at LATE_FROM - 1");
        }
    }

    private static OperatorSubtaskState snapshotAtWatermark(int subtask, long watermark)
            throws Exception {
        try (OneInputStreamOperatorTestHarness<CallbackRecord, CallbackEvent> subtaskHarness =
                harness(2, subtask)) {
            subtaskHarness.open();
            subtaskHarness.processWatermark(watermark);
            return subtaskHarness.snapshot(1, 1);
        }
    }

    @Test
    void futureEventGoesToTheDeadLetterAndTheNextEventStillCounts() throws Exception {
        CallbackRecordReader reader =
                new CallbackRecordReader(
                        Duration.ofHours(1), Clock.fixed(Instant.ofEpochMilli(MID_WEEK), UTC));
        byte[] raw = TestData.event(DEVELOPER, MID_WEEK + days(365 * 70)).bytes();

        process(reader.read(raw));
        process(midWeekEvent());

        assertEquals(1, harness.extractOutputValues().size(), "the on-time event still counts");
        List<DeadLetter> letters = deadLetters(harness);
        assertEquals(1, letters.size());
        assertEquals(RejectReason.FUTURE, letters.get(0).getReason());
        assertArrayEquals(raw, letters.get(0).getRaw());
    }

    @Test
    void lineCutAtTheSourceGoesToTheDeadLetterWithItsWholeSize() throws Exception {
        byte[] start = TestData.bytes("[{\"eventId\":");

        process(CallbackRecord.tooLarge(start, 400_000_000L));

        DeadLetter letter = deadLetters(harness).get(0);
        assertEquals(RejectReason.TOO_LARGE, letter.getReason());
        assertArrayEquals(start, letter.getRaw());
        assertEquals(400_000_000L, letter.getSize());
        assertTrue(letter.isTruncated());
    }
}
