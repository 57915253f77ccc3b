package com.openplatform.availability.time;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Watermarks for unbounded standards and bindings inputs: they carry no event time and rarely any
 * data, so they never emit a watermark and declare themselves idle. An operator that joins them
 * with the events then follows the events' watermark alone: neither the weekly windows nor the
 * cleanup timers wait on them.
 *
 * <p>Idle, not the end of time: a two-input operator whose events input goes idle too (no traffic
 * for a while) must keep its watermark where it is. Had this input declared the end of time, the
 * operator's watermark would jump there and fire every timer, releasing the weeks it holds for
 * re-judgement.
 */
public final class UpdateStreamWatermarks<T> implements WatermarkGenerator<T> {
    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        output.markIdle();
    }
}
