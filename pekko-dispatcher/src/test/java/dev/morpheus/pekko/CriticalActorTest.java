package dev.morpheus.pekko;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.morpheus.Await;
import dev.morpheus.Morpheus;
import dev.morpheus.MorpheusWorker;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorTags;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Critical actors run a whole batch inside one critical section: hints do not cut it before
 * max-critical, and past max-critical a waiting hint ends it at the next message boundary.
 */
class CriticalActorTest {
    record Gate(CountDownLatch latch) {}

    record Work(int i) {}

    /** The thread a message ran on, the worker's critical depth while it ran, and when its critical section opened. */
    record Seen(int i, String thread, int depth, long since) {}

    private ActorTestKit kit;

    @BeforeEach
    void start() {
        kit = TestSupport.testKit("CriticalActorTest");
    }

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    static int depth() {
        MorpheusWorker w = Morpheus.currentWorker();
        return w == null ? -1 : w.criticalDepth();
    }

    static long since() {
        MorpheusWorker w = Morpheus.currentWorker();
        return w == null ? -1 : w.criticalSinceNanos();
    }

    static Behavior<Object> critical(ActorRef<Seen> probe) {
        return Behaviors.receive(Object.class)
                .onMessage(Gate.class, g -> {
                    probe.tell(new Seen(-1, Thread.currentThread().getName(), depth(), since()));
                    TestSupport.await(g.latch());
                    return Behaviors.same();
                })
                .onMessage(Work.class, w -> {
                    probe.tell(new Seen(w.i(), Thread.currentThread().getName(), depth(), since()));
                    return Behaviors.same();
                })
                .build();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestSupport.MANUAL, TestSupport.MANUAL_TP, TestSupport.MANUAL_FJ})
    void aTaggedTypedActorsBatchIsNeverCutByHints(String id) throws Exception {
        MorpheusDispatcher d = TestSupport.dispatcher(kit, id);
        TestProbe<Seen> probe = kit.createTestProbe();
        ActorRef<Object> actor = kit.spawn(critical(probe.ref()), "critical",
                ActorTags.create("morpheus-critical").withDispatcherFromConfig(id));
        CountDownLatch gate = new CountDownLatch(1);
        actor.tell(new Gate(gate));
        Seen first = probe.receiveMessage(TestSupport.WAIT);
        int n = 200;
        for (int i = 0; i < n; i++) {
            actor.tell(new Work(i));
        }
        Set<String> threads = new HashSet<>();
        TestSupport.HintStorm storm = new TestSupport.HintStorm(TestSupport.manual(d));
        try {
            Await.until("hints posted during the gate", TestSupport.WAIT, () -> d.stats().hintsPosted() > 10);
            gate.countDown();
            for (int i = 0; i < n; i++) {
                Seen s = probe.receiveMessage(TestSupport.WAIT);
                assertEquals(i, s.i());
                assertTrue(s.depth() > 0, "message " + i + " ran inside a critical section: depth " + s.depth());
                assertEquals(first.since(), s.since(), "message " + i + " ran in the batch's one section (not one per message)");
                threads.add(s.thread());
            }
        } finally {
            storm.stop();
        }
        assertTrue(first.depth() > 0, "the first message ran inside a critical section too");
        // One run (max-batch 1000 > 201 messages), never cut: every message on the gate's thread.
        assertEquals(Set.of(first.thread()), threads);
        MorpheusDispatcherStats s = d.stats();
        assertEquals(0, s.batchesCut(), s.toString());
        assertEquals(1, s.actorsCritical());
        // The hints that arrived during the batch were answered when it ended.
        Await.until("a pending hint answered after the critical batch", TestSupport.WAIT,
                () -> d.stats().hintsAnsweredBetweenBatches() > 0);
    }

    /**
     * The bound is the batch's: the gate message holds the batch's section open past
     * max-critical (20 ms here) while hints arrive, so the batch ends at the next message
     * boundary - and not before max-critical. With a section per message (the old code) the
     * clock restarted at every message and the batch was never cut.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestSupport.MANUAL_SHORT_CRITICAL})
    void aCriticalBatchIsBoundedAsAWholeByMaxCritical(String id) throws Exception {
        MorpheusDispatcher d = TestSupport.dispatcher(kit, id);
        long maxCritical = 20_000_000L;
        TestProbe<Seen> probe = kit.createTestProbe();
        ActorRef<Object> actor = kit.spawn(critical(probe.ref()), "bounded-critical",
                ActorTags.create("morpheus-critical").withDispatcherFromConfig(id));
        CountDownLatch gate = new CountDownLatch(1);
        actor.tell(new Gate(gate));
        Seen first = probe.receiveMessage(TestSupport.WAIT);
        int n = 50;
        for (int i = 0; i < n; i++) {
            actor.tell(new Work(i));
        }
        TestSupport.HintStorm storm = new TestSupport.HintStorm(TestSupport.manual(d));
        Seen work0;
        try {
            long start = System.nanoTime();
            Await.until("the gate held past max-critical while hints were posted", TestSupport.WAIT,
                    () -> System.nanoTime() - start > 3 * maxCritical && d.stats().hintsPosted() > 10);
            gate.countDown();
            work0 = probe.receiveMessage(TestSupport.WAIT);
            for (int i = 1; i < n; i++) {
                Seen s = probe.receiveMessage(TestSupport.WAIT);
                assertEquals(i, s.i(), "order kept across the cut");
                assertTrue(s.depth() > 0, "message " + i + " ran inside a critical section");
            }
        } finally {
            storm.stop();
        }
        assertEquals(0, work0.i());
        assertTrue(work0.depth() > 0, "the next batch is critical too");
        assertTrue(work0.since() != first.since(), "the batch ended after the gate, past max-critical: Work(0) opened a new section");
        assertTrue(work0.since() - first.since() >= maxCritical, "not cut before max-critical: "
                + (work0.since() - first.since()) / 1_000 + " us");
        assertTrue(d.stats().batchesCutByHint() >= 1, d.stats().toString());
    }
}
