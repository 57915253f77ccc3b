package com.openplatform.availability.sinks;

import java.io.IOException;
import java.time.Duration;
import org.apache.flink.api.common.operators.ProcessingTimeService;

/**
 * A writer's delayed write: the first record left unwritten starts it, and it runs once, on the
 * task thread (a processing-time timer, not a thread of its own).
 */
final class WriteTimer {
    /** What the timer does when it fires. */
    @FunctionalInterface
    interface Write {
        void run() throws IOException, InterruptedException;
    }

    private final ProcessingTimeService time;
    private final long delayMillis;
    private final Write write;
    private boolean pending;

    WriteTimer(ProcessingTimeService time, Duration delay, Write write) {
        this.time = time;
        this.delayMillis = delay.toMillis();
        this.write = write;
    }

    /** Starts the delay unless it is running already. */
    void start() {
        if (!pending) {
            pending = true;
            time.registerTimer(
                    time.getCurrentProcessingTime() + delayMillis,
                    now -> {
                        pending = false;
                        write.run();
                    });
        }
    }
}
