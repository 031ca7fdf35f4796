package dev.morpheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.morpheus.abi.HintReason;
import dev.morpheus.abi.RuntimeMode;
import dev.morpheus.abi.ScbAccess;
import dev.morpheus.hint.ScbBinding;
import dev.morpheus.hint.kernel.KernelHintSource;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The kernel hint source against a real morpheusd on the host kernel (root, BTF, the native
 * build): a Java worker pinned to CPU 0 beside a busy process receives SLICE_EXPIRED hints from
 * the BPF program; the daemon is killed with SIGKILL, the instance goes DEFENSIVE while the
 * worker keeps running, and after a restart it reconnects by itself and kernel hints flow
 * again. Skipped without root or the build, except with CI=true where that is a failure.
 */
class KernelHintSourceDaemonTest {
    private static final Path ROOT = Path.of(System.getProperty("morpheus.root", "..")).toAbsolutePath().normalize();
    private static final Path DAEMON = ROOT.resolve("build/native/morpheusd");
    private static final Path SPIN = ROOT.resolve("build/native/morpheus-spin");

    private static void requireKernel() throws Exception {
        String why = null;
        if (!"root".equals(System.getProperty("user.name"))) {
            why = "needs root (morpheusd loads BPF)";
        } else if (!Files.isExecutable(DAEMON) || !Files.isExecutable(SPIN)) {
            why = DAEMON + " or " + SPIN + " not built (make native)";
        } else if (!Files.exists(Path.of("/sys/kernel/btf/vmlinux"))) {
            why = "kernel without BTF";
        }
        if (why == null && run("mountpoint", "-q", "/sys/fs/bpf") != 0 && run("mount", "-t", "bpf", "bpf", "/sys/fs/bpf") != 0) {
            why = "bpffs not mounted and cannot be mounted";
        }
        CiAssume.require(why == null, "kernel test: " + why);
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        return new ProcessBuilder(cmd).inheritIO().start().waitFor();
    }

    private static Process startDaemon(Path sock, Path pin, Path log) throws Exception {
        Process p = new ProcessBuilder(DAEMON.toString(), "--socket", sock.toString(), "--pin-dir", pin.toString(),
                "--slice-ms", "5", "--scheduler", "observer")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Await.until("morpheusd listening on " + sock, Duration.ofSeconds(20), () -> Files.exists(sock) || !p.isAlive());
        assertTrue(p.isAlive(), () -> "morpheusd died: " + read(log));
        return p;
    }

