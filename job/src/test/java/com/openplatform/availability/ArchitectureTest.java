package com.openplatform.availability;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.net.URISyntaxException;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** The job's code stands alone: it depends on none of the tooling beside it. */
class ArchitectureTest {
    /** The job's compiled classes, wherever the build put them (not the testkit's). */
    private static final JavaClasses JOB = importJob();

    private static JavaClasses importJob() {
        try {
            return new ClassFileImporter()
                    .importPath(
                            Paths.get(
                                    AvailabilityJob.class
                                            .getProtectionDomain()
                                            .getCodeSource()
                                            .getLocation()
                                            .toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void importsTheJob() {
        assertTrue(JOB.contain(AvailabilityJob.class));
    }

    @Test
    void jobCodeDependsOnNoTestkitToolingOrBenchmark() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "com.openplatform.availability.testkit..",
                        "com.openplatform.availability.local..",
                        "com.openplatform.availability.benchmark..",
                        "com.openplatform.availability.testing..")
                .check(JOB);
    }

    @Test
    void recordsAndTimeDependOnNoOperatorSinkOrIo() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "com.openplatform.availability.records..",
                        "com.openplatform.availability.time..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "com.openplatform.availability.functions..",
                        "com.openplatform.availability.sinks..",
                        "com.openplatform.availability.io..",
                        "com.openplatform.availability.wechat..")
                .check(JOB);
    }
}
