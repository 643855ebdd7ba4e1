package io.cdcenabler.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README and docs/ name only files of the repository, and every one they name exists. */
class ReadmePathsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** A path in backticks that starts at one of the repository's top-level directories or files. */
    private static final Pattern REPOSITORY_PATH = Pattern.compile(
            "`((?:testkit|functions|cli|statemachine|infra|docs|\\.ci)/[^`\\s]*|[A-Za-z.-]+\\.md)`");

    @Test
    void readmeAndDocs_nameNoFileOutsideTheRepository() throws IOException {
        for (Path document : documents()) {
            assertThat(Files.readString(document, StandardCharsets.UTF_8)).as(document.toString())
                    .doesNotContain("../").doesNotContain("shared/design");
        }
    }

    @Test
    void everyRepositoryPathNamed_exists() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Path document : documents()) {
            Matcher paths = REPOSITORY_PATH.matcher(Files.readString(document, StandardCharsets.UTF_8));
            while (paths.find()) {
                String path = paths.group(1);
                if (!path.contains("...") && !isBuildOutput(path) && !exists(path)) {
                    missing.add(ROOT.relativize(document) + ": " + path);
                }
            }
        }

        assertThat(missing).isEmpty();
    }

    /** A jar under a module's target/ is made by the build, after this test runs in a fresh clone. */
    private static boolean isBuildOutput(String path) {
        return path.matches("(testkit|functions|cli|statemachine|infra)/target/[^/]+\\.jar");
    }

    private static boolean exists(String path) throws IOException {
        if (!path.contains("*")) {
            return Files.exists(ROOT.resolve(path)) || Files.exists(ROOT.resolve("docs").resolve(path));
        }
        Path file = ROOT.resolve(path);
        try (DirectoryStream<Path> matches = Files.newDirectoryStream(file.getParent(),
                file.getFileName().toString())) {
            return matches.iterator().hasNext();
        }
    }

    private static List<Path> documents() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (DirectoryStream<Path> docs = Files.newDirectoryStream(ROOT.resolve("docs"), "*.md")) {
            docs.forEach(documents::add);
        }
        return documents;
    }
}
