package com.openplatform.availability.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The child JVMs of the local services (the Kafka broker, the Flink cluster): their jars, from a
 * {@code deploy/<name>/pom.xml} resolved by Maven once and cached under {@code target/} so they
 * stay off the job's own classpath, and their orderly stop.
 */
final class ChildJvms {
    private ChildJvms() {}

    /** The classpath of {@code deploy/<deployment>/pom.xml}; {@code what} names it in errors. */
    static synchronized String classpath(String deployment, String what)
            throws IOException, InterruptedException {
        Path cached = Paths.get("target", deployment + "-deploy.classpath").toAbsolutePath();
        Path pom = Paths.get("deploy", deployment, "pom.xml").toAbsolutePath();
        // Resolved again when the pom changed since (a pull, an edit).
        if (!Files.exists(cached)
                || Files.getLastModifiedTime(pom).compareTo(Files.getLastModifiedTime(cached))
                        > 0) {
            Files.createDirectories(cached.getParent());
            // Written aside and moved, so a run cut short never leaves half a classpath cached.
            Path partial = cached.resolveSibling(cached.getFileName() + "." + UUID.randomUUID());
            List<String> command = new ArrayList<>();
            command.add(System.getProperty("os.name").startsWith("Windows") ? "mvn.cmd" : "mvn");
            command.addAll(
                    List.of(
                            "-q",
                            "-B",
                            "-f",
                            pom.toString(),
                            "dependency:build-classpath",
                            "-Dmdep.outputFile=" + partial));
            Process maven = new ProcessBuilder(command).inheritIO().start();
            if (maven.waitFor() != 0 || !Files.exists(partial)) {
                throw new IOException("Could not resolve " + what + ": " + command);
            }
            Files.move(partial, cached, StandardCopyOption.REPLACE_EXISTING);
        }
        return Files.readString(cached).trim();
    }

    /** Asks them all to stop, then waits for each, killing those that do not within 30 s. */
    static void stop(List<Process> processes) {
        processes.forEach(Process::destroy);
        for (Process process : processes) {
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
