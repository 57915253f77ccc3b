package com.openplatform.availability.functions;

import com.openplatform.availability.records.DeadLetter;
import org.apache.flink.util.OutputTag;

/** The side output every operator sends rejected records to. */
public final class DeadLetters {
    public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters") {};

    /** The input names recorded in {@link DeadLetter#getInput()}. */
    public static final String EVENTS = "events";

    public static final String STANDARDS = "standards";
    public static final String BINDINGS = "bindings";

    /** The metric group all job metrics live in, so ops find them together in the web UI. */
    public static final String METRIC_GROUP = "availability";

    private DeadLetters() {}
}
