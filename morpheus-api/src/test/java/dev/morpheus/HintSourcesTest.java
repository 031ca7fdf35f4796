package dev.morpheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.morpheus.abi.HintWords;
import dev.morpheus.abi.HintReason;
import dev.morpheus.abi.RuntimeMode;
import dev.morpheus.abi.ScbAccess;
import dev.morpheus.abi.YieldCause;
import dev.morpheus.hint.Health;
import dev.morpheus.hint.ManualHintSource;
import dev.morpheus.hint.ScbBinding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The in-process hint sources and the runtime modes they drive, end to end on real threads. */
class HintSourcesTest {

    /** A registered worker that spins in one long run, checking for hints, until stopped. */
    private static final class Spinner implements AutoCloseable {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<YieldCause> answered = new AtomicReference<>();
        final AtomicReference<HintReason> reason = new AtomicReference<>();
        final AtomicLong checkpoints = new AtomicLong();
        final CountDownLatch registered = new CountDownLatch(1);
        final Thread thread;

        Spinner(Morpheus morpheus, boolean answerHints) {
            thread = new Thread(() -> {
                MorpheusWorker w = morpheus.registerCurrentThread("spinner");
                w.markRunning();
                registered.countDown();
                long x = 0;
                while (!stop.get()) {
                    for (int i = 0; i < 10_000; i++) {
                        x += i * 31L;
                    }
                    checkpoints.incrementAndGet();
                    if (answerHints && w.checkpoint()) {
                        YieldCause c = w.acknowledgeHint();
                        if (c != null) {
                            reason.compareAndSet(null, w.answeredReason());
                            answered.compareAndSet(null, c);
                        }
                    }
                }
                if (x == 42) {
                    System.out.print("");
                }
                w.close();
            });
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join();
        }
    }

    @Test
    void queueSourceHintsAWorkerPastItsSliceWhileWorkWaits() throws Exception {
        MorpheusConfig config = MorpheusConfig.builder().hintSource("queue").slice(Duration.ofMillis(2)).build();
        try (Morpheus morpheus = Morpheus.open("queue", config)) {
            AtomicLong waiting = new AtomicLong();
            // The sampler reads the gauge once per tick: counting the reads is the positive signal
            // that it sampled the running spinner, many times over many slices, before the assert.
            AtomicLong gaugeReads = new AtomicLong();
            morpheus.addPendingWorkGauge(() -> {
                gaugeReads.incrementAndGet();
                return waiting.get();
            });
            try (Spinner s = new Spinner(morpheus, true)) {
                s.registered.await();
                long readsAtStart = gaugeReads.get();
                long startNs = System.nanoTime();
                Await.until("the sampler ticked 50 times over 10 slices with the spinner running", Duration.ofSeconds(20),
                        () -> gaugeReads.get() - readsAtStart >= 50 && System.nanoTime() - startNs >= 10 * config.sliceNanos());
                assertTrue(s.checkpoints.get() > 0, "the spinner ran while the sampler ticked");
                assertEquals(0, morpheus.hintSource().hintsPosted(), "no hint while nothing waits");
                waiting.set(3);
                Await.until("a queue-pressure hint answered", Duration.ofSeconds(10), () -> s.answered.get() != null);
                assertEquals(YieldCause.HINT, s.answered.get());
                assertEquals(HintReason.QUEUE_PRESSURE, s.reason.get());
            }
            assertEquals(0, morpheus.liveWorkers());
        }
    }

    @Test
    void procfsSourceHintsWhenTheKernelMakesWorkersWait() throws Exception {
        CiAssume.require(dev.morpheus.hint.ProcfsHintSource.unavailableReason().isEmpty(),
                "procfs source unavailable: " + dev.morpheus.hint.ProcfsHintSource.unavailableReason().orElse(""));
        MorpheusConfig config = MorpheusConfig.builder().hintSource("procfs").slice(Duration.ofMillis(2)).build();
        try (Morpheus morpheus = Morpheus.open("procfs", config)) {
            assertEquals("procfs", morpheus.hintSourceName());
            List<Thread> hogs = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            try (Spinner s = new Spinner(morpheus, true)) {
                s.registered.await();
                // Oversubscribe the CPUs with unregistered spinners: the worker must wait on a run queue.
                for (int i = 0; i <= Runtime.getRuntime().availableProcessors(); i++) {
                    Thread t = new Thread(() -> {
                        long y = 0;
                        while (!stop.get()) {
                            y++;
                        }
                        if (y == 42) {
                            System.out.print("");
                        }
                    });
                    t.start();
                    hogs.add(t);
                }
                Await.until("a sched-wait hint answered", Duration.ofSeconds(20), () -> s.answered.get() != null);
                assertEquals(HintReason.SCHED_WAIT, s.reason.get());
            } finally {
                stop.set(true);
                for (Thread t : hogs) {
                    t.join();
                }
            }
        }
    }

