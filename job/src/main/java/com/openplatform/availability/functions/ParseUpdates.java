package com.openplatform.availability.functions;

import com.openplatform.availability.records.DeadLetter;
import com.openplatform.availability.records.RawRecord;
import com.openplatform.availability.records.RecordRejectedException;
import java.io.Serializable;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Parses the records of an update input (standards, bindings); bad ones go to the dead letter. */
public class ParseUpdates<T> extends ProcessFunction<RawRecord, T>
        implements ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    /** Reads one record. */
    @FunctionalInterface
    public interface Parser<T> extends Serializable {
        T parse(byte[] raw) throws RecordRejectedException;
    }

    private final String input;
    private final Parser<T> parser;
    private final TypeInformation<T> type;

    private transient Counter read;
    private transient Counter rejected;

    public ParseUpdates(String input, Parser<T> parser, Class<T> type) {
        this.input = input;
        this.parser = parser;
        this.type = TypeInformation.of(type);
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup metrics =
                getRuntimeContext().getMetricGroup().addGroup(DeadLetters.METRIC_GROUP);
        read = metrics.counter(input + "Read");
        rejected = metrics.counter(input + "Rejected");
    }

    @Override
    public void processElement(RawRecord record, Context ctx, Collector<T> out) {
        read.inc();
        try {
            if (record.isTruncated()) {
                // Only the start of a line far over the limit was kept (NdjsonFormat).
                throw RecordRejectedException.tooLarge(record.getSize());
            }
            out.collect(parser.parse(record.getRaw()));
        } catch (RecordRejectedException e) {
            rejected.inc();
            ctx.output(
                    DeadLetters.TAG,
                    new DeadLetter(
                            input,
                            e.getReason(),
                            e.getMessage(),
                            record.getRaw(),
                            record.getSize()));
        }
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return type;
    }
}
