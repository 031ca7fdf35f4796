package dev.morpheus;

import dev.morpheus.hint.kernel.KernelHintSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Thread churn on the kernel hint source against morpheusd running scx_morpheus (issue 13, VM
 * half; the host half is KernelHintSourceDaemonTest's churn test against the BPF observer):
 * THREADS fresh threads, eight at a time, each registers, runs 200 us of checkpoints
 * (answering any hint), closes its worker and ends. Before and after: the daemon has no
 * registered worker and this JVM as its one client, scx_morpheus's {@code workers} map is empty,
 * and this JVM holds the same daemon sockets, BPF map fds and mapped regions. A first round of
 * threads runs before the baseline, so what the JVM opens once is in it. A thread's life
 * (ChurnWorker) and the count of what it may leave (KernelSourceHandles) are the host churn
 * test's, from morpheus-api's test-jar.
 *
 *   java -cp CP dev.morpheus.VmKernelChurn SOCKET PIN_DIR MORPHEUSD THREADS
 * Prints one line "jvm-churn: ..." and exits 0 when nothing was left behind, 1 otherwise.
 */
public final class VmKernelChurn {
    private static final int AT_ONCE = 8;

    public static void main(String[] args) throws Exception {
        Path socket = Path.of(args[0]);
        Path pin = Path.of(args[1]);
        String daemon = args[2];
        int threads = Integer.parseInt(args[3]);
        MorpheusConfig config = MorpheusConfig.builder().hintSource("kernel").socket(socket.toString()).build();
        StringBuilder problems = new StringBuilder();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        AtomicLong checkpoints = new AtomicLong();
        AtomicLong unmanaged = new AtomicLong();
        long tookMs;
        try (Morpheus morpheus = Morpheus.open("vm-kernel-churn", config)) {
            Runnable oneWorker = () -> {
                try {
                    ChurnWorker life = ChurnWorker.live(morpheus, 200_000);
                    if (!life.managed()) {
                        unmanaged.incrementAndGet();
                    }
                    checkpoints.addAndGet(life.checkpoints());
                } catch (Throwable e) {
                    failed.compareAndSet(null, e);
                }
            };
            runInBatches(oneWorker, 200, failed);
            expect(problems, "before: daemon", daemonClean(daemon, socket, pin), "registered_workers 0, clients 1");
            expect(problems, "before: kernel workers map", kernelWorkerEntries(pin), 0);
            Map<String, Long> fdsBefore = KernelSourceHandles.morpheusFds();
            long regionsBefore = KernelSourceHandles.regionMappings();
            long start = System.nanoTime();
            runInBatches(oneWorker, threads, failed);
            tookMs = (System.nanoTime() - start) / 1_000_000;
            if (failed.get() != null) {
                problems.append(" a churn thread failed: ").append(failed.get()).append(';');
            }
            expect(problems, "unmanaged workers (no kernel SCB)", unmanaged.get(), 0L);
            expect(problems, "live workers", (long) morpheus.liveWorkers(), 0L);
            expect(problems, "source bindings", (long) ((KernelHintSource) morpheus.hintSource()).boundWorkers(), 0L);
            String after = null;
            for (int i = 0; i < 100 && !(after = daemonClean(daemon, socket, pin)).equals("registered_workers 0, clients 1"); i++) {
                Thread.sleep(100); // slots of ended threads come back with the kernel's exit events
            }
            expect(problems, "after: daemon", after, "registered_workers 0, clients 1");
            expect(problems, "after: kernel workers map", kernelWorkerEntries(pin), 0);
            expect(problems, "daemon sockets and BPF map fds", KernelSourceHandles.morpheusFds(), fdsBefore);
            expect(problems, "regions mapped", KernelSourceHandles.regionMappings(), regionsBefore);
        }
        boolean ok = problems.length() == 0 && checkpoints.get() >= threads;
        System.out.println("jvm-churn: threads=" + threads + " took_ms=" + tookMs + " checkpoints=" + checkpoints.get()
                + " ok=" + ok + (ok ? "" : " problems=" + problems));
        System.exit(ok ? 0 : 1);
    }

    private static void expect(StringBuilder problems, String what, Object got, Object want) {
        if (!got.equals(want)) {
            problems.append(' ').append(what).append(": ").append(got).append(" (want ").append(want).append(");");
        }
    }

    private static void runInBatches(Runnable body, int threads, AtomicReference<Throwable> failed) throws InterruptedException {
        for (int i = 0; i < threads && failed.get() == null; i += AT_ONCE) {
            Thread[] batch = new Thread[AT_ONCE];
            for (int k = 0; k < AT_ONCE; k++) {
                batch[k] = new Thread(body, "churn-" + (i + k));
                batch[k].start();
            }
            for (Thread t : batch) {
                t.join();
            }
        }
    }

    /** The daemon's registered workers and clients, as "registered_workers N, clients M". */
    private static String daemonClean(String daemon, Path socket, Path pin) throws IOException, InterruptedException {
        String out = run(daemon, "stats", "--json", "--socket", socket.toString(), "--pin-dir", pin.toString());
        return "registered_workers " + jsonField(out, "registered_workers") + ", clients " + jsonField(out, "clients");
    }

    private static String jsonField(String json, String key) {
        int at = json.indexOf("\"" + key + "\":");
        if (at < 0) {
            return "? (" + json.strip() + ")";
        }
        int from = at + key.length() + 3;
        int to = from;
        while (to < json.length() && (Character.isDigit(json.charAt(to)) || json.charAt(to) == ' ')) {
            to++;
        }
        return json.substring(from, to).strip();
    }

    /** Entries in scx_morpheus's pinned {@code workers} map (bpftool), -1 if it cannot be read. */
    private static int kernelWorkerEntries(Path pin) throws IOException, InterruptedException {
        String out = run("bpftool", "-j", "map", "dump", "pinned", pin.resolve("workers").toString());
        if (!out.trim().startsWith("[")) {
            return -1;
        }
        int n = 0;
        for (int at = out.indexOf("\"key\""); at >= 0; at = out.indexOf("\"key\"", at + 1)) {
            n++;
        }
        return n;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
