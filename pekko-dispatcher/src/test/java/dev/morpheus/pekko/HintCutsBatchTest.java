package dev.morpheus.pekko;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.morpheus.Await;
import dev.morpheus.abi.YieldCause;
import dev.morpheus.hint.ManualHintSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** With the manual hint source, a hint ends the batch right after the message being processed. */
class HintCutsBatchTest {
    record Gate(CountDownLatch latch) {}

    record Work(int i, boolean hint) {}

    record Seen(int i, long cutsAtStart, String thread) {}

    private ActorTestKit kit;

    @BeforeEach
    void start() {
        kit = TestSupport.testKit("HintCutsBatchTest");
    }

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    static Behavior<Object> recorder(MorpheusDispatcher d, ActorRef<Seen> probe) {
        ManualHintSource source = TestSupport.manual(d);
        return Behaviors.receive(Object.class)
                .onMessage(Gate.class, g -> {
                    TestSupport.await(g.latch());
                    return Behaviors.same();
                })
                .onMessage(Work.class, w -> {
                    probe.tell(new Seen(w.i(), d.stats().batchesCutByHint(), Thread.currentThread().getName()));
                    if (w.hint()) {
                        TestSupport.hintMe(source);
                    }
                    return Behaviors.same();
                })
                .build();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestSupport.MANUAL, TestSupport.MANUAL_TP, TestSupport.MANUAL_FJ})
    void aHintEndsTheBatchAfterTheCurrentMessage(String id) {
        MorpheusDispatcher d = TestSupport.dispatcher(kit, id);
        TestProbe<Seen> probe = kit.createTestProbe();
        ActorRef<Object> actor = kit.spawn(recorder(d, probe.ref()), "recorder", DispatcherSelector.fromConfig(id));
        CountDownLatch gate = new CountDownLatch(1);
        actor.tell(new Gate(gate));
        int n = 50;
        for (int i = 0; i < n; i++) {
            actor.tell(new Work(i, i == 5));
        }
        gate.countDown(); // all 50 are queued behind the gate: one run could take them all

        List<Seen> seen = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            seen.add(probe.receiveMessage(TestSupport.WAIT));
        }
        for (int i = 0; i < n; i++) {
            assertEquals(i, seen.get(i).i(), "messages in order");
        }
        // Messages 0..5 ran in the first batch with no cut; the hint posted during message 5
        // ended that batch, so message 6 started a new batch after exactly one cut.
        for (int i = 0; i <= 5; i++) {
            assertEquals(0, seen.get(i).cutsAtStart(), "no cut before message " + i);
        }
        for (int i = 6; i < n; i++) {
            assertEquals(1, seen.get(i).cutsAtStart(), "exactly one cut before message " + i);
        }
        MorpheusDispatcherStats s = d.stats();
        assertEquals(1, s.batchesCutByHint());
        assertEquals(1, s.yields(YieldCause.HINT));
        assertEquals(1, s.hintsAnswered());
        assertEquals(0, s.batchesCutByDeadline());
        assertTrue(s.actorsChecked() >= 1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestSupport.MANUAL, TestSupport.MANUAL_TP, TestSupport.MANUAL_FJ})
    void aHintDuringTheOnlyMessageOfARunNeverCutsTheNextRunsFirstMessage(String id) {
        MorpheusDispatcher d = TestSupport.dispatcher(kit, id);
        TestProbe<Seen> probe = kit.createTestProbe();
        ActorRef<Object> actor = kit.spawn(recorder(d, probe.ref()), "single", DispatcherSelector.fromConfig(id));
        // Each message arrives alone: every run has one message, and the hint each one posts is
        // answered between runs, never by returning null from a run's first dequeue.
        for (int i = 0; i < 20; i++) {
            actor.tell(new Work(i, true));
            assertEquals(i, probe.receiveMessage(TestSupport.WAIT).i());
        }
        Await.until("every hint answered", TestSupport.WAIT, () -> d.stats().hintsAnswered() == 20);
    }
}
