package com.openplatform.availability.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class UpdateStreamWatermarksTest {
    @Test
    void neverEmitsAWatermarkAndStaysIdle() {
        List<String> calls = new ArrayList<>();
        WatermarkOutput output =
                new WatermarkOutput() {
                    @Override
                    public void emitWatermark(Watermark watermark) {
                        calls.add("watermark " + watermark.getTimestamp());
                    }

                    @Override
                    public void markIdle() {
                        calls.add("idle");
                    }

                    @Override
                    public void markActive() {
                        calls.add("active");
                    }
                };
        UpdateStreamWatermarks<String> generator = new UpdateStreamWatermarks<>();

        generator.onEvent("update", 123L, output);
        generator.onPeriodicEmit(output);
        generator.onEvent("update", 456L, output);
        generator.onPeriodicEmit(output);

        assertEquals(List.of("idle", "idle"), calls);
    }
}