    private static String daemonStats(Path sock) {
        try {
            Process p = new ProcessBuilder(DAEMON.toString(), "stats", "--json", "--socket", sock.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void kernelHintsReachAJavaWorkerAndSurviveADaemonRestart() throws Exception {
        requireKernel();
        Path tmp = Files.createTempDirectory("morpheus-kernel-test");
        Path sock = tmp.resolve("morpheusd.sock");
        Path log = tmp.resolve("daemon.log");
        Path pin = Path.of("/sys/fs/bpf/morpheus-jtest-" + ProcessHandle.current().pid());
        Process daemon = startDaemon(sock, pin, log);
        Process hog = null;
        MorpheusConfig config = MorpheusConfig.builder().hintSource("kernel").socket(sock.toString())
                .slice(Duration.ofMillis(5)).build();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong answered = new AtomicLong();
        AtomicLong checkpoints = new AtomicLong();
        AtomicReference<HintReason> lastReason = new AtomicReference<>();
        AtomicReference<MorpheusWorker> worker = new AtomicReference<>();
        CountDownLatch registered = new CountDownLatch(1);
        Thread spinner = null;
        try (Morpheus morpheus = Morpheus.open("kernel-test", config)) {
          try {
            assertEquals("kernel", morpheus.hintSourceName());
            KernelHintSource source = (KernelHintSource) morpheus.hintSource();
            Thread t = new Thread(() -> {
                MorpheusWorker w = morpheus.registerCurrentThread("kernel-spinner");
                worker.set(w);
                w.markRunning();
                registered.countDown();
                long x = 0;
                while (!stop.get()) {
                    for (int i = 0; i < 20_000; i++) {
                        x += i * 31L;
                    }
                    checkpoints.incrementAndGet();
                    if (w.checkpoint()) {
                        ScbBinding b = w.binding();
                        lastReason.set(ScbAccess.hintReason(b.region(), b.scb()));
                        if (w.acknowledgeHint() != null) {
                            answered.incrementAndGet();
                        }
                    }
                }
                if (x == 42) {
                    System.out.print("");
                }
                w.close();
            }, "kernel-spinner");
            spinner = t;
            t.start();
            registered.await();
            assertTrue(worker.get().managed(), "the worker got a kernel SCB");
            assertEquals(0, run("taskset", "-pc", "0", String.valueOf(worker.get().tid())) , "pin the worker to CPU 0");
            hog = new ProcessBuilder(SPIN.toString(), "--cpu", "0", "--seconds", "120").start();

            Await.until("kernel hints answered", Duration.ofSeconds(20), () -> answered.get() >= 5);
            assertEquals(HintReason.SLICE_EXPIRED, lastReason.get());
            Await.until("hints counted by the source", Duration.ofSeconds(10), () -> source.hintsPosted() >= 5);
            WeakReference<ByteBuffer> firstRegion = new WeakReference<>(worker.get().binding().region());
            long regionsMappedBefore = regionMappings();

            daemon.destroyForcibly().waitFor(); // SIGKILL while the worker runs
            Await.until("DEFENSIVE after the daemon died", Duration.ofSeconds(10),
                    () -> morpheus.mode() == RuntimeMode.DEFENSIVE);
            long before = checkpoints.get();
            Await.until("the worker keeps processing without the daemon", Duration.ofSeconds(10),
                    () -> checkpoints.get() > before + 100);

            daemon = startDaemon(sock, pin, log);
            Await.until("reconnected after the restart", Duration.ofSeconds(20), () -> source.reconnects() >= 1);
            Await.until("the worker adopted its new SCB", Duration.ofSeconds(10),
                    () -> worker.get().binding().region() != firstRegion.get());
            // Nothing references the old region once its one worker moved: it is unmapped.
            Await.until("the first region unmapped after the hand-over",
                    Duration.ofSeconds(20), () -> {
                        System.gc();
                        return firstRegion.get() == null && regionMappings() == regionsMappedBefore;
                    });
            long posted = source.hintsPosted();
            lastReason.set(null);
            Await.until("kernel hints flow again", Duration.ofSeconds(20),
                    () -> source.hintsPosted() >= posted + 5 && lastReason.get() == HintReason.SLICE_EXPIRED);
            Await.until("mode leaves DEFENSIVE", Duration.ofSeconds(20), () -> morpheus.mode() != RuntimeMode.DEFENSIVE);
          } finally {
            // stop the worker before the instance closes, as an application would
            stop.set(true);
            if (spinner != null) {
                spinner.join();
            }
          }
          // the worker ended: its slot (in the restarted daemon) is free again
          Await.until("no registered workers left in the daemon", Duration.ofSeconds(10),
                  () -> daemonStats(sock).contains("\"registered_workers\": 0,"));
        } finally {
            if (hog != null) {
                hog.destroyForcibly().waitFor();
            }
            daemon.destroy(); // SIGTERM: clean shutdown, unpin
            daemon.waitFor();
            for (Path p : List.of(sock, log)) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(tmp);
        }
    }

    /** Regions of morpheusd mapped into this JVM now (each is a BPF array map, one mapping). */
    private static long regionMappings() {
        try (java.util.stream.Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            return maps.filter(l -> l.contains("bpf-map")).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read /proc/self/maps", e);
        }
    }

    private static long openFds() {
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list /proc/self/fd", e);
        }
    }

    private static void stopDaemon(Process daemon, Path... files) throws Exception {
        daemon.destroy(); // SIGTERM: clean shutdown, unpin
        daemon.waitFor();
        for (Path p : files) {
            Files.deleteIfExists(p);
        }
    }

    /**
     * Kernel hints and the runtime's queue-pressure hints land in the same SCB; each is counted
     * once (issue 13: the source counted every hint_seq step and the runtime added its own hints
     * again). The worker is pinned beside a busy process (kernel SLICE_EXPIRED hints) while a
     * gauge says work waits (QUEUE_PRESSURE hints); once it stops, the instance's count of hints
     * posted equals how far its SCB's hint word moved (both halves).
     */
    @Test
    void kernelAndQueuePressureHintsInOneScbAreEachCountedOnce() throws Exception {
        requireKernel();
        Path tmp = Files.createTempDirectory("morpheus-kernel-count");
        Path sock = tmp.resolve("morpheusd.sock");
        Path log = tmp.resolve("daemon.log");
        Path pin = Path.of("/sys/fs/bpf/morpheus-jcount-" + ProcessHandle.current().pid());
        Process daemon = startDaemon(sock, pin, log);
        Process hog = null;
        MorpheusConfig config = MorpheusConfig.builder().hintSource("kernel").socket(sock.toString())
                .slice(Duration.ofMillis(5)).build();
        AtomicBoolean spin = new AtomicBoolean(true);
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        java.util.Set<HintReason> reasons = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicLong answered = new AtomicLong();
        AtomicReference<MorpheusWorker> worker = new AtomicReference<>();
        AtomicLong seqAtRegistration = new AtomicLong();
        CountDownLatch registered = new CountDownLatch(1);
        Thread spinner = null;
        try (Morpheus morpheus = Morpheus.open("kernel-count-test", config)) {
            AtomicLong waiting = new AtomicLong(3);
            morpheus.addPendingWorkGauge(waiting::get);
            spinner = new Thread(() -> {
                MorpheusWorker w = morpheus.registerCurrentThread("kernel-count-spinner");
                ScbBinding b = w.binding();
                seqAtRegistration.set(ScbAccess.hintCount(ScbAccess.hintWordAcquire(b.region(), b.scb())));
                worker.set(w);
                w.markRunning();
                registered.countDown();
                long x = 0;
                while (spin.get()) {
                    for (int i = 0; i < 20_000; i++) {
                        x += i * 31L;
                    }
                    if (w.checkpoint() && w.acknowledgeHint() != null) {
                        reasons.add(w.answeredReason());
                        answered.incrementAndGet();
                    }
                }
                if (x == 42) {
                    System.out.print("");
                }
                w.markQuiescing();
                stopped.countDown();
                try {
                    release.await(); // stays registered, parked, while the counts settle
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                w.close();
            }, "kernel-count-spinner");
            spinner.start();
            registered.await();
            assertTrue(worker.get().managed(), "the worker got a kernel SCB");
            assertEquals(0, run("taskset", "-pc", "0", String.valueOf(worker.get().tid())), "pin the worker to CPU 0");
            hog = new ProcessBuilder(SPIN.toString(), "--cpu", "0", "--seconds", "120").start();
            Await.until("kernel and queue-pressure hints answered (seen " + reasons + ")", Duration.ofSeconds(30),
                    () -> answered.get() >= 5 && reasons.contains(HintReason.SLICE_EXPIRED)
                            && reasons.contains(HintReason.QUEUE_PRESSURE));
            waiting.set(0);
            spin.set(false);
            stopped.await();
            hog.destroyForcibly().waitFor();
            ScbBinding b = worker.get().binding();
            KernelHintSource source = (KernelHintSource) morpheus.hintSource();
            Await.until("hints posted counted once each", Duration.ofSeconds(10),
                    () -> morpheus.metrics().hintsPosted() == ScbAccess.hintCount(ScbAccess.hintWordAcquire(b.region(), b.scb())) - seqAtRegistration.get());
            Thread.sleep(100); // more ticks: the count stays where it is
            long moved = ScbAccess.hintCount(ScbAccess.hintWordAcquire(b.region(), b.scb())) - seqAtRegistration.get();
            MorpheusMetrics m = morpheus.metrics();
            assertEquals(moved, m.hintsPosted(), "hints posted = how far the hint word's two sequences moved");
            assertTrue(source.hintsPosted() >= 1, "the kernel's own hints are the source's");
            assertTrue(m.hintsPosted() - source.hintsPosted() >= 1, "the runtime's queue-pressure hints are the runtime's");
            release.countDown();
            spinner.join();
        } finally {
            release.countDown();
            spin.set(false);
            if (spinner != null) {
                spinner.join();
            }
            if (hog != null) {
                hog.destroyForcibly().waitFor();
            }
            stopDaemon(daemon, sock, log);
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * 1,000 threads, one after another, register with the kernel source, run 2 ms of
     * checkpoints and close their worker: open fds, mapped regions and the daemon's registered
     * workers are where they were before them.
     */
    @Test
    void aThousandThreadsOneAfterAnotherLeaveNoFdRegionOrDaemonSlotBehind() throws Exception {
        requireKernel();
        Path tmp = Files.createTempDirectory("morpheus-kernel-churn");
        Path sock = tmp.resolve("morpheusd.sock");
        Path log = tmp.resolve("daemon.log");
        Path pin = Path.of("/sys/fs/bpf/morpheus-jchurn-" + ProcessHandle.current().pid());
        Process daemon = startDaemon(sock, pin, log);
        MorpheusConfig config = MorpheusConfig.builder().hintSource("kernel").socket(sock.toString())
                .slice(Duration.ofMillis(1)).build();
        try (Morpheus morpheus = Morpheus.open("kernel-churn-test", config)) {
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Runnable oneWorker = () -> {
                try {
                    MorpheusWorker w = morpheus.registerCurrentThread();
                    if (!w.managed()) {
                        throw new AssertionError("worker " + w + " got no kernel SCB");
                    }
                    w.markRunning();
                    long end = System.nanoTime() + 2_000_000;
                    while (System.nanoTime() < end) {
                        if (w.checkpoint()) {
                            w.acknowledgeHint();
                        }
                    }
                    w.markQuiescing();
                    w.close();
                } catch (Throwable e) {
                    failed.compareAndSet(null, e);
                }
            };
            for (int i = 0; i < 3; i++) { // whatever the first registrations open once is in the baseline
                runAndJoin(oneWorker);
            }
            long fdsBefore = openFds();
            long regionsBefore = regionMappings();
            for (int i = 0; i < 1_000 && failed.get() == null; i++) {
                runAndJoin(oneWorker);
            }
            if (failed.get() != null) {
                throw new AssertionError("a churn thread failed: " + failed.get(), failed.get());
            }
            assertEquals(0, morpheus.liveWorkers());
            assertEquals(0, ((KernelHintSource) morpheus.hintSource()).boundWorkers(), "the source holds no binding");
            Await.until("no registered workers left in the daemon", Duration.ofSeconds(10),
                    () -> daemonStats(sock).contains("\"registered_workers\": 0,"));
            long fds = openFds();
            assertTrue(fds <= fdsBefore + 8, "1,000 kernel workers left open fds at " + fds + ", " + (fds - fdsBefore)
                    + " more than the " + fdsBefore + " before them");
            assertEquals(regionsBefore, regionMappings(), "regions mapped");
        } finally {
            stopDaemon(daemon, sock, log);
            Files.deleteIfExists(tmp);
        }
    }

    private static void runAndJoin(Runnable body) throws InterruptedException {
        Thread t = new Thread(body);
        t.start();
        t.join();
    }
}
