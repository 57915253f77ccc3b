package com.openplatform.availability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The shaded job jar holds the job and its runtime dependencies, nothing else: no testkit, local
 * tooling or benchmark, no Flink or logging classes the cluster provides, no second copy of the
 * cluster's native compression libraries.
 */
class JobJarContentsIT {
    private static final String JOB = "com/openplatform/availability/";

    /** The job's own packages (and its classes at the top of them). */
    private static final List<String> JOB_PACKAGES =
            List.of("config/", "functions/", "io/", "records/", "sinks/", "time/", "wechat/");

    /** Where the classes of the job's runtime dependencies live. */
    private static final List<String> DEPENDENCIES =
            List.of(
                    "org/apache/flink/connector/kafka/",
                    "org/apache/flink/streaming/connectors/kafka/",
                    "org/apache/flink/streaming/util/serialization/",
                    "org/apache/flink/connector/jdbc/",
                    "org/apache/kafka/",
                    "common/message/",
                    "com/github/luben/zstd/",
                    "com/fasterxml/jackson/",
                    "org/postgresql/",
                    "org/checkerframework/",
                    "org/mariadb/jdbc/",
                    "org/flywaydb/",
                    "META-INF/versions/");

    /** Inside those, what only the benchmark or a cluster has. */
    private static final List<String> NOT_THE_JOBS =
            List.of("org/apache/flink/connector/jdbc/postgres/");

    private final Path jar =
            Paths.get(System.getProperty("job.jar", "job/target/callback-availability.jar"));

    @Test
    void holdsOnlyTheJobsClassesAndItsRuntimeDependencies() throws IOException {
        List<String> strangers = new ArrayList<>();
        for (String entry : entries()) {
            if (entry.endsWith(".class") && !isJob(entry) && !isDependency(entry)) {
                strangers.add(entry);
            }
        }
        assertEquals(List.of(), summarize(strangers), "classes that are not the job's in " + jar);
    }

    @Test
    void shipsTheJobItsMigrationsAndNoCopyOfTheClustersNatives() throws IOException {
        List<String> entries = entries();
        assertTrue(entries.contains(JOB + "AvailabilityJob.class"));
        assertTrue(entries.stream().anyMatch(e -> e.startsWith("db/migration/postgresql/V1__")));
        assertTrue(entries.stream().anyMatch(e -> e.startsWith("db/migration/mysql/V1__")));
        assertEquals(
                List.of(),
                entries.stream()
                        .filter(e -> e.contains("libsnappyjava") || e.contains("liblz4-java"))
                        .toList());
    }

    private List<String> entries() throws IOException {
        assertTrue(jar.toFile().isFile(), "no job jar at " + jar + ": mvn package first");
        try (JarFile file = new JarFile(jar.toFile())) {
            return Collections.list(file.entries()).stream().map(e -> e.getName()).toList();
        }
    }

    private static boolean isJob(String entry) {
        if (!entry.startsWith(JOB)) {
            return false;
        }
        String inside = entry.substring(JOB.length());
        return !inside.contains("/") || JOB_PACKAGES.stream().anyMatch(inside::startsWith);
    }

    private static boolean isDependency(String entry) {
        return DEPENDENCIES.stream().anyMatch(entry::startsWith)
                && NOT_THE_JOBS.stream().noneMatch(entry::startsWith);
    }

    /** Strangers by package, so a whole library shows as one line. */
    private static List<String> summarize(List<String> entries) {
        TreeSet<String> packages = new TreeSet<>();
        entries.forEach(e -> packages.add(e.substring(0, e.lastIndexOf('/') + 1)));
        return new ArrayList<>(packages);
    }
}
