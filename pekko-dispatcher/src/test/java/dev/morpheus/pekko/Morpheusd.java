package dev.morpheus.pekko;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.morpheus.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * A real morpheusd (observer scheduler: the BPF hint program on the host kernel) for the
 * dispatcher's kernel tests, with its socket and log in a temporary directory and its pins under
 * bpffs. Needs root and the native build ({@code make native}); without them a test is skipped,
 * except with CI=true, where that is a failure ({@link #requireKernel}).
 */
final class Morpheusd implements AutoCloseable {
    static final Path ROOT = Path.of(System.getProperty("morpheus.root", "..")).toAbsolutePath().normalize();
    static final Path DAEMON = ROOT.resolve("build/native/morpheusd");
    /** A CPU hog that pins itself: {@code morpheus-spin --cpu N --seconds S}. */
    static final Path SPIN = ROOT.resolve("build/native/morpheus-spin");

    final Path dir;
    final Path socket;
    private final Path log;
    private final Path pinDir;
    private final int sliceMs;
    private Process process;

    /** Fails (CI=true) or skips the calling test when the host cannot run the daemon. */
    static void requireKernel() {
        String why = null;
        if (!"root".equals(System.getProperty("user.name"))) {
            why = "needs root (morpheusd loads BPF)";
        } else if (!Files.isExecutable(DAEMON) || !Files.isExecutable(SPIN)) {
            why = DAEMON + " or " + SPIN + " not built (make native)";
        } else if (!Files.exists(Path.of("/sys/kernel/btf/vmlinux"))) {
            why = "kernel without BTF";
        } else if (run("mountpoint", "-q", "/sys/fs/bpf") != 0 && run("mount", "-t", "bpf", "bpf", "/sys/fs/bpf") != 0) {
            why = "bpffs not mounted and cannot be mounted";
        }
        if (why != null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true: kernel test cannot be skipped: " + why);
            }
            Assumptions.assumeTrue(false, why);
        }
    }

    Morpheusd(String name, int sliceMs) throws IOException {
        this.dir = Files.createTempDirectory("morpheusd-" + name);
        this.socket = dir.resolve("morpheusd.sock");
        this.log = dir.resolve("daemon.log");
        this.pinDir = Path.of("/sys/fs/bpf/morpheus-" + name + "-" + ProcessHandle.current().pid());
        this.sliceMs = sliceMs;
    }

    /** Starts the daemon and waits until it listens. */
    void start() throws InterruptedException {
        try {
            process = new ProcessBuilder(DAEMON.toString(), "--socket", socket.toString(), "--pin-dir", pinDir.toString(),
                    "--hint-budget-ms", String.valueOf(sliceMs), "--scheduler", "observer")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            fail("cannot start " + DAEMON + ": " + e.getMessage());
        }
        Await.until("morpheusd listening on " + socket, TestSupport.WAIT, () -> Files.exists(socket) || !process.isAlive());
        assertTrue(process.isAlive(), () -> "morpheusd died: " + log());
    }

    /** SIGKILL, as a crash would: no clean-up, the clients see their connection drop. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** The daemon's log so far (for failure messages). */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** A CPU hog pinned to {@code cpu} for at most {@code seconds}. */
    static Process hog(int cpu, int seconds) throws IOException {
        return new ProcessBuilder(SPIN.toString(), "--cpu", String.valueOf(cpu), "--seconds", String.valueOf(seconds)).start();
    }

    /** Pins the calling thread to {@code cpu} (taskset on its tid). */
    static void pinCurrentThread(int cpu, int tid) {
        assertTrue(run("taskset", "-pc", String.valueOf(cpu), String.valueOf(tid)) == 0, "taskset -pc " + cpu + " " + tid);
    }

    private static int run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return p.waitFor();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** SIGTERM (clean shutdown: the daemon unpins) and removes the temporary files. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
        Files.deleteIfExists(socket);
        Files.deleteIfExists(log);
        Files.deleteIfExists(dir);
    }
}
