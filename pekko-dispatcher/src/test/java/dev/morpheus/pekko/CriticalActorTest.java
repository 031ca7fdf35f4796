package dev.morpheus.pekko;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** Critical actors run every message inside a critical section and their batches are never cut. */
class CriticalActorTest {
    record Gate(CountDownLatch latch) {}

    record Work(int i) {}

    /** The thread a message ran on, and the worker's critical depth while it ran. */
    record Seen(int i, String thread, int depth) {}

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

    static Behavior<Object> critical(ActorRef<Seen> probe) {
        return Behaviors.receive(Object.class)
                .onMessage(Gate.class, g -> {
                    probe.tell(new Seen(-1, Thread.currentThread().getName(), depth()));
                    TestSupport.await(g.latch());
                    return Behaviors.same();
                })
                .onMessage(Work.class, w -> {
                    probe.tell(new Seen(w.i(), Thread.currentThread().getName(), depth()));
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
            TestSupport.eventually("hints posted during the gate", () -> d.stats().hintsPosted() > 10);
            gate.countDown();
            for (int i = 0; i < n; i++) {
                Seen s = probe.receiveMessage(TestSupport.WAIT);
                assertEquals(i, s.i());
                assertTrue(s.depth() > 0, "message " + i + " ran inside a critical section: depth " + s.depth());
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
        TestSupport.eventually("a pending hint answered after the critical batch",
                () -> d.stats().hintsAnsweredBetweenBatches() > 0);
    }
}
