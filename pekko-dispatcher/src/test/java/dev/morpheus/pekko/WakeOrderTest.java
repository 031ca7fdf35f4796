package dev.morpheus.pekko;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Morpheus executor's ordering rules, on one pool thread:
 * <ul>
 *   <li>woken before cut: a mailbox made runnable while the only thread runs a long batch gets
 *       the thread at the batch's next message boundary (wake-up preemption), with no hint
 *       source involved, and before the cut batch continues;</li>
 *   <li>a cut mailbox is served within its bound: while a ping-pong pair keeps waking each other
 *       (newly woken work that would always go first), a cut mailbox still runs again after
 *       about {@code cut-max-wait}.</li>
 * </ul>
 * Pekko's thread-pool executor fails the first (the woken actor waits until A's queue is empty
 * or max-batch), which the first test also checks, so the assertion can fail.
 */
class WakeOrderTest {
    static final String ME = "wake-morpheus";
    static final String TP = "wake-thread-pool";
    /** The Morpheus executor without a hint source: what hint-source = auto is without morpheusd. */
    static final String NONE = "wake-none";
    static final long CUT_MAX_WAIT_MS = 20;

    record Gate(CountDownLatch latch) {}

    record Work(int i) {}

    /** A ball, and who gets it back. */
    record Ball(ActorRef<Object> to) {}

    private ActorTestKit kit;

    @BeforeEach
    void start() {
        kit = ActorTestKit.create("WakeOrderTest", ConfigFactory.parseString("""
                wake-morpheus {
                  type = "dev.morpheus.pekko.MorpheusDispatcherConfigurator"
                  morpheus-executor { parallelism-min = 1, parallelism-max = 1, cut-max-wait = %dms }
                  morpheus { hint-source = manual, jmx = off }
                }
                wake-none {
                  type = "dev.morpheus.pekko.MorpheusDispatcherConfigurator"
                  morpheus-executor { parallelism-min = 1, parallelism-max = 1, cut-max-wait = %dms }
                  morpheus { hint-source = none, jmx = off }
                }
                wake-thread-pool {
                  type = "dev.morpheus.pekko.MorpheusDispatcherConfigurator"
                  executor = thread-pool-executor
                  thread-pool-executor { fixed-pool-size = 1 }
                  morpheus { hint-source = manual, jmx = off }
                }
                """.formatted(CUT_MAX_WAIT_MS, CUT_MAX_WAIT_MS)).withFallback(TestSupport.CONFIG).withFallback(ConfigFactory.load()));
    }

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    /**
     * A: logs each Work; blocks on the gate during Work(gateAt), and spends {@code msPerMessage}
     * in each other Work. With the gate later than Work(0), Work(0) first waits until every Work
     * is in A's mailbox, so all of them run in one batch, long from Work(2) on: else A could
     * drain its mailbox ahead of the test thread's sends (seen about one run in fifteen), and
     * the batch blocked at the gate would be a young one, which hands over 50 us after it turns
     * long (a few messages late, by design).
     */
    static Behavior<Object> a(int gateAt, long msPerMessage, CountDownLatch allSent, CountDownLatch gate, CountDownLatch blocked,
                              ActorRef<String> log) {
        return Behaviors.receive(Object.class)
                .onMessage(Work.class, w -> {
                    log.tell("A" + w.i());
                    if (w.i() == 0 && gateAt != 0) {
                        TestSupport.await(allSent);
                    }
                    if (w.i() == gateAt) {
                        blocked.countDown();
                        TestSupport.await(gate);
                    } else if (msPerMessage > 0) {
                        Thread.sleep(msPerMessage);
                    }
                    return Behaviors.same();
                })
                .build();
    }

    /** A's batch is running (blocked at Work(gateAt)) when B's message arrives; returns the order of A's and B's messages. */
    private List<String> wokenDuringALongBatch(String id, int n, int gateAt) {
        return wokenDuringABatch(id, n, gateAt, 0);
    }

