package com.openplatform.availability.io;

import com.openplatform.availability.records.RawRecord;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A standards or bindings topic: the Kafka source, whose readers hold event time until the backlog
 * is read ({@link CatchUpReader}). Splits, enumerator and their checkpoints are the Kafka source's
 * own, so savepoints of either stay compatible.
 */
final class CatchUpSource
        implements Source<RawRecord, KafkaPartitionSplit, KafkaSourceEnumState>,
                ResultTypeQueryable<RawRecord> {
    private static final long serialVersionUID = 1L;

    private final KafkaSource<RawRecord> kafka;
    private final String bootstrapServers;
    private final String topic;
    private final Duration quiet;

    CatchUpSource(
            KafkaSource<RawRecord> kafka, String bootstrapServers, String topic, Duration quiet) {
        this.kafka = kafka;
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.quiet = quiet;
    }

    @Override
    public Boundedness getBoundedness() {
        return kafka.getBoundedness();
    }

    @Override
    public SourceReader<RawRecord, KafkaPartitionSplit> createReader(SourceReaderContext context)
            throws Exception {
        return new CatchUpReader(
                kafka.createReader(context),
                () -> KafkaInputs.offsetRanges(bootstrapServers, topic),
                quiet,
                System::nanoTime);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> createEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context) {
        return kafka.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restoreEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context, KafkaSourceEnumState state)
            throws Exception {
        return kafka.restoreEnumerator(context, state);
    }

    @Override
    public SimpleVersionedSerializer<KafkaPartitionSplit> getSplitSerializer() {
        return kafka.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<KafkaSourceEnumState> getEnumeratorCheckpointSerializer() {
        return kafka.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return kafka.getProducedType();
    }
}
