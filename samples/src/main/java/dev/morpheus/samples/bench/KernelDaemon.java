package dev.morpheus.samples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The morpheusd the kernel-value suite's {@code morpheus-kernel} point talks to: one already
 * running at the default socket, or one this runner starts (observer scheduler, root, the
 * native build) with its socket, log and pins of its own, stopped (SIGTERM) on {@link #close}.
 * Where neither is possible, {@link #find} returns null and says why in the notes.
 */
final class KernelDaemon implements AutoCloseable {
    static final Path DEFAULT_SOCKET = Path.of("/run/morpheus/morpheusd.sock");

    final Path socket;
    private final Process process;

    private KernelDaemon(Path socket, Process process) {
        this.socket = socket;
        this.process = process;
    }

    /** The daemon for {@code morpheus-kernel}, or null (and a note) when there is none. */
    static KernelDaemon find(Path binary, Path dir, int sliceMs, List<String> notes) throws InterruptedException {
        if (Files.exists(DEFAULT_SOCKET)) {
            return new KernelDaemon(DEFAULT_SOCKET, null);
        }
        String why = !"root".equals(System.getProperty("user.name")) ? "not root (morpheusd loads BPF)"
                : !Files.isExecutable(binary) ? binary + " not built (make native)"
                : null;
        if (why != null) {
            notes.add("kernel-value: no morpheus-kernel point: no daemon at " + DEFAULT_SOCKET + " and cannot start one: " + why);
            return null;
        }
        Path socket = dir.resolve("morpheusd.sock");
        Path log = dir.resolve("morpheusd.log");
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(socket);
            Process p = new ProcessBuilder(binary.toString(), "--socket", socket.toString(),
                    "--pin-dir", "/sys/fs/bpf/morpheus-bench-" + ProcessHandle.current().pid(),
                    "--hint-budget-ms", String.valueOf(sliceMs), "--scheduler", "observer")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!Files.exists(socket) && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (!Files.exists(socket)) {
                p.destroyForcibly().waitFor();
                notes.add("kernel-value: no morpheus-kernel point: morpheusd did not start (log: " + log + ")");
                return null;
            }
            return new KernelDaemon(socket, p);
        } catch (IOException e) {
            notes.add("kernel-value: no morpheus-kernel point: cannot start " + binary + ": " + e.getMessage());
            return null;
        }
    }

    /** Whether this runner started the daemon (false: one was already running). */
    boolean own() {
        return process != null;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor();
        }
    }
}
