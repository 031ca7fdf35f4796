package dev.morpheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.morpheus.abi.ScbLayout;
import dev.morpheus.abi.ScbAccess;
import dev.morpheus.abi.WorkerState;
import dev.morpheus.abi.YieldCause;
import dev.morpheus.hint.ManualHintSource;
import dev.morpheus.hint.ScbBinding;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MorpheusWorkerTest {
    private Morpheus morpheus;
    private ManualHintSource hints;

    @BeforeEach
    void open() {
        morpheus = Morpheus.open("test", MorpheusConfig.builder().hintSource("manual").build());
        hints = (ManualHintSource) morpheus.hintSource();
    }

    @AfterEach
    void close() {
        morpheus.close();
    }

    @Test
    void checkpointSaysYesOnlyAfterAHintAndAnsweringClearsIt() {
        MorpheusWorker w = morpheus.registerCurrentThread("w");
        assertFalse(w.checkpoint());
        assertEquals(1, hints.postAll());
        assertTrue(w.checkpoint());
        assertTrue(w.checkpoint(), "checking does not consume the hint");
        assertEquals(YieldCause.HINT, w.acknowledgeHint());
        assertFalse(w.checkpoint());
        assertNull(w.acknowledgeHint(), "nothing left to answer");
        ScbBinding b = w.binding();
        assertEquals(ScbAccess.hintWordAcquire(b.region(), b.scb()), ScbAccess.ackWord(b.region(), b.scb()),
                "the answer is visible to the hint source");
        assertEquals(1, w.metrics().yields().get(YieldCause.HINT));
        assertEquals(1, w.metrics().hintsAnswered());
        w.close();
    }

    @Test
    void twoHintsBeforeAnAnswerAreCountedAsOneLoss() {
        MorpheusWorker w = morpheus.registerCurrentThread("w");
        hints.postAll();
        hints.postAll();
        assertEquals(1, w.metrics().hintsLost());
        assertEquals(YieldCause.HINT, w.acknowledgeHint());
        assertFalse(w.checkpoint(), "one answer covers every earlier hint");
        w.close();
    }

    @Test
    void criticalSectionsHideHintsUntilTheOutermostCloses() {
        MorpheusWorker w = morpheus.registerCurrentThread("w");
        ScbBinding b = w.binding();
        try (CriticalSection outer = w.critical()) {
            assertEquals(1, ScbAccess.criticalDepth(b.region(), b.scb()));
            assertTrue(ScbAccess.criticalEntryNanos(b.region(), b.scb()) > 0);
            hints.postAll();
            assertFalse(w.checkpoint(), "never cut inside a critical section");
            try (CriticalSection inner = w.critical()) {
                assertSame(outer, inner, "scopes are reused, not allocated");
                assertEquals(2, w.criticalDepth());
                assertEquals(2, ScbAccess.criticalDepth(b.region(), b.scb()));
                assertFalse(w.checkpoint());
            }
            assertFalse(w.checkpoint(), "still inside the outer section");
        }
        assertEquals(0, ScbAccess.criticalDepth(b.region(), b.scb()));
        assertTrue(w.checkpoint(), "the hint is answered at the first checkpoint after the section");
        assertEquals(YieldCause.HINT, w.acknowledgeHint());
        assertThrows(IllegalStateException.class, w::exitCritical);
        w.close();
    }

    @Test
    void staticCriticalWorksWithAndWithoutAWorker() {
        try (CriticalSection none = Morpheus.critical()) {
            assertSame(CriticalSection.NONE, none);
        }
        MorpheusWorker w = morpheus.registerCurrentThread("w");
        Morpheus.critical(() -> assertEquals(1, w.criticalDepth()));
        assertEquals(0, w.criticalDepth());
        w.close();
    }

    @Test
    void stateMachineIsEnforcedAndMirroredInTheScb() {
        MorpheusWorker w = morpheus.registerCurrentThread("w");
        ScbBinding b = w.binding();
        assertEquals(WorkerState.RUNNING, w.state());
        w.markQuiescing();
        assertEquals(WorkerState.QUIESCING, ScbAccess.workerState(b.region(), b.scb()));
        w.markRunning();
        assertEquals(WorkerState.RUNNING, ScbAccess.workerState(b.region(), b.scb()));
        assertEquals(morpheus.liveWorkers(), 1);
        w.close();
        assertEquals(WorkerState.DEAD, w.state());
        assertEquals(WorkerState.DEAD, ScbAccess.workerState(b.region(), b.scb()));
        assertEquals(0, morpheus.liveWorkers());
        w.close(); // idempotent
    }

    @Test
    void registrationIsPerThreadAndFromAnyThread() throws Exception {
        MorpheusWorker mine = morpheus.registerCurrentThread("main");
        assertSame(mine, Morpheus.currentWorker());
        assertThrows(IllegalStateException.class, () -> morpheus.registerCurrentThread("again"));
        AtomicReference<MorpheusWorker> other = new AtomicReference<>();
        Thread t = new Thread(() -> other.set(morpheus.registerCurrentThread("other")));
        t.start();
        t.join();
        assertNotEquals(mine.binding().scb() + "@" + System.identityHashCode(mine.binding().region()),
                other.get().binding().scb() + "@" + System.identityHashCode(other.get().binding().region()),
                "every worker has its own SCB");
        Await.until("a worker whose thread died is unregistered", Duration.ofSeconds(10), () -> morpheus.liveWorkers() == 1);
        assertEquals(WorkerState.DEAD, other.get().state());
        mine.close();
        assertNull(Morpheus.currentWorker());
    }

    @Test
    void moreThreadsThanSlotsRunWithoutHintsInsteadOfFailing() throws Exception {
        try (Morpheus small = Morpheus.open("small", MorpheusConfig.builder().hintSource("manual").maxWorkers(2).build())) {
            Thread[] threads = new Thread[4];
            MorpheusWorker[] ws = new MorpheusWorker[4];
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch registered = new java.util.concurrent.CountDownLatch(4);
            for (int i = 0; i < 4; i++) {
                int n = i;
                threads[i] = new Thread(() -> {
                    ws[n] = small.registerCurrentThread("t" + n);
                    registered.countDown();
                    try {
                        done.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                threads[i].start();
            }
            registered.await();
            assertEquals(4, small.liveWorkers());
            assertEquals(2, small.metrics().unmanagedWorkers());
            done.countDown();
            for (Thread t : threads) {
                t.join();
            }
        }
    }

    @Test
    void rebindMovesTheWorkerAtItsNextCheckpoint() {
        MorpheusWorker w = morpheus.registerCurrentThread("w");
        ScbBinding old = w.binding();
        ScbBinding fresh = new ScbBinding(ScbLayout.allocateRegion(1), 0, w.tid(), true, true);
        w.requestRebind(fresh);
        assertTrue(w.checkpoint(), "a rebind is announced through the old SCB");
        assertNull(w.acknowledgeHint(), "a rebind alone asks for no yield");
        assertSame(fresh, w.binding());
        assertFalse(w.checkpoint());
        fresh.postLocalHint(dev.morpheus.abi.HintReason.MANUAL, 50, System.nanoTime());
        assertTrue(w.checkpoint(), "hints now come through the new SCB");
        assertEquals(YieldCause.HINT, w.acknowledgeHint());
        morpheus.hintSource().unbind(old);
    }
}
