package com.openplatform.availability.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.openplatform.availability.io.CatchUpReader.OffsetRange;
import com.openplatform.availability.records.RawRecord;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.InputStatus;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class CatchUpReaderTest {
    private static final Duration QUIET = Duration.ofSeconds(1);
    private static final String TOPIC = "bindings";

    private final Map<Integer, OffsetRange> ranges = new HashMap<>();
    private final FetchingReader kafka = new FetchingReader();
    private final RecordingOutput output = new RecordingOutput();
    private long now = 1_000_000L;
    private final CatchUpReader reader = new CatchUpReader(kafka, () -> ranges, QUIET, () -> now);

    private static KafkaPartitionSplit split(int partition, long start) {
        return new KafkaPartitionSplit(new TopicPartition(TOPIC, partition), start);
    }

    private static String id(int partition) {
        return split(partition, 0L).splitId();
    }

    private void poll() throws Exception {
        reader.pollNext(output);
    }

    private void fetch(int partition, boolean backlogEnd) throws Exception {
        kafka.fetched.add(new Object[] {id(partition), new RawRecord(new byte[0], 0, backlogEnd)});
        poll();
    }

    private void pass(Duration duration) {
        now += duration.toNanos();
    }

    @Test
    void aPartitionWhoseFirstFetchIsSlowerThanEveryTimeoutHoldsUntilItsBacklogEnd()
            throws Exception {
        ranges.put(0, new OffsetRange(0L, 100_000L));
        reader.addSplits(List.of(split(0, KafkaPartitionSplit.EARLIEST_OFFSET)));

        pass(CatchUpReader.STALLED_BACKLOG.plusSeconds(1));
        poll();
        assertEquals(List.of(), output.calls, "no record yet: still holding");

        fetch(0, false);
        pass(CatchUpReader.STALLED_BACKLOG.minusSeconds(1));
        fetch(0, false);
        assertEquals(List.of("record", "record"), output.calls);

        fetch(0, true);
        fetch(0, false);

        assertEquals(
                List.of("record", "record", "record", "idle", "record"),
                output.calls,
                "idle once, right after the backlog's last record");
        assertSame(kafka.isAvailable(), reader.isAvailable(), "no more deadlines to wake at");
    }

    @Test
    void aPartitionWithNothingToReadIsIdleAtOnce() throws Exception {
        ranges.put(0, new OffsetRange(40L, 40L));
        ranges.put(1, new OffsetRange(0L, 75L));
        reader.addSplits(List.of(split(0, KafkaPartitionSplit.EARLIEST_OFFSET), split(1, 75L)));

        poll();

        assertEquals(
                List.of("idle"), output.calls, "emptied by compaction, and restored at its end");
    }

    @Test
    void aRestoredPartitionHoldsForWhatWasWrittenSinceTheCheckpoint() throws Exception {
        ranges.put(0, new OffsetRange(0L, 75L));
        reader.addSplits(List.of(split(0, 70L)));

        poll();
        assertEquals(List.of(), output.calls);

        fetch(0, true);
        assertEquals(List.of("record", "idle"), output.calls);
    }

    @Test
    void aReaderWithoutPartitionsStopsHoldingAfterTheFirstAssignmentWait() throws Exception {
        pass(CatchUpReader.FIRST_ASSIGNMENT.minusSeconds(5));
        poll();
        assertEquals(List.of(), output.calls);
        assertFalse(reader.isAvailable().isDone(), "the task sleeps until the wait's end");

        pass(Duration.ofSeconds(5).minusNanos(1));
        poll();
        assertEquals(List.of(), output.calls);

        pass(Duration.ofNanos(1));
        poll();

        assertEquals(List.of("idle"), output.calls);
    }

    @Test
    void theWaitForAnAssignmentDoesNotGrowWithTheIdleTimeout() throws Exception {
        CatchUpReader patient =
                new CatchUpReader(kafka, () -> ranges, Duration.ofMinutes(5), () -> now);

        pass(CatchUpReader.FIRST_ASSIGNMENT);
        patient.pollNext(output);

        assertEquals(List.of("idle"), output.calls, "a restart costs the same whatever the flag");
    }

    @Test
    void theWaitForAPartitionsFirstRecordIsAtLeastTheIdleTimeout() throws Exception {
        CatchUpReader patient =
                new CatchUpReader(kafka, () -> ranges, Duration.ofMinutes(5), () -> now);
        ranges.put(0, new OffsetRange(0L, 10L));
        patient.addSplits(List.of(split(0, 0L)));

        pass(Duration.ofMinutes(5).minusNanos(1));
        patient.pollNext(output);
        assertEquals(List.of(), output.calls);

        pass(Duration.ofNanos(1));
        patient.pollNext(output);

        assertEquals(List.of("idle"), output.calls);
    }

    @Test
    void aBacklogWhoseEndNeverShowsIsTakenAsReadOnceStalled() throws Exception {
        ranges.put(0, new OffsetRange(0L, 10L));
        reader.addSplits(List.of(split(0, 0L)));
        fetch(0, false);

        pass(CatchUpReader.STALLED_BACKLOG.minusNanos(1));
        poll();
        assertEquals(
                List.of("record"), output.calls, "a pause in the middle of a backlog is no end");

        pass(Duration.ofNanos(1));
        poll();

        assertEquals(List.of("record", "idle"), output.calls);
    }

    @Test
    void aBacklogThatNeverYieldsARecordIsTakenAsReadAfterTheLongestWait() throws Exception {
        ranges.put(0, new OffsetRange(0L, 10L));
        reader.addSplits(List.of(split(0, 0L)));

        pass(CatchUpReader.NO_RECORD.minusNanos(1));
        poll();
        assertEquals(List.of(), output.calls);
        CompletableFuture<Void> wake = reader.isAvailable();

        pass(Duration.ofNanos(1));
        wake.get();
        poll();

        assertEquals(List.of("idle"), output.calls);
    }

    @Test
    void aPartitionDiscoveredLaterHoldsAgainBeforeItsFirstRecordPasses() throws Exception {
        ranges.put(0, new OffsetRange(0L, 0L));
        reader.addSplits(List.of(split(0, KafkaPartitionSplit.EARLIEST_OFFSET)));
        poll();
        assertSame(kafka.isAvailable(), reader.isAvailable(), "settled: no deadline to wake at");

        ranges.put(1, new OffsetRange(0L, 3L));
        reader.addSplits(List.of(split(1, KafkaPartitionSplit.EARLIEST_OFFSET)));
        fetch(1, true);

        assertEquals(List.of("idle", "active", "record", "idle"), output.calls);
    }

    @Test
    void closingNeverFailsTheFutureTheTaskWaitsOn() throws Exception {
        ranges.put(0, new OffsetRange(0L, 10L));
        reader.addSplits(List.of(split(0, 0L)));
        CompletableFuture<Void> waitedOn = reader.isAvailable();

        reader.close();

        assertFalse(
                waitedOn.isCompletedExceptionally(),
                "Flink stops the TaskManager when a future its task waits on fails");
    }

    @Test
    void splitsAndCheckpointsAreTheKafkaReadersOwn() {
        ranges.put(0, new OffsetRange(0L, 5L));
        reader.addSplits(List.of(split(0, 2L)));

        assertEquals(List.of(split(0, 2L)), reader.snapshotState(7L));
    }

    /** Hands out what the test put in {@link #fetched}, one record per poll, as Kafka's does. */
    private static final class FetchingReader
            implements SourceReader<RawRecord, KafkaPartitionSplit> {
        final Deque<Object[]> fetched = new ArrayDeque<>();
        final List<KafkaPartitionSplit> added = new ArrayList<>();
        final CompletableFuture<Void> available = new CompletableFuture<>();
        final Map<String, SourceOutput<RawRecord>> outputs = new HashMap<>();

        @Override
        public void start() {}

        @Override
        public InputStatus pollNext(ReaderOutput<RawRecord> output) {
            Object[] next = fetched.poll();
            if (next == null) {
                return InputStatus.NOTHING_AVAILABLE;
            }
            outputs.computeIfAbsent((String) next[0], output::createOutputForSplit)
                    .collect((RawRecord) next[1]);
            return fetched.isEmpty() ? InputStatus.NOTHING_AVAILABLE : InputStatus.MORE_AVAILABLE;
        }

        @Override
        public List<KafkaPartitionSplit> snapshotState(long checkpointId) {
            return added;
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            return available;
        }

        @Override
        public void addSplits(List<KafkaPartitionSplit> splits) {
            added.addAll(splits);
        }

        @Override
        public void notifyNoMoreSplits() {}

        @Override
        public void close() {}
    }

    /** What the task would see: watermark status changes, and records. */
    private static final class RecordingOutput implements ReaderOutput<RawRecord> {
        final List<String> calls = new ArrayList<>();

        @Override
        public void collect(RawRecord record) {
            calls.add("record");
        }

        @Override
        public void collect(RawRecord record, long timestamp) {
            calls.add("record");
        }

        @Override
        public void emitWatermark(Watermark watermark) {
            calls.add("watermark " + watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
            calls.add("idle");
        }

        @Override
        public void markActive() {
            calls.add("active");
        }

        @Override
        public SourceOutput<RawRecord> createOutputForSplit(String splitId) {
            return this;
        }

        @Override
        public void releaseOutputForSplit(String splitId) {}
    }
}
