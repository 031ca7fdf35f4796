package dev.morpheus.benchmarks.dispatcher;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Tell-only in the shape of Pekko's bench-jmh {@code TellOnlyBenchmark}: one sender outside the
 * actor system (the benchmark thread, as Pekko's {@code probe.send} from it) floods one receiver
 * with {@value #MESSAGES} fire-and-forget messages, and the invocation ends when the receiver
 * has taken them all. Scores are messages per second.
 *
 * <p>The sender enqueues and, whenever it finds the receiver's mailbox idle, schedules it on the
 * dispatcher; the receiver drains its mailbox in batches of the dispatcher's batch bound and is
 * re-scheduled after each one while the sender keeps it non-empty. So this measures the
 * dispatcher's scheduling from a foreign thread and its per-batch cost with one producer racing
 * one consumer (and, with {@link MessageHeavyDispatchers#THREADS} = cores, the sender competing
 * with the pool for the CPUs, as a real producer would).
 *
 * <p>Difference from Pekko's, deliberate: Pekko's variant runs on a special dispatcher that
 * drops the messages without scheduling the receiver, so it measures the bare {@code tell}
 * (enqueue) on the sender's side only; a dispatcher comparison needs the receiver to run, so
 * here it does, on the dispatcher under test, and the clock stops when it has counted the last
 * message. {@code throughput = default}: each point's own default batch bound.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar MessageHeavyTellOnly -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class MessageHeavyTellOnlyBenchmark {
    /** Messages per invocation (Pekko's {@code numMessages} is 1,000,000 per batch). */
    static final int MESSAGES = 1_000_000;

    @Param({"pekko-default", "pekko-default-aa", "stock-fork-join", "stock-thread-pool", "morpheus-default"})
    public String dispatcher;

    /** The batch bound of every point (see {@link MessageHeavyDispatchers}). */
    @Param({"default"})
    public String throughput;

    private ActorSystem system;
    private ActorRef receiver;

    @Setup(Level.Trial)
    public void start() {
        system = MessageHeavyDispatchers.start("bench", throughput);
        receiver = system.actorOf(Props.create(Receiver.class).withDispatcher(dispatcher), "receiver");
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        MessageHeavyDispatchers.checkPoolSize(system, dispatcher);
        MessageHeavyDispatchers.stop(system);
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void tell() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        receiver.tell(new Expect(MESSAGES, done), ActorRef.noSender());
        for (int i = 0; i < MESSAGES; i++) {
            receiver.tell(MESSAGE, ActorRef.noSender());
        }
        MessageHeavyDispatchers.await(done);
    }

    /** The message sent; one instance, so the benchmark allocates nothing per message itself. */
    public static final Object MESSAGE = new Object();

    /** Arms the receiver: count {@code messages} messages, then count {@code done} down. */
    public record Expect(int messages, CountDownLatch done) {}

    /** Counts messages and reports when the expected number arrived. */
    public static final class Receiver extends AbstractActor {
        private int left;
        private CountDownLatch done;

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .match(Expect.class, e -> {
                        left = e.messages();
                        done = e.done();
                    })
                    .matchAny(m -> {
                        if (--left == 0) {
                            done.countDown();
                        }
                    })
                    .build();
        }
    }
}
