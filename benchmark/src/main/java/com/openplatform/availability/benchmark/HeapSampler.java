package com.openplatform.availability.benchmark;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The memory of this JVM while a measured run goes on: the peak heap in use (sampled every 20 ms
 * from the MemoryMXBean), the peak live heap (the heap in use right after each garbage collection,
 * from the GC beans' notifications: what the run really keeps), and at the end the process's peak
 * resident memory (VmHWM), which includes RocksDB's native memory.
 */
final class HeapSampler implements AutoCloseable {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = (notification, handback) -> onGc(notification);
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile long peakUsed;
    private volatile long peakAfterGc;

    HeapSampler() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
        sampler =
                new Thread(
                        () -> {
                            while (running) {
                                MemoryUsage heap = memory.getHeapMemoryUsage();
                                peakUsed = Math.max(peakUsed, heap.getUsed());
                                try {
                                    Thread.sleep(20);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        },
                        "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void onGc(javax.management.Notification notification) {
        if (!notification
                .getType()
                .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long after = 0;
        for (Map.Entry<String, MemoryUsage> pool :
                info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (isHeapPool(pool.getKey())) {
                after += pool.getValue().getUsed();
            }
        }
        synchronized (this) {
            peakAfterGc = Math.max(peakAfterGc, after);
        }
    }

    private static boolean isHeapPool(String name) {
        return name.contains("Eden")
                || name.contains("Survivor")
                || name.contains("Old Gen")
                || name.contains("Tenured")
                || name.contains("Humongous");
    }

    /** Stops sampling; the figures are then final. */
    @Override
    public void close() {
        running = false;
        sampler.interrupt();
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (Exception ignored) {
                // gone already
            }
        }
    }

    long peakUsedBytes() {
        return peakUsed;
    }

    /** The largest heap in use right after a collection: the live set, GC timing aside. */
    long peakLiveBytes() {
        return peakAfterGc;
    }

    long gcCount() {
        long count = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
        }
        return count;
    }

    long gcMillis() {
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            millis += Math.max(0, gc.getCollectionTime());
        }
        return millis;
    }

    /** The process's peak resident set (Linux VmHWM), or -1 where unknown. */
    static long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return -1;
    }
}
