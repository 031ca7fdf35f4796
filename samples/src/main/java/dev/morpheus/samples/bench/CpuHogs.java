package dev.morpheus.samples.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --contend N}: N competing CPU-hog processes ({@code sh -c 'while :; do :; done'}), for
 * cross-process pressure that only the kernel (or procfs run-queue waits) can see; bursty ones
 * (perl: spin {@value #BURST_ON_MS} ms, sleep {@value #BURST_OFF_MS} ms) for the noisy
 * neighbour that comes and goes. They are destroyed when the runner finishes, fails, or is
 * interrupted (shutdown hook).
 */
final class CpuHogs implements AutoCloseable {
    private final List<Process> hogs = new ArrayList<>();
    private final Thread hook = new Thread(this::destroyAll, "cpu-hog-cleanup");

    static final int BURST_ON_MS = 20;
    static final int BURST_OFF_MS = 80;
    private static final String BURSTY = String.format(java.util.Locale.ROOT,
            "use Time::HiRes qw(time sleep); while (1) { my $end = time + %.3f; 1 while time < $end; sleep %.3f; }",
            BURST_ON_MS / 1000.0, BURST_OFF_MS / 1000.0);

    CpuHogs(int n) throws IOException {
        this(n, 0);
    }

    /** {@code steady} always-spinning hogs and {@code bursty} ones. */
    CpuHogs(int steady, int bursty) throws IOException {
        if (steady + bursty <= 0) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(hook);
        for (int i = 0; i < steady; i++) {
            hogs.add(start("sh", "-c", "while :; do :; done"));
        }
        for (int i = 0; i < bursty; i++) {
            hogs.add(start("perl", "-e", BURSTY));
        }
    }

    private static Process start(String... cmd) throws IOException {
        return new ProcessBuilder(cmd)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    int count() {
        return hogs.size();
    }

    private synchronized void destroyAll() {
        for (Process p : hogs) {
            p.destroyForcibly();
        }
        for (Process p : hogs) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        hogs.clear();
    }

    @Override
    public void close() {
        destroyAll();
        if (!hogs.isEmpty() || hook.getState() == Thread.State.NEW) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException | IllegalArgumentException ignored) {
                // shutting down already, or never added
            }
        }
    }
}
