package dev.morpheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every skip goes through {@link CiAssume}, which fails under CI=true: this test reads every
 * Java test source of the project (all modules, and the VM guest's) and fails on a direct call
 * of JUnit 4/5 assumptions or a {@code @Disabled}, naming the file and line.
 */
class CiAssumeGuardTest {
    private static final Path ROOT = Path.of(System.getProperty("morpheus.root", "..")).toAbsolutePath().normalize();
    private static final Pattern DIRECT = Pattern.compile(
            "\\bAssumptions\\s*\\.|\\bAssume\\s*\\.|import\\s+static\\s+org\\.junit\\.(jupiter\\.api\\.Assumptions|Assume)\\b|@Disabled\\b");

    @Test
    void noTestSkipsExceptThroughCiAssume() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(ROOT)) {
            sources = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/test/") || p.toString().contains("/vm/guest/"))
                    .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/build/"))
                    .filter(p -> !p.getFileName().toString().equals("CiAssume.java")
                            && !p.getFileName().toString().equals("CiAssumeGuardTest.java"))
                    .toList();
        }
        assertTrue(sources.size() > 20, "found the project's test sources under " + ROOT + ": " + sources.size());
        List<String> offenders = sources.stream().flatMap(CiAssumeGuardTest::directSkips).toList();
        assertEquals(List.of(), offenders, "skip through CiAssume.require (fails under CI=true), not JUnit directly");
    }

    private static Stream<String> directSkips(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return java.util.stream.IntStream.range(0, lines.size())
                    .filter(i -> DIRECT.matcher(lines.get(i)).find())
                    .mapToObj(i -> ROOT.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