    private List<String> wokenDuringABatch(String id, int n, int gateAt, long msPerMessage) {
        TestProbe<String> log = kit.createTestProbe();
        ActorRef<Object> b = kit.spawn(HandoverTest.b(log.ref()), "b-" + id, DispatcherSelector.fromConfig(id));
        b.tell("started?"); // B exists and is idle before A takes the only thread
        assertEquals("B", log.receiveMessage(TestSupport.WAIT));
        CountDownLatch allSent = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        ActorRef<Object> a = kit.spawn(a(gateAt, msPerMessage, allSent, gate, blocked, log.ref()), "a-" + id,
                DispatcherSelector.fromConfig(id));
        for (int i = 0; i < n; i++) {
            a.tell(new Work(i));
        }
        allSent.countDown();
        TestSupport.await(blocked);
        // A's run (when past its second message) is older than the handover minimum (50 us) when
        // B wakes: a younger run hands over at that age, a few messages later (by design,
        // RunState.MIN_RUN_BEFORE_HANDOVER_NS).
        sleepMillis(2);
        b.tell("woken while A runs");
        gate.countDown();
        List<String> order = new ArrayList<>();
        for (int i = 0; i <= n; i++) {
            order.add(log.receiveMessage(TestSupport.WAIT));
        }
        return order;
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Test
    void aMailboxWokenDuringALongBatchRunsAtTheNextMessageBoundary() {
        int n = 50;
        int gateAt = 5;
        List<String> order = wokenDuringALongBatch(ME, n, gateAt);
        assertEquals(gateAt + 1, order.indexOf("B"), "B ran right after the message A was in when B woke: " + order);
        MorpheusDispatcherStats s = TestSupport.dispatcher(kit, ME).stats();
        assertEquals(1, s.batchesCutByHandover(), "one handover cut A's batch: " + s);
        assertEquals(0, s.batchesCutByHint(), "no hint involved: " + s);
    }

    @Test
    void wakeUpPreemptionNeedsNoHintSource() {
        int n = 50;
        int gateAt = 5;
        List<String> order = wokenDuringALongBatch(NONE, n, gateAt);
        // Without the executor's handover B would run after all of A's 50.
        assertEquals(gateAt + 1, order.indexOf("B"), "B ran right after the message A was in when B woke: " + order);
        MorpheusDispatcherStats s = TestSupport.dispatcher(kit, NONE).stats();
        assertEquals("none", s.hintSource());
        assertEquals(1, s.batchesCutByHandover(), "one handover cut A's batch: " + s);
    }

    /**
     * B wakes while A's run is still young (A blocks in its first message, so the run is not a
     * long one yet and no handover can be asked of it then); A's later messages take 1 ms each.
     * The executor asks the young run to hand over once it becomes long, so B runs after a few of
     * A's messages, not after all of them: without that, and with no hint source to cut A's
     * batch, B waited for A's whole mailbox (max-batch on a busy actor).
     */
    @Test
    void workWokenWhileTheOnlyRunIsYoungRunsOnceTheRunBecomesLong() {
        List<String> order = wokenDuringABatch(NONE, 50, 0, 1);
        int at = order.indexOf("B");
        assertTrue(at > 0 && at <= 5, "B ran within a few of A's 1 ms messages: " + order);
    }

    @Test
    void onPekkosThreadPoolTheWokenMailboxWaitsForTheWholeBatch() {
        int n = 50;
        List<String> order = wokenDuringALongBatch(TP, n, 5);
        assertEquals(n, order.indexOf("B"), "on the thread pool B runs after all of A: " + order);
    }

    /**
     * P and Q bounce a ball as long as {@code bouncing}: each sends it back to the other, so every
     * bounce wakes the other (newly woken work) and every run is one message long.
     */
    static Behavior<Object> bouncer(AtomicBoolean bouncing, AtomicLong bounces) {
        return Behaviors.setup(ctx -> Behaviors.receive(Object.class)
                .onMessage(Ball.class, ball -> {
                    bounces.incrementAndGet();
                    if (bouncing.get()) {
                        ball.to().tell(new Ball(ctx.getSelf()));
                    }
                    return Behaviors.same();
                })
                .build());
    }

    @Test
    void aCutMailboxRunsWithinItsBoundWhileWokenWorkKeepsComing() throws Exception {
        MorpheusDispatcher d = TestSupport.dispatcher(kit, ME);
        AtomicBoolean bouncing = new AtomicBoolean(true);
        AtomicLong bounces = new AtomicLong();
        AtomicLong cutAt = new AtomicLong();
        AtomicLong resumedAt = new AtomicLong();
        AtomicLong bouncesWhenResumed = new AtomicLong(-1);
        CountDownLatch resumed = new CountDownLatch(1);
        ActorRef<Object> p = kit.spawn(bouncer(bouncing, bounces), "p", DispatcherSelector.fromConfig(ME));
        ActorRef<Object> q = kit.spawn(bouncer(bouncing, bounces), "q", DispatcherSelector.fromConfig(ME));
        // A: at Work(3) it starts the ping-pong and asks for its own batch to be cut (a hint);
        // Work(4) is the first message of its next batch.
        // All ten Works are in A's mailbox before A runs Work(1): otherwise A could reach Work(3)
        // before the test thread has sent Work(4), its run would end with an empty mailbox (not
        // cut), and Work(4) would arrive later as fresh outside work, served at once.
        CountDownLatch allSent = new CountDownLatch(1);
        Behavior<Object> a = Behaviors.receive(Object.class)
                .onMessage(Work.class, w -> {
                    if (w.i() == 0) {
                        TestSupport.await(allSent);
                    } else if (w.i() == 3) {
                        p.tell(new Ball(q));
                        TestSupport.hintMe(TestSupport.manual(d));
                        cutAt.set(System.nanoTime());
                    } else if (w.i() == 4) {
                        resumedAt.set(System.nanoTime());
                        bouncesWhenResumed.set(bounces.get());
                        resumed.countDown();
                    }
                    return Behaviors.same();
                })
                .build();
        ActorRef<Object> actorA = kit.spawn(a, "a", DispatcherSelector.fromConfig(ME));
        for (int i = 0; i < 10; i++) {
            actorA.tell(new Work(i));
        }
        allSent.countDown();
        try {
            assertTrue(resumed.await(TestSupport.WAIT.toSeconds(), TimeUnit.SECONDS),
                    "the cut mailbox never ran again while the ping-pong kept waking (" + bounces.get() + " bounces)");
        } finally {
            bouncing.set(false);
        }
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(resumedAt.get() - cutAt.get());
        assertTrue(bouncesWhenResumed.get() > 0, "woken work ran first: " + bouncesWhenResumed.get() + " bounces");
        assertTrue(waitedMs >= CUT_MAX_WAIT_MS - 1, "served by aging after about cut-max-wait, not before: " + waitedMs + " ms");
        // Loose: the bound is cut-max-wait plus one ping-pong run; the slack absorbs a noisy machine.
        assertTrue(waitedMs < CUT_MAX_WAIT_MS + 2_000, "waited " + waitedMs + " ms, bound " + CUT_MAX_WAIT_MS + " ms");
        assertEquals(1, d.stats().batchesCutByHint(), d.stats().toString());
    }
}
