package com.openplatform.availability.testing;

import com.openplatform.availability.testkit.FlinkCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** Keeps the Flink cluster's logs of a failed test under target/flink-cluster-it-logs. */
public final class KeepClusterLogs implements TestWatcher {
    private final Supplier<FlinkCluster> cluster;

    /**
     * @param cluster the test class's cluster, null before it started
     */
    public KeepClusterLogs(Supplier<FlinkCluster> cluster) {
        this.cluster = cluster;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        FlinkCluster flink = cluster.get();
        if (flink == null) {
            return;
        }
        String test =
                context.getRequiredTestClass().getSimpleName() + "-" + context.getDisplayName();
        Path target = Paths.get("target", "flink-cluster-it-logs", test.replaceAll("\\W+", "_"));
        try (Stream<Path> logs = Files.list(flink.logDir())) {
            Files.createDirectories(target);
            for (Path log : logs.toList()) {
                Files.copy(
                        log,
                        target.resolve(log.getFileName()),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            System.out.println("Flink logs of the failed test: " + target.toAbsolutePath());
        } catch (IOException e) {
            System.out.println("Could not keep the Flink logs: " + e);
        }
    }
}
