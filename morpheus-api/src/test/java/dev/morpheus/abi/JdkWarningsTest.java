package dev.morpheus.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.morpheus.CiAssume;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No JDK warning at start on JDK 25: {@link JdkWarningsProbe} (what a user's program does
 * first) runs in a fresh JDK 24+ JVM, with no JVM options (no {@code --enable-native-access},
 * nothing about {@code sun.misc.Unsafe}), on the multi-release jar, and its stderr must have no
 * line containing "WARNING" (JDK 24+ prints one for {@code sun.misc.Unsafe} memory access and
 * for native-library loads without native access), and it must have used the FFM implementation.
 * The probe's daemon socket is a path that does not exist, as on a machine without morpheusd
 * (kernel mode loads libmorpheus through JNA, which needs {@code --enable-native-access} on JDK
 * 22+ like any native library: README, "JDK support").
 *
 * <p>Which JVM: this one when it is JDK 24+ ({@code make test-java25}), else the JDK 22+
 * javac's JDK the build compiled the versioned classes with ({@code morpheus.java22.home},
 * passed by the pom), when that is 24+ ({@code make test-java} on JDK 17). Which jar: the one
 * {@link ScbAccess} was loaded from (on JDK 22+ the module's tests run on it), or, when the
 * classes are a directory (JDK 17 tests run before packaging), a multi-release jar this test
 * makes of that directory. Neither JDK found: skipped, and under CI=true a failure.
 */
class JdkWarningsTest {
    private static final int WARNING_JDK = 24;

    @Test
    void aUsersFirstRunOnJdk25PrintsNoWarning(@TempDir Path tmp) throws Exception {
        Optional<Path> java = javaForWarnings();
        CiAssume.require(java.isPresent(), "no JDK " + WARNING_JDK + "+ to run the probe on: this JVM is "
                + Runtime.version().feature() + " and morpheus.java22.home ("
                + System.getProperty("morpheus.java22.home") + ") is not a JDK " + WARNING_JDK + "+");
        Path jar = multiReleaseJar(tmp);
        List<String> classPath = new ArrayList<>();
        classPath.add(jar.toString());
        Path classes = codeSource(ScbAccess.class);
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isEmpty() && !Path.of(e).toAbsolutePath().equals(classes)) {
                classPath.add(e);
            }
        }
        Path stderr = tmp.resolve("stderr.txt");
        Path stdout = tmp.resolve("stdout.txt");
        Process p = new ProcessBuilder(java.get().toString(), "-cp", String.join(File.pathSeparator, classPath),
                JdkWarningsProbe.class.getName(), tmp.resolve("no-morpheusd.sock").toString())
                .redirectError(stderr.toFile()).redirectOutput(stdout.toFile()).start();
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the probe JVM did not finish in 120 s");
        } finally {
            p.destroyForcibly();
        }
        String err = Files.readString(stderr);
        String out = Files.readString(stdout);
        assertEquals(0, p.exitValue(), "probe on " + java.get() + " exited " + p.exitValue() + "; stderr:\n" + err + "\nstdout:\n" + out);
        List<String> warnings = err.lines().filter(l -> l.contains("WARNING")).collect(Collectors.toList());
        assertEquals(List.of(), warnings, "JDK warnings on " + java.get() + "; whole stderr:\n" + err);
        assertTrue(out.lines().anyMatch("implementation=ffm"::equals),
                "on JDK " + WARNING_JDK + "+ the jar must load the FFM ScbAccess (META-INF/versions/22); stdout:\n" + out);
    }

    /** A JDK 24+ java: this JVM's, or morpheus.java22.home's. */
    private static Optional<Path> javaForWarnings() throws IOException {
        if (Runtime.version().feature() >= WARNING_JDK) {
            return Optional.of(Path.of(System.getProperty("java.home"), "bin", "java"));
        }
        String home = System.getProperty("morpheus.java22.home");
        if (home == null || home.isEmpty()) {
            return Optional.empty();
        }
        Path java = Path.of(home, "bin", "java");
        Path release = Path.of(home, "release");
        if (!Files.isExecutable(java) || !Files.isRegularFile(release)) {
            return Optional.empty();
        }
        // JAVA_VERSION="25.0.1": the feature number is what counts.
        Optional<String> version = Files.readAllLines(release).stream().filter(l -> l.startsWith("JAVA_VERSION="))
                .map(l -> l.substring("JAVA_VERSION=".length()).replace("\"", "")).findFirst();
        if (version.isEmpty() || Runtime.Version.parse(version.get()).feature() < WARNING_JDK) {
            return Optional.empty();
        }
        return Optional.of(java);
    }

    /** The jar ScbAccess came from, or one made of its class directory (with the Multi-Release attribute). */
    private static Path multiReleaseJar(Path tmp) throws IOException {
        Path classes = codeSource(ScbAccess.class);
        if (Files.isRegularFile(classes)) {
            return classes;
        }
        Path versioned = classes.resolve("META-INF/versions/22/dev/morpheus/abi/ScbAccess.class");
        assertTrue(Files.isRegularFile(versioned), "no " + versioned + ": the build did not compile src/main/java22 (see the "
                + "WARNING of morpheus-api's enforcer rule java22-javac)");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MULTI_RELEASE, "true");
        Path jar = tmp.resolve("morpheus-api-classes.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
             Stream<Path> all = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                String name = classes.relativize(f).toString().replace(File.separatorChar, '/');
                if (name.equals("META-INF/MANIFEST.MF")) {
                    continue;
                }
                out.putNextEntry(new JarEntry(name));
                try (InputStream in = Files.newInputStream(f)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return jar;
    }

    private static Path codeSource(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("code source of " + c.getName() + ": " + e.getMessage(), e);
        }
    }
}
