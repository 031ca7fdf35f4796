package dev.morpheus.samples.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --contend N}: N competing CPU-hog processes ({@code sh -c 'while :; do :; done'}), for
 * cross-process pressure that only the kernel (or procfs run-queue waits) can see. They are
 * destroyed when the runner finishes, fails, or is interrupted (shutdown hook).
 */
final class CpuHogs implements AutoCloseable {
    private final List<Process> hogs = new ArrayList<>();
    private final Thread hook = new Thread(this::destroyAll, "cpu-hog-cleanup");

    CpuHogs(int n) throws IOException {
        if (n <= 0) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(hook);
        for (int i = 0; i < n; i++) {
            hogs.add(new ProcessBuilder("sh", "-c", "while :; do :; done")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start());
        }
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
