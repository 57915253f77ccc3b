package com.openplatform.availability.testing;

import com.openplatform.availability.JobSources;
import com.openplatform.availability.io.NdjsonFormat;
import com.openplatform.availability.records.CallbackEventParser;
import com.openplatform.availability.records.CallbackRecord;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.file.src.FileSource;

/**
 * File inputs whose events reach the job at about 1 ms a line, so that checkpoints complete and
 * weeks close, and their rows and alerts are written, while the job is still reading: a failure
 * injected meanwhile hits a job in the middle of its work.
 *
 * <p>The events are split into two files, one per source subtask: with one file the idle second
 * subtask finishes at once, and from then on no checkpoint can complete until the input ends (the
 * events source vertex uses union list state, which Flink cannot checkpoint once some of its
 * subtasks finished): everything would then be written at the very end.
 *
 * <p>Use a MiniCluster with small file fetches ({@code StreamFormat.FETCH_IO_SIZE} 16 kb): the
 * default 1 MiB fetch holds a whole test file.
 */
public final class PacedEvents {
    /** Runs in the job before each event line is parsed. */
    @FunctionalInterface
    public interface BeforeEachLine extends Serializable {
        void run();
    }

    private PacedEvents() {}

    /** {@code files} with its events source replaced by the paced halves of {@code lines}. */
    public static JobSources of(
            JobSources files, Path dir, List<String> lines, BeforeEachLine beforeEachLine)
            throws IOException {
        Path halves = Files.createDirectories(dir.resolve("events-halves"));
        List<List<String>> parts = List.of(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < lines.size(); i++) {
            parts.get(i % 2).add(lines.get(i));
        }
        for (int i = 0; i < parts.size(); i++) {
            Files.write(halves.resolve("part-" + i + ".ndjson"), parts.get(i));
        }
        CallbackEventParser parser = new CallbackEventParser();
        NdjsonFormat.LineDecoder<CallbackRecord> decoder =
                (line, length) -> {
                    LockSupport.parkNanos(1_000_000);
                    beforeEachLine.run();
                    return parser.parseRecord(line);
                };
        FileSource<CallbackRecord> events =
                FileSource.forRecordStreamFormat(
                                new NdjsonFormat<>(
                                        decoder, TypeInformation.of(CallbackRecord.class)),
                                new org.apache.flink.core.fs.Path(halves.toString()))
                        .build();
        return new JobSources(events, files.standards(), files.bindings(), true);
    }
}
