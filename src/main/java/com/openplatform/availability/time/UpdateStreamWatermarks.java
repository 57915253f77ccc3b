package com.openplatform.availability.time;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Watermarks for the standards and bindings inputs: they carry no event time and rarely any data,
 * so they declare the end of time at once. An operator that joins them with the events then follows
 * the events' watermark alone, and neither weekly windows nor cleanup timers wait on them.
 */
public final class UpdateStreamWatermarks<T> implements WatermarkGenerator<T> {
    private boolean emitted;

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (!emitted) {
            output.emitWatermark(Watermark.MAX_WATERMARK);
            emitted = true;
        }
    }
}
