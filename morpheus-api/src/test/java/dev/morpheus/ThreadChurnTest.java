package dev.morpheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.morpheus.hint.LocalHintSource;
import dev.morpheus.hint.ProcfsHintSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Worker threads come and go on every in-process hint source and leave nothing behind: no SCB
 * slot, no open file descriptor, no procfs sampler (issue 13: procfs leaked one schedstat fd per
 * thread because its sampler map could not find a binding again). Pekko pools end and create
 * threads all the time, so a leak per thread is a service running out of fds. The kernel source
 * churns against a real daemon in {@code KernelHintSourceDaemonTest}.
 */
class ThreadChurnTest {
    /**
     * Open fds may drift by a few beside the test (logging, the JIT, surefire's channel); a leak
     * is one per thread, so a thousand threads cannot hide in this.
     */
    private static final int FD_MARGIN = 8;

    /** 10,000 threads, eight at a time: half close their worker, half die without (the housekeeper reaps those). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"queue", "procfs", "manual", "none"})
    void tenThousandThreadsLeaveNoSlotBehind(String source) throws Exception {
        requireSource(source);
        MorpheusConfig config = MorpheusConfig.builder().hintSource(source).maxWorkers(512).build();
        try (Morpheus morpheus = Morpheus.open("churn-" + source, config)) {
            warmUp(morpheus);
            long registeredBefore = morpheus.metrics().registeredTotal();
            long fdsBefore = openFds();
            ExecutorService starter = Executors.newFixedThreadPool(8);
            for (int i = 0; i < 10_000; i++) {
                boolean closeIt = i % 2 == 0;
                starter.execute(() -> runThread(() -> {
                    MorpheusWorker w = morpheus.registerCurrentThread();
                    w.markRunning();
                    w.checkpoint();
                    w.markQuiescing();
                    if (closeIt) {
                        w.close();
                    }
                }));
            }
            starter.shutdown();
            assertTrue(starter.awaitTermination(5, TimeUnit.MINUTES), "10,000 threads started and ended");
            Await.until("every worker of a dead thread reaped", Duration.ofSeconds(30), () -> morpheus.liveWorkers() == 0);
            MorpheusMetrics m = morpheus.metrics();
            assertEquals(registeredBefore + 10_000, m.registeredTotal());
            assertEquals(0, m.liveWorkers());
            assertNothingLeft(morpheus, fdsBefore, "10,000 threads");
        }
    }

    /**
     * The shape that leaked on procfs: 1,000 threads, one after another, each registers, runs
     * 2 ms of checkpoints (answering any hint) and closes its worker.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"queue", "procfs", "manual", "none"})
    void aThousandThreadsOneAfterAnotherLeaveTheOpenFdCountWhereItWas(String source) throws Exception {
        requireSource(source);
        MorpheusConfig config = MorpheusConfig.builder().hintSource(source).slice(Duration.ofMillis(1)).build();
        try (Morpheus morpheus = Morpheus.open("fd-churn-" + source, config)) {
            warmUp(morpheus);
            long fdsBefore = openFds();
            for (int i = 0; i < 1_000; i++) {
                runThread(() -> {
                    MorpheusWorker w = morpheus.registerCurrentThread();
                    w.markRunning();
                    long end = System.nanoTime() + 2_000_000;
                    while (System.nanoTime() < end) {
                        if (w.checkpoint()) {
                            w.acknowledgeHint();
                        }
                    }
                    w.markQuiescing();
                    w.close();
                });
            }
            assertEquals(0, morpheus.liveWorkers());
            assertNothingLeft(morpheus, fdsBefore, "1,000 threads");
        }
    }

    /** A few registrations first, so whatever the first one opens lazily (once per JVM) is in the baseline. */
    private static void warmUp(Morpheus morpheus) {
        for (int i = 0; i < 3; i++) {
            runThread(() -> morpheus.registerCurrentThread().close());
        }
    }

    private static void assertNothingLeft(Morpheus morpheus, long fdsBefore, String what) {
        assertEquals(0, ((LocalHintSource) morpheus.hintSource()).slotsInUse(), "every SCB slot returned to the pool");
        if (morpheus.hintSource() instanceof ProcfsHintSource procfs) {
            assertEquals(0, procfs.openSamplers(), "every procfs sampler closed");
        }
        long limit = fdsBefore + FD_MARGIN;
        Await.until(morpheus.hintSourceName() + ": " + what + " left open fds above " + limit + ", the " + fdsBefore
                + " before them and a margin of " + FD_MARGIN, Duration.ofSeconds(5), () -> openFds() <= limit);
    }

    /** Starts a thread running {@code body}, waits for it to end, and rethrows what it threw. */
    private static void runThread(Runnable body) {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for a churn thread", e);
        }
        if (thrown.get() != null) {
            throw new AssertionError("churn thread failed: " + thrown.get(), thrown.get());
        }
    }

    private static long openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc/self/fd", e);
        }
    }

    /** procfs needs per-thread schedstat: skipped where there is none, except with CI=true. */
    private static void requireSource(String source) {
        CiAssume.require(Files.isDirectory(Path.of("/proc/self/fd")), "no /proc/self/fd to count open fds");
        if (!"procfs".equals(source)) {
            return;
        }
        Optional<String> why = ProcfsHintSource.unavailableReason();
        CiAssume.require(why.isEmpty(), "procfs churn: " + why.orElse(""));
    }
}
