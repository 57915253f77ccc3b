package com.openplatform.availability.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class UpdateStreamWatermarksTest {
    @Test
    void declaresTheEndOfTimeOnceAndIgnoresEvents() {
        List<Watermark> emitted = new ArrayList<>();
        WatermarkOutput output =
                new WatermarkOutput() {
                    @Override
                    public void emitWatermark(Watermark watermark) {
                        emitted.add(watermark);
                    }

                    @Override
                    public void markIdle() {}

                    @Override
                    public void markActive() {}
                };
        UpdateStreamWatermarks<String> generator = new UpdateStreamWatermarks<>();

        generator.onEvent("update", 123L, output);
        assertEquals(List.of(), emitted);

        generator.onPeriodicEmit(output);
        generator.onPeriodicEmit(output);
        generator.onEvent("update", 456L, output);

        assertEquals(List.of(Watermark.MAX_WATERMARK), emitted);
    }
}