    @Test
    void modesFollowTheSourceDeterministicPressuredDefensiveAndBack() throws Exception {
        MorpheusConfig config = MorpheusConfig.builder().hintSource("manual").modeWindow(Duration.ofMillis(300))
                .defensiveSlice(Duration.ofMillis(2)).build();
        try (Morpheus morpheus = Morpheus.open("modes", config)) {
            List<RuntimeMode> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            morpheus.addModeListener(seen::add);
            ManualHintSource manual = (ManualHintSource) morpheus.hintSource();
            assertEquals(RuntimeMode.DETERMINISTIC, morpheus.mode());
            try (Spinner s = new Spinner(morpheus, false)) {
                s.registered.await();
                manual.postAll();
                Await.until("PRESSURED after a hint", Duration.ofSeconds(5), () -> morpheus.mode() == RuntimeMode.PRESSURED);
                Await.until("DETERMINISTIC after the window", Duration.ofSeconds(5),
                        () -> morpheus.mode() == RuntimeMode.DETERMINISTIC);
            }
            try (Spinner s = new Spinner(morpheus, true)) {
                s.registered.await();
                manual.setHealth(Health.lost("test says so"));
                Await.until("DEFENSIVE when the source is lost", Duration.ofSeconds(5),
                        () -> morpheus.mode() == RuntimeMode.DEFENSIVE);
                Await.until("a time-sliced DEFENSIVE hint answered", Duration.ofSeconds(10), () -> s.answered.get() != null);
                assertEquals(YieldCause.DEFENSIVE, s.answered.get());
                assertEquals(HintReason.DEFENSIVE, s.reason.get());
                manual.setHealth(Health.healthy());
                Await.until("out of DEFENSIVE when the source is back", Duration.ofSeconds(5),
                        () -> morpheus.mode() != RuntimeMode.DEFENSIVE);
            }
            assertTrue(seen.containsAll(List.of(RuntimeMode.PRESSURED, RuntimeMode.DETERMINISTIC, RuntimeMode.DEFENSIVE)), seen.toString());
            assertTrue(morpheus.metrics().modeChanges() >= 4);
            assertTrue(morpheus.metrics().yields().get(YieldCause.DEFENSIVE) >= 1);
        }
    }

    /**
     * Hints the source posts and hints the runtime posts itself (defensive, while the source is
     * lost) are each counted once: the instance's count of hints posted is how far the worker's
     * hint word moved (defensive hints used to be counted nowhere).
     */
    @Test
    void everyHintPostedIntoAWorkersScbIsCountedOnce() throws Exception {
        MorpheusConfig config = MorpheusConfig.builder().hintSource("manual").defensiveSlice(Duration.ofMillis(2)).build();
        try (Morpheus morpheus = Morpheus.open("count-once", config)) {
            ManualHintSource manual = (ManualHintSource) morpheus.hintSource();
            MorpheusWorker w = morpheus.registerCurrentThread("counted");
            ScbBinding b = w.binding();
            long seqAtRegistration = HintWords.hintCount(ScbAccess.hintWordAcquire(b.region(), b.scb()));
            w.markRunning();
            assertEquals(1, manual.postAll());
            assertEquals(YieldCause.HINT, w.acknowledgeHint());
            manual.setHealth(Health.lost("test says so"));
            for (int i = 0; i < 3; i++) {
                Await.until("a defensive hint", Duration.ofSeconds(10), w::checkpoint);
                assertEquals(YieldCause.DEFENSIVE, w.acknowledgeHint());
            }
            w.markQuiescing(); // no run, no further defensive hint
            manual.setHealth(Health.healthy());
            // The tick that leaves DEFENSIVE posts nothing, and ticks run one after another: once
            // the mode changed, every defensive hint posted is also counted.
            Await.until("out of DEFENSIVE", Duration.ofSeconds(5), () -> morpheus.mode() != RuntimeMode.DEFENSIVE);
            long moved = HintWords.hintCount(ScbAccess.hintWordAcquire(b.region(), b.scb())) - seqAtRegistration;
            assertEquals(moved, morpheus.metrics().hintsPosted(), "hints posted = how far the hint word moved");
            assertEquals(1, manual.hintsPosted(), "the source counts only its own");
            assertTrue(moved >= 4, "one manual hint and three defensive ones, at least: " + moved);
            w.close();
        }
    }

    @Test
    void noneNeverHints() throws Exception {
        try (Morpheus morpheus = Morpheus.open("none", MorpheusConfig.builder().hintSource("none").build());
             Spinner s = new Spinner(morpheus, true)) {
            s.registered.await();
            Await.until("the spinner ran", Duration.ofSeconds(5), () -> s.checkpoints.get() > 100);
            assertEquals(0, morpheus.hintSource().hintsPosted());
            assertEquals(null, s.answered.get());
            assertEquals(RuntimeMode.DETERMINISTIC, morpheus.mode());
        }
    }

    @Test
    void autoPicksTheBestAvailableInProcessSourceWithoutADaemon() {
        MorpheusConfig config = MorpheusConfig.builder().socket("/nonexistent/morpheusd.sock").build();
        try (Morpheus morpheus = Morpheus.open("auto", config)) {
            assertEquals(dev.morpheus.hint.ProcfsHintSource.unavailableReason().isEmpty() ? "procfs" : "queue", morpheus.hintSourceName());
            assertFalse(morpheus.hintSourceName().isEmpty());
        }
    }

}
