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
 * Every skip fails under CI=true: this test reads every Java test source of the project (all
 * modules, and the VM guest's) and fails on a direct call of JUnit 4/5 assumptions or a
 * {@code @Disabled}, naming the file and line. Skips go through {@link CiAssume}; a module that
 * cannot see it (its tests do not depend on this module's) may call JUnit directly only right
 * after failing under CI=true: within the {@value #CI_CHECK_LINES} lines before the call, a
 * {@code System.getenv("CI")} check.
 */
class CiAssumeGuardTest {
    private static final Path ROOT = Path.of(System.getProperty("morpheus.root", "..")).toAbsolutePath().normalize();
    private static final Pattern DIRECT = Pattern.compile(
            "\\bAssumptions\\s*\\.|\\bAssume\\s*\\.|\\bassum(e(True|False|That)|ingThat)\\s*\\(|import\\s+static\\s+org\\.junit\\.(jupiter\\.api\\.Assumptions|Assume)\\b|@Disabled\\b");

    static final int CI_CHECK_LINES = 5;

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

    @Test
    void theGuardCatchesAnUnconditionalSkipAndLetsACiCheckedOneBe() {
        List<String> unconditional = List.of(
                "    void procfs() {",
                "        org.junit.jupiter.api.Assumptions.assumeTrue(ProcfsProbe.available(), \"no schedstat\");");
        List<String> ciChecked = List.of(
                "        if (why != null) {",
                "            if (\"true\".equals(System.getenv(\"CI\"))) {",
                "                fail(\"CI=true: kernel test cannot be skipped: \" + why);",
                "            }",
                "            Assumptions.assumeTrue(false, why);");
        assertEquals(1, skipsIn(unconditional).count());
        assertEquals(0, skipsIn(ciChecked).count());
    }

    private static Stream<Integer> skipsIn(List<String> lines) {
        return java.util.stream.IntStream.range(0, lines.size()).boxed()
                .filter(i -> DIRECT.matcher(lines.get(i)).find() && !lines.get(i).trim().startsWith("import org.")
                        && !failsUnderCiJustBefore(lines, i));
    }

    private static boolean failsUnderCiJustBefore(List<String> lines, int at) {
        for (int i = Math.max(0, at - CI_CHECK_LINES); i < at; i++) {
            if (lines.get(i).contains("System.getenv(\"CI\")")) {
                return true;
            }
        }
        return false;
    }

    private static Stream<String> directSkips(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return skipsIn(lines).map(i -> ROOT.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
