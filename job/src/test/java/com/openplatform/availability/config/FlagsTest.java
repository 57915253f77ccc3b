package com.openplatform.availability.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FlagsTest {
    private static final Path README = Path.of("README.md");
    private static final String BEGIN = "<!-- flags:begin";
    private static final String END = "<!-- flags:end -->";

    @Test
    void everyFlagIsDeclaredOnceWithADescription() {
        Set<String> names = new HashSet<>();
        for (Flags.Flag flag : Flags.all()) {
            assertTrue(names.add(flag.name()), "declared twice: " + flag.name());
            assertFalse(flag.description().isBlank(), flag.name());
        }
    }

    @Test
    void everyDeclaredDefaultIsAValidValueOfItsFlag() {
        JobConfig.Builder builder = JobConfig.builder();
        for (Flags.Flag flag : Flags.all()) {
            if (flag.defaultValue() != null) {
                flag.setter().accept(builder, flag.defaultValue());
            }
        }
        builder.jdbcUrl("jdbc:postgresql://localhost/results");
        builder.kafkaBootstrapServers("localhost:9092");
        assertEquals("localhost:9092", builder.build().kafkaBootstrapServers());
    }

    @Test
    void helpListsEveryFlagWithItsDefault() {
        String help = Flags.help();
        for (Flags.Flag flag : Flags.all()) {
            assertTrue(
                    help.contains("--" + flag.name() + "   (default: " + flag.defaultText() + ")"),
                    flag.name());
        }
    }

    @Test
    void aTypoNamesTheFlagInOneLineWithoutAStackTrace() {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () -> JobConfig.fromArgs(new String[] {"--week.zon", "UTC"}, Map.of()));
        assertEquals("Unknown flag --week.zon (--help lists the flags)", e.getMessage());
        assertEquals(0, e.getStackTrace().length);
    }

    @Test
    void helpIsAskedForWithEitherSpelling() {
        assertTrue(JobConfig.wantsHelp(new String[] {"--jdbc.url", "x", "--help"}));
        assertTrue(JobConfig.wantsHelp(new String[] {"-h"}));
        assertFalse(JobConfig.wantsHelp(new String[] {"--jdbc.url", "x"}));
    }

    /** The README's flag table is the declarations': regenerate it with UPDATE_DOCS=true. */
    @Test
    void readmeFlagTableIsTheDeclarations() throws Exception {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int begin = readme.indexOf('\n', readme.indexOf(BEGIN)) + 1;
        int end = readme.indexOf(END);
        assertTrue(begin > 0 && end >= begin, "README.md has no flags:begin/end markers");
        String generated = Flags.markdownTable();
        if ("true".equals(System.getenv("UPDATE_DOCS"))) {
            Files.writeString(
                    README,
                    readme.substring(0, begin) + generated + readme.substring(end),
                    StandardCharsets.UTF_8);
            return;
        }
        assertEquals(
                generated,
                readme.substring(begin, end),
                "README.md's flag table differs from config/Flags.java:"
                        + " UPDATE_DOCS=true mvn test -Dtest=FlagsTest");
    }
}
