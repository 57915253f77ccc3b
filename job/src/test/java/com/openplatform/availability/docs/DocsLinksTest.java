package com.openplatform.availability.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and docs stand on their own: every link points at a file of this repository (and a
 * heading of it, when it names one), none leaves it.
 */
class DocsLinksTest {
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#+\\s+(.*)$", Pattern.MULTILINE);

    @Test
    void everyLinkOfTheReadmeAndDocsResolvesInsideTheRepository() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path doc : documents()) {
            String text = Files.readString(doc, StandardCharsets.UTF_8);
            Matcher link = LINK.matcher(text);
            while (link.find()) {
                String problem = check(doc, link.group(1));
                if (problem != null) {
                    broken.add(doc + ": " + link.group(1) + " — " + problem);
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    private static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    private static String check(Path doc, String target) throws IOException {
        if (target.matches("[a-z]+:.*")) {
            return target.matches("https?://(localhost|127\\.0\\.0\\.1)[:/].*")
                    ? null
                    : "points outside the repository";
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path resolved = file.isEmpty() ? doc : doc.resolveSibling(file).normalize();
        if (resolved.startsWith("..") || !Files.exists(resolved)) {
            return "no such file in the repository";
        }
        if (hash >= 0 && !anchors(resolved).contains(target.substring(hash + 1))) {
            return "no such heading";
        }
        return null;
    }

    /** The anchors a Markdown renderer gives the file's headings (GitHub's rule). */
    private static Set<String> anchors(Path file) throws IOException {
        Set<String> anchors = new HashSet<>();
        if (Files.isDirectory(file) || !file.toString().endsWith(".md")) {
            return anchors;
        }
        Matcher heading = HEADING.matcher(Files.readString(file, StandardCharsets.UTF_8));
        while (heading.find()) {
            anchors.add(
                    heading.group(1)
                            .trim()
                            .toLowerCase(Locale.ROOT)
                            .replaceAll("[^\\p{L}\\p{N} _-]", "")
                            .replace(' ', '-'));
        }
        return anchors;
    }
}
