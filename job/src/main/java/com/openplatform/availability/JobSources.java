package com.openplatform.availability;

import com.openplatform.availability.config.JobConfig;
import com.openplatform.availability.io.KafkaInputs;
import com.openplatform.availability.io.NdjsonFormat;
import com.openplatform.availability.records.CallbackRecord;
import com.openplatform.availability.records.CallbackRecordReader;
import com.openplatform.availability.records.RawRecord;
import java.time.Clock;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;

/**
 * The job's three inputs. Events are parsed in the source so watermarks are per split (Kafka
 * partition); standards and bindings arrive raw and are parsed downstream.
 *
 * @param bounded whether the inputs end (files, or Kafka with {@code --kafka.stop-at-latest}): then
 *     no split is ever idle, and alerts wait until the standards and bindings have been read to
 *     their end
 */
public record JobSources(
        Source<CallbackRecord, ?, ?> events,
        Source<RawRecord, ?, ?> standards,
        Source<RawRecord, ?, ?> bindings,
        boolean bounded) {

    /** The inputs {@code config} names: Kafka topics, or else files. */
    public static JobSources of(JobConfig config) {
        return config.isKafkaMode() ? kafka(config) : files(config, Clock.systemUTC());
    }

    /** Kafka mode: the three topics, unbounded unless {@code --kafka.stop-at-latest true}. */
    public static JobSources kafka(JobConfig config) {
        return new JobSources(
                KafkaInputs.events(config, eventReader(config, Clock.systemUTC())),
                KafkaInputs.updates(config, config.topicStandards()),
                KafkaInputs.updates(config, config.topicBindings()),
                config.kafkaStopAtLatest());
    }

    /**
     * File mode (docs/reference.md §3): the three NDJSON files as bounded inputs.
     *
     * @param clock the wall clock events are judged FUTURE against
     */
    public static JobSources files(JobConfig config, Clock clock) {
        CallbackRecordReader reader = eventReader(config, clock);
        return new JobSources(
                file(
                        config.eventsFile(),
                        new NdjsonFormat<>(
                                (line, length) ->
                                        line.length < length
                                                ? CallbackRecord.tooLarge(line, length)
                                                : reader.read(line),
                                TypeInformation.of(CallbackRecord.class))),
                rawFile(config.standardsFile()),
                rawFile(config.bindingsFile()),
                true);
    }

    private static CallbackRecordReader eventReader(JobConfig config, Clock clock) {
        return new CallbackRecordReader(config.eventMaxFuture(), clock);
    }

    private static FileSource<RawRecord> rawFile(String path) {
        return file(path, new NdjsonFormat<>(RawRecord::new, TypeInformation.of(RawRecord.class)));
    }

    private static <T> FileSource<T> file(String path, NdjsonFormat<T> format) {
        return FileSource.forRecordStreamFormat(format, new Path(path)).build();
    }
}
