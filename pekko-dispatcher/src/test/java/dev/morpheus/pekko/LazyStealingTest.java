package dev.morpheus.pekko;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The safety side of the Morpheus executor's lazy stealing (see {@link MorpheusExecutor}): a
 * task a short run made runnable is left to that thread, and must still get the idle thread
 * soon when its owner's run turns out long. (The speed side, actors that talk to each other
 * sharing a thread, is measured by the message-heavy JMH benchmarks, not asserted here.) Two
 * pool threads, no hints.
 */
class LazyStealingTest {
    static final String ID = "lazy-stealing";

    private ActorTestKit kit;

    @BeforeEach
    void start() {
        kit = ActorTestKit.create("LazyStealingTest", ConfigFactory.parseString("""
                lazy-stealing {
                  type = "dev.morpheus.pekko.MorpheusDispatcherConfigurator"
                  morpheus-executor { parallelism-min = 2, parallelism-max = 2 }
                  morpheus { hint-source = none, jmx = off }
                }
                """).withFallback(TestSupport.CONFIG).withFallback(ConfigFactory.load()));
    }

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    record Go(ActorRef<String> partner) {}

    /**
     * The other case: actor A, in the first message of its run, makes B runnable and then runs
     * long (200 ms, one message). B was left on A's thread's lane; the other thread, idle, must
     * take it within the watch bound (about 1 ms plus 50 us; asserted loosely) rather than when
     * A's message ends.
     */
    @Test
    void aTaskLeftByARunThatTurnsOutLongIsStolen() throws Exception {
        for (int round = 0; round < 5; round++) {
            AtomicReference<Thread> aThread = new AtomicReference<>();
            AtomicReference<Thread> bThread = new AtomicReference<>();
            AtomicLong sentAt = new AtomicLong();
            AtomicLong ranAt = new AtomicLong();
            CountDownLatch bRan = new CountDownLatch(1);
            CountDownLatch aDone = new CountDownLatch(1);
            ActorRef<String> b = kit.spawn(Behaviors.receive(String.class)
                    .onAnyMessage(m -> {
                        ranAt.set(System.nanoTime());
                        bThread.set(Thread.currentThread());
                        bRan.countDown();
                        return Behaviors.same();
                    }).build(), "b-" + round, DispatcherSelector.fromConfig(ID));
            ActorRef<Go> a = kit.spawn(Behaviors.receive(Go.class)
                    .onMessage(Go.class, g -> {
                        aThread.set(Thread.currentThread());
                        sentAt.set(System.nanoTime());
                        g.partner().tell("wake");
                        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                        while (System.nanoTime() < end && bRan.getCount() > 0) {
                            Thread.onSpinWait(); // long enough to see B taken elsewhere, no longer
                        }
                        aDone.countDown();
                        return Behaviors.same();
                    }).build(), "a-" + round, DispatcherSelector.fromConfig(ID));
            a.tell(new Go(b));
            assertTrue(aDone.await(30, TimeUnit.SECONDS), "A's message ended");
            assertTrue(bRan.await(30, TimeUnit.SECONDS), "B ran");
            assertNotEquals(aThread.get(), bThread.get(), "round " + round + ": B ran on the other thread, not after A's message");
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(ranAt.get() - sentAt.get());
            assertTrue(waitedMs < 100, "round " + round + ": B waited " + waitedMs + " ms for the idle thread (bound about 1 ms)");
            Thread.sleep(5); // the idle thread's watch grows or ends between rounds: both paths are taken
        }
    }
}
