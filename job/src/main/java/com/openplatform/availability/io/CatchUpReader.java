package com.openplatform.availability.io;

import com.openplatform.availability.records.RawRecord;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.InputStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a standards or bindings topic and tells, through its watermark status, whether what its
 * partitions held when they were assigned (their backlog) has been read. Until then it emits no
 * watermark, which holds back the operators that join it with the events; afterwards it is idle,
 * and they follow the events' watermark alone. A partition discovered later makes it active again
 * (holding) until the partition's first record.
 *
 * <p>Only the reader can decide this: Flink creates a partition's watermark output when the first
 * records of the partition arrive, so a watermark generator cannot hold a partition that has not
 * been fetched yet, however long the first fetch takes. Idle, not the end of time: a two-input
 * operator whose events input goes idle too must keep its watermark where it is.
 *
 * <p>A partition's backlog is read when the record that ends it is emitted (the deserializer marks
 * it), at once when the partition had nothing to read, after {@link #STALLED_BACKLOG} without a
 * record once records came (its last offset is a transaction marker), or after {@link #NO_RECORD}
 * without any record (a backlog of aborted transactions). A reader that no partition is assigned to
 * (more subtasks than partitions) stops holding after {@link #FIRST_ASSIGNMENT}: the enumerator
 * assigns the partitions as soon as a reader registers, and a restore hands each reader its own at
 * once, so this wait is what a restart costs a subtask without partitions.
 */
@SuppressWarnings("try") // close() throws what the Kafka reader's does
final class CatchUpReader implements SourceReader<RawRecord, KafkaPartitionSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(CatchUpReader.class);

    static final Duration FIRST_ASSIGNMENT = Duration.ofSeconds(10);
    static final Duration STALLED_BACKLOG = Duration.ofSeconds(30);
    static final Duration NO_RECORD = Duration.ofMinutes(2);

    /** The offsets a partition holds now: from {@code beginning} up to (without) {@code end}. */
    record OffsetRange(long beginning, long end) {
        private static final OffsetRange EMPTY = new OffsetRange(0L, 0L);

        /**
         * Whether a partition read from {@code start} has records to read in this range. A fresh
         * start carries the connector's marker for the earliest offset (negative), a restore its
         * checkpointed offset.
         */
        boolean hasRecordsFrom(long start) {
            return Math.max(start, beginning) < end;
        }

        long recordsFrom(long start) {
            return Math.max(0L, end - Math.max(start, beginning));
        }
    }

    /** Where each partition of the topic begins and ends now. */
    @FunctionalInterface
    interface OffsetRanges {
        Map<Integer, OffsetRange> lookUp() throws Exception;
    }

    private final SourceReader<RawRecord, KafkaPartitionSplit> reader;
    private final OffsetRanges ranges;
    private final LongSupplier nanoClock;
    private final long firstAssignmentNanos;
    private final long stalledNanos;
    private final long noRecordNanos;
    private final long startNanos;
    private final Map<String, Backlog> backlogs = new HashMap<>();
    private boolean assigned;
    private boolean idle;
    private boolean settled;
    private CompletableFuture<Void> wake = new CompletableFuture<>();
    private ReaderOutput<RawRecord> observed;
    private ReaderOutput<RawRecord> observing;

    /**
     * @param quiet {@code --watermark.idle-timeout}: no wait for a partition's records is shorter
     */
    CatchUpReader(
            SourceReader<RawRecord, KafkaPartitionSplit> reader,
            OffsetRanges ranges,
            Duration quiet,
            LongSupplier nanoClock) {
        this.reader = reader;
        this.ranges = ranges;
        this.nanoClock = nanoClock;
        this.firstAssignmentNanos = FIRST_ASSIGNMENT.toNanos();
        this.stalledNanos = atLeast(quiet, STALLED_BACKLOG);
        this.noRecordNanos = atLeast(quiet, NO_RECORD);
        this.startNanos = nanoClock.getAsLong();
    }

    private static long atLeast(Duration quiet, Duration bound) {
        return Math.max(quiet.toNanos(), bound.toNanos());
    }

    @Override
    public void start() {
        reader.start();
    }

    @Override
    public void addSplits(List<KafkaPartitionSplit> splits) {
        Map<Integer, OffsetRange> now;
        try {
            now = ranges.lookUp();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot look up the offsets of " + splits, e);
        }
        long assignedAt = nanoClock.getAsLong();
        for (KafkaPartitionSplit split : splits) {
            OffsetRange range = now.getOrDefault(split.getPartition(), OffsetRange.EMPTY);
            long start = split.getStartingOffset();
            Backlog backlog = new Backlog(assignedAt, !range.hasRecordsFrom(start));
            backlogs.put(split.splitId(), backlog);
            LOG.info(
                    "{}: {} ({} to read)",
                    split,
                    backlog.read ? "nothing to read" : "holding event time",
                    range.recordsFrom(start));
        }
        assigned = true;
        settled = false;
        reader.addSplits(splits);
        wake.complete(null);
    }

    @Override
    public InputStatus pollNext(ReaderOutput<RawRecord> output) throws Exception {
        signal(output);
        InputStatus status = reader.pollNext(observing(output));
        signal(output);
        return status;
    }

    private void signal(ReaderOutput<RawRecord> output) {
        if (settled) {
            return;
        }
        boolean behind = behind(nanoClock.getAsLong());
        if (behind == idle) {
            if (behind) {
                output.markActive();
            } else {
                output.markIdle();
                LOG.info("Backlog read: idle from now on, the events' watermark leads");
            }
            idle = !behind;
        }
        settled = idle;
    }

    private boolean behind(long now) {
        if (!assigned) {
            return now - startNanos < firstAssignmentNanos;
        }
        boolean behind = false;
        for (Map.Entry<String, Backlog> entry : backlogs.entrySet()) {
            Backlog backlog = entry.getValue();
            if (!backlog.read && now >= deadline(backlog)) {
                LOG.warn(
                        "{}: taken as read after {} s without a record",
                        entry.getKey(),
                        TimeUnit.NANOSECONDS.toSeconds(now - backlog.lastRecordNanos));
                backlog.read = true;
            }
            behind |= !backlog.read;
        }
        return behind;
    }

    private long deadline(Backlog backlog) {
        return backlog.lastRecordNanos + (backlog.sawRecord ? stalledNanos : noRecordNanos);
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        CompletableFuture<Void> data = reader.isAvailable();
        if (settled) {
            return data;
        }
        if (wake.isDone()) {
            wake = new CompletableFuture<>();
        }
        long deadline = !assigned ? startNanos + firstAssignmentNanos : Long.MAX_VALUE;
        for (Backlog backlog : backlogs.values()) {
            if (!backlog.read) {
                deadline = Math.min(deadline, deadline(backlog));
            }
        }
        // Wakes the task at the next deadline too, so a silent partition cannot keep it holding.
        if (deadline != Long.MAX_VALUE) {
            wake.completeOnTimeout(
                    null, Math.max(0L, deadline - nanoClock.getAsLong()) + 1, TimeUnit.NANOSECONDS);
        }
        return CompletableFuture.anyOf(data, wake).thenRun(() -> {});
    }

    private ReaderOutput<RawRecord> observing(ReaderOutput<RawRecord> output) {
        if (output != observed) {
            observed = output;
            observing = new ObservingOutput(output);
        }
        return observing;
    }

    @Override
    public List<KafkaPartitionSplit> snapshotState(long checkpointId) {
        return reader.snapshotState(checkpointId);
    }

    @Override
    public void notifyNoMoreSplits() {
        reader.notifyNoMoreSplits();
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        reader.notifyCheckpointComplete(checkpointId);
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) throws Exception {
        reader.notifyCheckpointAborted(checkpointId);
    }

    @Override
    public void pauseOrResumeSplits(Collection<String> toPause, Collection<String> toResume) {
        reader.pauseOrResumeSplits(toPause, toResume);
    }

    @Override
    public void close() throws Exception {
        // The wake-up future is left to its timer: the task waits on it, and Flink takes a future
        // it waits on that fails (a cancelled one too) as fatal for the whole TaskManager.
        reader.close();
    }

    /** How far one partition's backlog is read. */
    private static final class Backlog {
        long lastRecordNanos;
        boolean sawRecord;
        boolean read;

        Backlog(long assignedNanos, boolean read) {
            this.lastRecordNanos = assignedNanos;
            this.read = read;
        }
    }

    /** An output passed through, seeing the records of one partition's backlog on their way. */
    private class ObservingSplitOutput implements SourceOutput<RawRecord> {
        private final SourceOutput<RawRecord> output;
        private final Backlog backlog;

        /**
         * @param backlog the partition's, or null for output of no partition
         */
        ObservingSplitOutput(SourceOutput<RawRecord> output, Backlog backlog) {
            this.output = output;
            this.backlog = backlog;
        }

        @Override
        public void collect(RawRecord record) {
            seen(record);
            output.collect(record);
        }

        @Override
        public void collect(RawRecord record, long timestamp) {
            seen(record);
            output.collect(record, timestamp);
        }

        private void seen(RawRecord record) {
            if (backlog != null && !backlog.read) {
                backlog.sawRecord = true;
                backlog.lastRecordNanos = nanoClock.getAsLong();
                backlog.read = record.isBacklogEnd();
            }
        }

        @Override
        public void emitWatermark(Watermark watermark) {
            output.emitWatermark(watermark);
        }

        @Override
        public void markIdle() {
            output.markIdle();
        }

        @Override
        public void markActive() {
            output.markActive();
        }
    }

    /** The task's output, each partition's output observed. */
    private final class ObservingOutput extends ObservingSplitOutput
            implements ReaderOutput<RawRecord> {
        private final ReaderOutput<RawRecord> output;

        ObservingOutput(ReaderOutput<RawRecord> output) {
            super(output, null);
            this.output = output;
        }

        @Override
        public SourceOutput<RawRecord> createOutputForSplit(String splitId) {
            return new ObservingSplitOutput(
                    output.createOutputForSplit(splitId), backlogs.get(splitId));
        }

        @Override
        public void releaseOutputForSplit(String splitId) {
            // A partition read to its stopping offset (--kafka.stop-at-latest) has no more backlog.
            backlogs.remove(splitId);
            output.releaseOutputForSplit(splitId);
        }
    }
}
