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
 * <p>Before the fix, the {@code api} scenario hung between one in ten and four in ten fresh
 * JVMs, on JDK 17 and JDK 25 alike, the fewer the more the machine was loaded beyond its cores
 * (the racing threads overlap less): an event-class initializer waiting for JFR's registry
 * lock, held by a registration waiting for that initializer. 40 forks, two at a time, miss a
 * one-in-ten hang about once in 70 runs. The {@code door} scenario starts a JFR recording in
 * each child, which costs seconds, so it runs fewer. {@code -Dmorpheus.jfr.race.forks=N} runs
 * N fresh JVMs of each (for example 200 to soak).
 */
class JfrFirstUseRaceTest {
    private static final Integer FORKS = Integer.getInteger("morpheus.jfr.race.forks");
    /** Children started together: the machine has few cores and a JVM's start is mostly one thread. */
    private static final int AT_A_TIME = 2;
    /** A child starts a JVM and JFR on a busy machine: generous, the normal run takes a second or a few. */
    private static final long CHILD_TIMEOUT_SECONDS = 60;

    @Test
    void firstEventsRacedThroughThePublicApiNeverHangAFreshJvm() throws Exception {
        runChildren("api", FORKS != null ? FORKS : 40);
    }

    @Test
    void registrationRacingEmitsAnInstanceAndARecordingNeverHangsAFreshJvm() throws Exception {
        runChildren("door", FORKS != null ? FORKS : 3);
    }

    /** Runs {@code forks} fresh JVMs of {@code scenario}, {@link #AT_A_TIME} at a time; fails on the first that hangs or fails. */
    private static void runChildren(String scenario, int forks) throws Exception {
        for (int first = 0; first < forks; first += AT_A_TIME) {
            List<Child> batch = new ArrayList<>();
            try {
                for (int fork = first; fork < Math.min(forks, first + AT_A_TIME); fork++) {
                    batch.add(Child.start(scenario, fork));
                }
                for (Child c : batch) {
                    c.awaitSuccess();
                }
            } finally {
                for (Child c : batch) {
                    c.cleanUp();
                }
            }
        }
    }

    /** One fresh JVM running {@link FirstUseRace}, its output in a temporary file. */
    private record Child(String scenario, int fork, Process process, Path out) {
        static Child start(String scenario, int fork) throws IOException {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Path out = Files.createTempFile("morpheus-jfr-race-", ".log");
            List<String> cmd = List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                    FirstUseRace.class.getName(), scenario);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            return new Child(scenario, fork, p, out);
        }

        void awaitSuccess() throws Exception {
            if (!process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                String dump = threadDumpThenKill(process, out);
                fail("fresh JVM " + fork + " of scenario " + scenario + " did not finish within " + CHILD_TIMEOUT_SECONDS
                        + " s: the first JFR events hung it. Its output and thread dump:\n" + dump);
            }
            String log = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), () -> "fresh JVM " + fork + " of scenario " + scenario + " failed:\n" + log);
        }

        void cleanUp() throws IOException {
            process.destroyForcibly();
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
