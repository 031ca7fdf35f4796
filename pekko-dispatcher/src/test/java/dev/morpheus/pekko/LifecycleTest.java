package dev.morpheus.pekko;

import static dev.morpheus.pekko.TestSupport.MANUAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** Worker slots, DEFENSIVE mode, JMX and the extension over a dispatcher's life. */
class LifecycleTest {
    record Gate(CountDownLatch latch) {}

    record Sleep(int i, ActorRef<Integer> replyTo) {}

    static Behavior<Object> sleeper() {
        return Behaviors.receive(Object.class)
                .onMessage(Gate.class, g -> {
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
        List<ActorRef<Object>> refs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ActorRef<Object> a = kit.spawn(sleeper(), "busy-" + i, DispatcherSelector.fromConfig(MANUAL));
            a.tell(new Gate(gate));
            refs.add(a);
        }
        return refs;
    }

    @Test
    void whenTheDispatcherShutsDownItsThreadsFreeTheirSlots() {
        ActorTestKit kit = TestSupport.testKit("LifecycleSlots");
        try {
            MorpheusDispatcher d = TestSupport.dispatcher(kit, MANUAL);
            Morpheus morpheus = d.morpheus();
            CountDownLatch gate = new CountDownLatch(1);
            List<ActorRef<Object>> refs = occupy(kit, 4, gate);
            TestSupport.eventually("four workers registered", () -> morpheus.liveWorkers() >= 4);
            gate.countDown();
            refs.forEach(kit::stop);
            // No actor left on the dispatcher: after shutdown-timeout (100ms) Pekko shuts its
            // pool down; every thread unregisters on its way out, the Morpheus instance stays open.
            TestSupport.eventually("every pool thread ended and unregistered itself", () -> {
                MorpheusDispatcherStats s = d.stats();
                return s.threadsStarted() >= 4 && s.threadsEnded() == s.threadsStarted();
            });
            assertEquals(0, morpheus.liveWorkers(), "all worker slots freed");
            long registered = d.stats().registeredWorkers();
            assertTrue(registered >= 4);

            // The dispatcher restarts on demand with a fresh pool, whose threads register again.
            CountDownLatch again = new CountDownLatch(1);
            List<ActorRef<Object>> more = occupy(kit, 2, again);
            TestSupport.eventually("workers registered again", () -> morpheus.liveWorkers() >= 2);
            again.countDown();
            more.forEach(kit::stop);
            TestSupport.eventually("slots freed again", () -> morpheus.liveWorkers() == 0);
        } finally {
            kit.shutdownTestKit();
        }
    }

    @Test
    void terminatingTheSystemClosesTheDispatchersAndTheirBeans() throws Exception {
        ActorTestKit kit = TestSupport.testKit("LifecycleTerminate");
        MorpheusDispatcher d = TestSupport.dispatcher(kit, MANUAL);
        CountDownLatch gate = new CountDownLatch(1);
        occupy(kit, 2, gate);
        TestSupport.eventually("workers registered", () -> d.morpheus().liveWorkers() >= 2);

        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("dev.morpheus:type=PekkoDispatcher,system=\"LifecycleTerminate\",dispatcher=\""
                + MANUAL + "\"");
        assertTrue(server.isRegistered(name), "JMX bean " + name);
        assertEquals("manual", server.getAttribute(name, "HintSource"));
        assertEquals(1000, server.getAttribute(name, "MaxBatch"));
        assertTrue((Integer) server.getAttribute(name, "LiveWorkers") >= 2);
        assertTrue(server.getAttribute(name, "YieldsByCause") instanceof TabularData);

        MorpheusExtension ext = MorpheusExtension.get(kit.system());
        assertTrue(ext.dispatcher(MANUAL).isPresent());
        Map<String, MorpheusDispatcherStats> all = ext.allStats();
        assertEquals(List.of(MANUAL), List.copyOf(all.keySet()));

        gate.countDown();
        kit.shutdownTestKit();
        TestSupport.eventually("slots freed", () -> d.morpheus().liveWorkers() == 0);
        assertTrue(!server.isRegistered(name), "JMX bean unregistered");
        assertTrue(ext.allStats().isEmpty());
    }

    @Test
    void whenTheHintSourceIsLostBatchesAreBoundedByTimeUntilItReturns() {
        ActorTestKit kit = TestSupport.testKit("LifecycleDefensive");
        try {
            MorpheusDispatcher d = TestSupport.dispatcher(kit, MANUAL);
            ManualHintSource source = TestSupport.manual(d);
            source.setHealth(Health.lost("test: source unplugged"));
            TestSupport.eventually("DEFENSIVE mode", () -> d.morpheus().mode() == RuntimeMode.DEFENSIVE);

            TestProbe<Integer> probe = kit.createTestProbe();
            ActorRef<Object> a = kit.spawn(sleeper(), "sleeper", DispatcherSelector.fromConfig(MANUAL));
            CountDownLatch gate = new CountDownLatch(1);
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
            TestSupport.eventually("mode leaves DEFENSIVE", () -> d.morpheus().mode() != RuntimeMode.DEFENSIVE);
        } finally {
            kit.shutdownTestKit();
        }
    }
}
