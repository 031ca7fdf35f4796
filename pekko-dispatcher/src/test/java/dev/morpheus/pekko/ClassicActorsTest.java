package dev.morpheus.pekko;

import static dev.morpheus.pekko.TestSupport.MANUAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.morpheus.Morpheus;
import dev.morpheus.MorpheusWorker;
import dev.morpheus.hint.ManualHintSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.AbstractActorWithStash;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Classic actors: critical by marker interface or Props tag; Stash keeps working (and is checked). */
class ClassicActorsTest {
    private ActorSystem system;

    @BeforeEach
    void start() {
        system = ActorSystem.create("ClassicActorsTest", ConfigFactory.parseString(
                "single-consumer-mailbox.mailbox-type = \"org.apache.pekko.dispatch.SingleConsumerOnlyUnboundedMailbox\"")
                .withFallback(TestSupport.CONFIG).withFallback(ConfigFactory.load()));
    }

    @AfterEach
    void stop() {
        TestKit.shutdownActorSystem(system);
    }

    static int depth() {
        MorpheusWorker w = Morpheus.currentWorker();
        return w == null ? -1 : w.criticalDepth();
    }

    private MorpheusDispatcher dispatcher() {
        return dispatcher(MANUAL);
    }

    private MorpheusDispatcher dispatcher(String id) {
        return (MorpheusDispatcher) system.dispatchers().lookup(id);
    }

    /** A classic actor marked with the {@link CriticalActor} interface. */
    public static final class MarkedActor extends AbstractActor implements CriticalActor {
        @Override
        public Receive createReceive() {
            return receiveBuilder().matchAny(m -> sender().tell(depth(), self())).build();
        }
    }

    /** A plain classic actor (made critical with a Props tag in one test). */
    public static final class PlainActor extends AbstractActor {
        @Override
        public Receive createReceive() {
            return receiveBuilder().matchAny(m -> sender().tell(depth(), self())).build();
        }
    }

    @Test
    void classicActorsAreCriticalByMarkerInterfaceOrPropsTag() {
        TestKit probe = new TestKit(system);
        ActorRef marked = system.actorOf(Props.create(MarkedActor.class).withDispatcher(MANUAL), "marked");
        ActorRef tagged = system.actorOf(MorpheusProps.critical(Props.create(PlainActor.class)).withDispatcher(MANUAL), "tagged");
        ActorRef plain = system.actorOf(Props.create(PlainActor.class).withDispatcher(MANUAL), "plain");
        marked.tell("hi", probe.getRef());
        assertTrue(probe.expectMsgClass(Integer.class) > 0, "marker interface");
        tagged.tell("hi", probe.getRef());
        assertTrue(probe.expectMsgClass(Integer.class) > 0, "props tag");
        plain.tell("hi", probe.getRef());
        assertEquals(0, probe.expectMsgClass(Integer.class), "untagged actor");
        assertEquals(2, dispatcher().stats().actorsCritical());
    }

    /** Stashes every number until "open", then replays them in order; hints itself meanwhile. */
    public static final class Stasher extends AbstractActorWithStash {
        private final ManualHintSource hints;
        private final List<Integer> seen = new ArrayList<>();

        public Stasher(ManualHintSource hints) {
            this.hints = hints;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .match(Integer.class, i -> {
                        TestSupport.hintMe(hints);
                        stash();
                    })
                    .matchEquals("open", m -> {
                        unstashAll();
                        getContext().become(open());
                    })
                    .build();
        }

        private Receive open() {
            return receiveBuilder()
                    .match(Integer.class, i -> {
                        seen.add(i);
                        TestSupport.hintMe(hints);
                    })
                    .matchEquals("report", m -> sender().tell(List.copyOf(seen), self()))
                    .build();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestSupport.MANUAL, TestSupport.MANUAL_TP, TestSupport.MANUAL_FJ})
    void stashActorsWorkAndAreChecked(String id) {
        MorpheusDispatcher d = dispatcher(id);
        TestKit probe = new TestKit(system);
        ActorRef stasher = system.actorOf(Props.create(Stasher.class, TestSupport.manual(d)).withDispatcher(id), "stasher");
        int n = 300;
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            stasher.tell(i, ActorRef.noSender());
            expected.add(i);
        }
        stasher.tell("open", ActorRef.noSender());
        for (int i = n; i < 2 * n; i++) {
            stasher.tell(i, ActorRef.noSender());
            expected.add(i);
        }
        stasher.tell("report", probe.getRef());
        List<?> seen = probe.expectMsgClass(Duration.ofSeconds(30), List.class);
        assertEquals(expected, seen);
        MorpheusDispatcherStats s = d.stats();
        assertEquals(0, s.actorsUnchecked(), "the deque wrapper satisfies Stash's requirement: " + s);
        assertTrue(s.batchesCutByHint() > 0, "the stasher's batches were cut by its own hints: " + s);
    }

    /**
     * Reports its queue's class, blocks on a latch, then posts a hint to its own thread and stops
     * itself, so the mailbox is cleaned up with that hint pending; other messages it drops.
     */
    public static final class GatedActor extends AbstractActor {
        private final ManualHintSource hints;

        public GatedActor(ManualHintSource hints) {
            this.hints = hints;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .match(java.util.concurrent.CountDownLatch.class, gate -> {
                        sender().tell(((org.apache.pekko.actor.ActorCell) getContext()).mailbox().messageQueue().getClass(), self());
                        TestSupport.await(gate);
                        TestSupport.hintMe(hints); // a checkpointing drain would now stop at once
                        sender().tell(Morpheus.currentWorker().checkpoint(), self());
                        getContext().stop(self()); // to itself at once: the mailbox stops after this message
                    })
                    .build();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"default", "single-consumer-mailbox"})
    void messagesLeftAtStopReachDeadLettersInOrder(String mailbox) {
        TestKit probe = new TestKit(system);
        TestKit deadLetters = new TestKit(system);
        system.getEventStream().subscribe(deadLetters.getRef(), org.apache.pekko.actor.DeadLetter.class);
        ManualHintSource hints = TestSupport.manual(dispatcher());
        long posted = hints.hintsPosted();
        Props props = Props.create(GatedActor.class, hints).withDispatcher(MANUAL);
        ActorRef actor = system.actorOf(mailbox.equals("default") ? props : props.withMailbox(mailbox), "gated-" + mailbox);
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        actor.tell(gate, probe.getRef());
        // the checkpointing queue of the mailbox's own kind, whose cleanUp drains with poll()
        assertEquals(mailbox.equals("default") ? CheckpointedUnboundedQueue.class : CheckpointedNodeQueue.class,
                probe.expectMsgClass(Class.class));
        int n = 100;
        for (int i = 0; i < n; i++) {
            actor.tell(i, ActorRef.noSender());
        }
        gate.countDown(); // the actor hints itself and stops after the gated message: the rest is cleaned up
        assertEquals(Boolean.TRUE, probe.expectMsgClass(Boolean.class), "the hint was pending on the actor's worker");
        assertEquals(posted + 1, hints.hintsPosted(), "one hint posted to the stopping actor's thread");
        List<Integer> dead = new ArrayList<>();
        while (dead.size() < n) {
            org.apache.pekko.actor.DeadLetter d = deadLetters.expectMsgClass(Duration.ofSeconds(10), org.apache.pekko.actor.DeadLetter.class);
            if (d.message() instanceof Integer i) {
                dead.add(i);
            }
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(i);
        }
        assertEquals(expected, dead, "every message left at stop, in order");
    }
}
