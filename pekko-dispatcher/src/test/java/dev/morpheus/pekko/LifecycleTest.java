package dev.morpheus.pekko;

import static dev.morpheus.pekko.TestSupport.MANUAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.morpheus.Await;
import dev.morpheus.Morpheus;
import dev.morpheus.abi.RuntimeMode;
import dev.morpheus.hint.Health;
import dev.morpheus.hint.ManualHintSource;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.TabularData;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Worker slots, DEFENSIVE mode, JMX and the extension over a dispatcher's life. */
class LifecycleTest {
    private static final java.util.concurrent.atomic.AtomicInteger BUSY = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Every gate this test made (JUnit makes an instance per test). {@link #shutdown} opens them
     * first: a test that fails while actors wait at a gate then reports its own failure, not a
     * shutdown timeout of actors that could never stop.
     */
    private final List<CountDownLatch> gates = new ArrayList<>();

    private CountDownLatch gate() {
        CountDownLatch g = new CountDownLatch(1);
        gates.add(g);
        return g;
    }

    private void shutdown(ActorTestKit kit) {
        gates.forEach(CountDownLatch::countDown);
        kit.shutdownTestKit();
    }

    /**
     * The dispatcher's threads started and not yet ended. Counted rather than its starts: with
     * keep-alive 100 ms, a thread may end and another start between two steps of a test on a
     * loaded machine (the pause between an actor's spawn and its first message).
     */
    private static long threadsAlive(MorpheusDispatcher d) {
        MorpheusDispatcherStats s = d.stats();
        return s.threadsStarted() - s.threadsEnded();
    }

    /** Blocks the actor's thread until {@code latch} opens; {@code entered} counts the actors that got that far. */
    record Gate(CountDownLatch latch, java.util.concurrent.atomic.AtomicInteger entered) {
        Gate(CountDownLatch latch) {
            this(latch, new java.util.concurrent.atomic.AtomicInteger());
        }
    }

    record Sleep(int i, ActorRef<Integer> replyTo) {}

    static Behavior<Object> sleeper() {
        return Behaviors.receive(Object.class)
                .onMessage(Gate.class, g -> {
                    g.entered().incrementAndGet();
                    TestSupport.await(g.latch());
                    return Behaviors.same();
                })
                .onMessage(Sleep.class, s -> {
                    Thread.sleep(1);
                    s.replyTo().tell(s.i());
                    return Behaviors.same();
                })
                .build();
    }

    /** Starts {@code n} actors that each block a pool thread until {@code gate} opens. */
    private static List<ActorRef<Object>> occupy(ActorTestKit kit, int n, CountDownLatch gate) {
        return occupy(kit, MANUAL, n, gate);
    }

    private static List<ActorRef<Object>> occupy(ActorTestKit kit, String id, int n, CountDownLatch gate) {
        return occupy(kit, id, n, new Gate(gate));
    }

    private static List<ActorRef<Object>> occupy(ActorTestKit kit, String id, int n, Gate gate) {
        List<ActorRef<Object>> refs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ActorRef<Object> a = kit.spawn(sleeper(), "busy-" + id + "-" + BUSY.incrementAndGet(), DispatcherSelector.fromConfig(id));
            a.tell(gate);
            refs.add(a);
        }
        return refs;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestSupport.MANUAL, TestSupport.MANUAL_TP, TestSupport.MANUAL_FJ})
    void whenTheDispatcherShutsDownItsThreadsFreeTheirSlots(String id) {
        ActorTestKit kit = TestSupport.testKit("LifecycleSlots");
        try {
            MorpheusDispatcher d = TestSupport.dispatcher(kit, id);
            Morpheus morpheus = d.morpheus();
            CountDownLatch gate = gate();
            List<ActorRef<Object>> refs = occupy(kit, id, 4, gate);
            Await.until("four workers registered", TestSupport.WAIT, () -> morpheus.liveWorkers() >= 4);
            gate.countDown();
            refs.forEach(kit::stop);
            // No actor left on the dispatcher: after shutdown-timeout (100ms) Pekko shuts its
            // pool down; every thread unregisters on its way out, the Morpheus instance stays open.
            Await.until("every pool thread ended and unregistered itself", TestSupport.WAIT, () -> {
                MorpheusDispatcherStats s = d.stats();
                return s.threadsStarted() >= 4 && s.threadsEnded() == s.threadsStarted();
            });
            assertEquals(0, morpheus.liveWorkers(), "all worker slots freed");
            long registered = d.stats().registeredWorkers();
            assertTrue(registered >= 4);

            // The dispatcher restarts on demand with a fresh pool, whose threads register again.
            CountDownLatch again = gate();
            List<ActorRef<Object>> more = occupy(kit, id, 2, again);
            Await.until("workers registered again", TestSupport.WAIT, () -> morpheus.liveWorkers() >= 2);
            again.countDown();
            more.forEach(kit::stop);
            Await.until("slots freed again", TestSupport.WAIT, () -> morpheus.liveWorkers() == 0);
        } finally {
            shutdown(kit);
        }
    }

    @Test
    void threadPoolThreadsRegisterAsThePoolGrowsAndUnregisterAsTheyTimeOut() {
        ActorTestKit kit = TestSupport.testKit("LifecycleElastic");
        String id = "elastic-dispatcher";
        try {
            MorpheusDispatcher d = TestSupport.dispatcher(kit, id);
            Morpheus morpheus = d.morpheus();
            // Core 1, queue 1, max 3: the first mailbox takes the core thread, the second waits in
            // the queue, the third and fourth find it full and get new threads. Each step waits
            // until the actor is blocked in its gate (or, the second, queued): a mailbox still
            // waiting in the queue when the next actor arrives would fill it a step early.
            CountDownLatch gate = gate();
            Gate blocking = new Gate(gate);
            List<ActorRef<Object>> refs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                refs.addAll(occupy(kit, id, 1, blocking));
                int expected = Math.min(3, Math.max(1, i));
                int blocked = i == 0 ? 1 : i;
                boolean oneQueued = i == 1;
                Await.until(expected + " workers, " + blocked + " actors blocked after " + (i + 1) + " busy actors", TestSupport.WAIT,
                        () -> blocking.entered().get() == blocked && (!oneQueued || d.pendingWork() == 1)
                                && morpheus.liveWorkers() == expected);
            }
            assertEquals(1, d.pendingWork(), "one mailbox queued: the thread pool's pending-work gauge");
            assertEquals(3, threadsAlive(d), d.stats().toString());
            gate.countDown();
            // keep-alive 100ms with allow-core-timeout: every idle thread ends and unregisters,
            // while the dispatcher (its actors are alive) keeps running.
            Await.until("idle threads timed out and unregistered", TestSupport.WAIT, () -> morpheus.liveWorkers() == 0
                    && threadsAlive(d) == 0);
            assertEquals(0, d.pendingWork());
            CountDownLatch again = gate();
            refs.addAll(occupy(kit, id, 1, again));
            Await.until("a new thread registered", TestSupport.WAIT, () -> morpheus.liveWorkers() == 1);
            again.countDown();
            refs.forEach(kit::stop);
        } finally {
            shutdown(kit);
        }
    }

    @Test
    void morpheusExecutorThreadsStartOnDemandAndEndAfterKeepAlive() {
        ActorTestKit kit = TestSupport.testKit("LifecycleMorpheusExecutor");
        String id = "elastic-morpheus-dispatcher";
        try {
            MorpheusDispatcher d = TestSupport.dispatcher(kit, id);
            Morpheus morpheus = d.morpheus();
            // Parallelism 3: each busy actor finds no idle thread and starts one, up to three; the
            // fourth waits in the queue (the pending-work gauge).
            CountDownLatch gate = gate();
            Gate blocking = new Gate(gate);
            List<ActorRef<Object>> refs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                refs.addAll(occupy(kit, id, 1, blocking));
                int threads = Math.min(3, i + 1);
                int blocked = Math.min(3, i + 1);
                boolean oneQueued = i == 3;
                Await.until(threads + " workers, " + blocked + " actors blocked after " + (i + 1) + " busy actors", TestSupport.WAIT,
                        () -> blocking.entered().get() == blocked && (!oneQueued || d.pendingWork() == 1)
                                && morpheus.liveWorkers() == threads);
            }
            assertEquals(3, threadsAlive(d), d.stats().toString());
            gate.countDown();
            // keep-alive 100ms: every idle thread ends and unregisters; the dispatcher keeps running.
            Await.until("idle threads ended and unregistered", TestSupport.WAIT, () -> morpheus.liveWorkers() == 0
                    && threadsAlive(d) == 0);
            assertEquals(0, d.pendingWork());
            CountDownLatch again = gate();
            refs.addAll(occupy(kit, id, 1, again));
            Await.until("a new thread registered", TestSupport.WAIT, () -> morpheus.liveWorkers() == 1);
            again.countDown();
            refs.forEach(kit::stop);
        } finally {
            shutdown(kit);
        }
    }

    @Test
    void theDefaultPoolIsTheMorpheusExecutorWithOneThreadPerCore() {
        ActorTestKit kit = TestSupport.testKit("LifecycleDefaults");
        try {
            int cores = Runtime.getRuntime().availableProcessors();
            int expected = Math.min(64, Math.max(2, cores));
            for (String id : List.of(TestSupport.NONE, "morpheus.pekko.dispatcher")) {
                MorpheusDispatcher d = TestSupport.dispatcher(kit, id);
                assertEquals("morpheus-executor", d.executorKind(), id);
                TestProbe<Integer> probe = kit.createTestProbe();
                ActorRef<Object> a = kit.spawn(sleeper(), "defaults-" + BUSY.incrementAndGet(), DispatcherSelector.fromConfig(id));
                a.tell(new Sleep(1, probe.ref()));
                assertEquals(1, probe.receiveMessage(TestSupport.WAIT));
                MorpheusExecutor pool = (MorpheusExecutor) d.pool();
                assertEquals(expected, pool.parallelism(), id);
                assertTrue(pool.liveThreads() >= 1 && pool.liveThreads() <= expected, pool.toString());
            }
            assertEquals("fork-join-executor", TestSupport.dispatcher(kit, TestSupport.MANUAL_FJ).executorKind());
            assertEquals("thread-pool-executor", TestSupport.dispatcher(kit, TestSupport.MANUAL_TP).executorKind());
        } finally {
            shutdown(kit);
        }
    }

    @Test
    void systemsOfTheSameNameGetABeanEach() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName pattern = new ObjectName("dev.morpheus:type=PekkoDispatcher,system=\"LifecycleTwins\",*");
        List<ActorTestKit> kits = new ArrayList<>();
        try {
            List<Thread> threads = new ArrayList<>();
            CountDownLatch go = gate();
            for (int i = 0; i < 3; i++) {
                ActorTestKit kit = TestSupport.testKit("LifecycleTwins");
                kits.add(kit);
                // Create the three dispatchers at the same moment: registration must not race.
                Thread t = new Thread(() -> {
                    TestSupport.await(go);
                    TestSupport.dispatcher(kit, MANUAL);
                });
                t.start();
                threads.add(t);
            }
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(3, server.queryNames(pattern, null).size(), "a bean per system: " + server.queryNames(pattern, null));
        } finally {
            kits.forEach(ActorTestKit::shutdownTestKit);
        }
        assertEquals(0, server.queryNames(pattern, null).size(), "every bean unregistered");
    }

    @Test
    void terminatingTheSystemClosesTheDispatchersAndTheirBeans() throws Exception {
        ActorTestKit kit = TestSupport.testKit("LifecycleTerminate");
        MorpheusDispatcher d = TestSupport.dispatcher(kit, MANUAL);
        CountDownLatch gate = gate();
        occupy(kit, 2, gate);
        Await.until("workers registered", TestSupport.WAIT, () -> d.morpheus().liveWorkers() >= 2);

        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("dev.morpheus:type=PekkoDispatcher,system=\"LifecycleTerminate\",dispatcher=\""
                + MANUAL + "\"");
        assertTrue(server.isRegistered(name), "JMX bean " + name);
        assertEquals("manual", server.getAttribute(name, "HintSource"));
        assertEquals("morpheus-executor", server.getAttribute(name, "Executor"));
        assertEquals(1000, server.getAttribute(name, "MaxBatch"));
        assertTrue((Integer) server.getAttribute(name, "LiveWorkers") >= 2);
        assertTrue(server.getAttribute(name, "YieldsByCause") instanceof TabularData);
        // The single-counter getters agree with the full snapshot (nothing moves: both threads wait on the gate).
        MorpheusDispatcherStats st = d.stats();
        assertEquals(st.registeredWorkers(), server.getAttribute(name, "RegisteredWorkers"));
        assertEquals(st.hintsPosted(), server.getAttribute(name, "HintsPosted"));
        assertEquals(st.hintsAnswered(), server.getAttribute(name, "HintsAnswered"));
        assertEquals(st.batchesCutByHint(), server.getAttribute(name, "BatchesCutByHint"));
        assertEquals(st.batchesAtBudget(), server.getAttribute(name, "BatchesAtBudget"));
        assertEquals(st.actorsChecked(), server.getAttribute(name, "ActorsChecked"));
        assertTrue(st.actorsChecked() >= 2, "the two occupying actors are checked: " + st);

        MorpheusExtension ext = MorpheusExtension.get(kit.system());
        assertTrue(ext.dispatcher(MANUAL).isPresent());
        Map<String, MorpheusDispatcherStats> all = ext.allStats();
        assertEquals(List.of(MANUAL), List.copyOf(all.keySet()));

        shutdown(kit);
        Await.until("slots freed", TestSupport.WAIT, () -> d.morpheus().liveWorkers() == 0);
        assertTrue(!server.isRegistered(name), "JMX bean unregistered");
        assertTrue(ext.allStats().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestSupport.MANUAL, TestSupport.MANUAL_TP, TestSupport.MANUAL_FJ})
    void whenTheHintSourceIsLostBatchesAreBoundedByTimeUntilItReturns(String id) {
        ActorTestKit kit = TestSupport.testKit("LifecycleDefensive");
        try {
            MorpheusDispatcher d = TestSupport.dispatcher(kit, id);
            ManualHintSource source = TestSupport.manual(d);
            source.setHealth(Health.lost("test: source unplugged"));
            // The dispatcher's flag follows the mode through a listener: wait for both.
            Await.until("DEFENSIVE mode", TestSupport.WAIT, () -> d.morpheus().mode() == RuntimeMode.DEFENSIVE && d.defensive());

            TestProbe<Integer> probe = kit.createTestProbe();
            ActorRef<Object> a = kit.spawn(sleeper(), "sleeper", DispatcherSelector.fromConfig(id));
            CountDownLatch gate = gate();
            a.tell(new Gate(gate));
            int n = 60;
            for (int i = 0; i < n; i++) {
                a.tell(new Sleep(i, probe.ref()));
            }
            gate.countDown();
            for (int i = 0; i < n; i++) {
                assertEquals(i, probe.receiveMessage(TestSupport.WAIT));
            }
            // 60 messages of >= 1 ms each, defensive slice 2 ms: the batch was cut many times,
            // by the dispatcher's own deadline or by the housekeeper's DEFENSIVE hints.
            MorpheusDispatcherStats s = d.stats();
            assertTrue(s.batchesCut() >= 5, s.toString());

            source.setHealth(Health.healthy());
            Await.until("mode leaves DEFENSIVE", TestSupport.WAIT, () -> d.morpheus().mode() != RuntimeMode.DEFENSIVE);
        } finally {
            shutdown(kit);
        }
    }
}
