package com.openplatform.availability.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The jars of a {@code deploy/<name>/pom.xml} (the Kafka broker's, the Flink cluster's), resolved
 * by Maven once and cached under {@code target/}, so they stay off the job's own classpath.
 */
final class DeployClasspath {
    private DeployClasspath() {}

    /** The classpath of {@code deploy/<deployment>/pom.xml}; {@code what} names it in errors. */
    static synchronized String of(String deployment, String what)
            throws IOException, InterruptedException {
        Path cached = Paths.get("target", deployment + "-deploy.classpath").toAbsolutePath();
        if (!Files.exists(cached)) {
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
                            Paths.get("deploy", deployment, "pom.xml").toAbsolutePath().toString(),
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
}
