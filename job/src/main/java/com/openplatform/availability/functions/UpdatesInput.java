package com.openplatform.availability.functions;

import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * How far the updates input (standards or bindings) of a two-input operator has come: its
 * watermark, or idle once read up to date ({@code io.CatchUpReader}). The function sees only the
 * lower watermark of its two inputs, and a week's results arrive just before the watermark that
 * closed the week: with this, a result of a closed week whose updates are read up to its close is
 * acted on as it comes instead of being put in state until that watermark arrives.
 */
final class UpdatesInput {
    private long watermark = Long.MIN_VALUE;
    private boolean idle;

    void advance(Watermark mark) {
        watermark = mark.getTimestamp();
    }

    void status(WatermarkStatus status) {
        idle = status.isIdle();
    }

    /**
     * Whether a record stamped {@code timestamp} of a week closing at {@code weekClose} may be
     * acted on now: the week is closed (the weekly window stamps a week's counts with its close,
     * once its watermark passed it) and the updates input is past the close or idle.
     */
    boolean passed(Long timestamp, long weekClose) {
        return timestamp != null && timestamp >= weekClose && (idle || watermark >= weekClose);
    }
}
