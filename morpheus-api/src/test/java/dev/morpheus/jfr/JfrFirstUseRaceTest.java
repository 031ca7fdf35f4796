package dev.morpheus.jfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The first use of the JFR events cannot hang (issue 13): fresh JVMs - the only place the race
 * exists, since class initialization happens once per JVM - race their first Morpheus events on
 * several threads ({@link FirstUseRace}), each with a timeout. A child that does not finish is
 * sent SIGQUIT, so its thread dump lands in the failure message, then killed.
 *
 * <p>Before the fix, the {@code api} scenario hung 7 of 20 fresh JVMs on JDK 17 and 4 of 10 on
 * JDK 25 (an event-class initializer waiting for JFR's registry lock, held by a registration
 * waiting for that initializer); 12 forks miss a one-in-three hang about once in 130 runs. The
 * {@code door} scenario starts a JFR recording in each child, which costs seconds, so it runs
 * fewer. {@code -Dmorpheus.jfr.race.forks=N} runs N fresh JVMs of each (for example 200 to soak).
 */
class JfrFirstUseRaceTest {
    private static final Integer FORKS = Integer.getInteger("morpheus.jfr.race.forks");
    /** A child starts a JVM and JFR on a busy machine: generous, the normal run takes a second or a few. */
    private static final long CHILD_TIMEOUT_SECONDS = 60;

    @Test
    void firstEventsRacedThroughThePublicApiNeverHangAFreshJvm() throws Exception {
        for (int i = 0, n = FORKS != null ? FORKS : 12; i < n; i++) {
            runChild("api", i);
        }
    }

    @Test
    void registrationRacingEmitsAnInstanceAndARecordingNeverHangsAFreshJvm() throws Exception {
        for (int i = 0, n = FORKS != null ? FORKS : 3; i < n; i++) {
            runChild("door", i);
        }
    }

    private static void runChild(String scenario, int fork) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path out = Files.createTempFile("morpheus-jfr-race-", ".log");
        try {
            List<String> cmd = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                    FirstUseRace.class.getName(), scenario));
            Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                String dump = threadDumpThenKill(child, out);
                fail("fresh JVM " + fork + " of scenario " + scenario + " did not finish within " + CHILD_TIMEOUT_SECONDS
                        + " s: the first JFR events hung it. Its output and thread dump:\n" + dump);
            }
            String log = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals(0, child.exitValue(), () -> "fresh JVM " + fork + " of scenario " + scenario + " failed:\n" + log);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String threadDumpThenKill(Process child, Path out) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-QUIT", String.valueOf(child.pid())).inheritIO().start().waitFor();
        Thread.sleep(2000); // the dump is written by the child's signal thread
        child.destroyForcibly().waitFor();
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
