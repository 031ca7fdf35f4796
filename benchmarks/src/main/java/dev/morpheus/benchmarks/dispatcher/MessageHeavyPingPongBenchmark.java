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
 * Message-heavy ping-pong in the shape of Pekko's bench-jmh {@code ForkJoinActorBenchmark}
 * ({@code pingPongLessActorsThanCores} / {@code pingPongMoreActorsThanCores}): independent pairs
 * of actors bounce messages, {@code 2 x throughput} of them in flight per pair, with dispatcher
 * throughput 50 for every point (Pekko's benchmark sets {@code throughput = 50} on its
 * dispatcher; here the stock points get {@code throughput = 50} and {@code morpheus-default}
 * gets {@code morpheus.max-batch = 50}, see {@link MessageHeavyDispatchers}).
 *
 * <p>With 100 messages queued per mailbox an actor's batches are full, so this measures the
 * dispatcher's per-message and per-batch costs (mailbox runs, re-scheduling after each batch,
 * hand-over between the pool threads) under saturation. {@code pairs = 1}: two actors on
 * {@link MessageHeavyDispatchers#THREADS} threads (no more actors than cores); {@code pairs = 8}:
 * sixteen actors, many more than cores, so mailboxes queue for threads and the executor's
 * ordering matters.
 *
 * <p>Differences from Pekko's, all deliberate: the pairs live for the whole trial and each
 * invocation re-arms them with a {@link Start} (Pekko creates and stops actors in every
 * invocation, and its last in-flight messages go to dead letters); the ping side sends exactly
 * its quota and the pong side echoes, so an invocation is exactly {@value #MESSAGES} messages
 * and nothing is left over for the next. Pekko fixes the count per pair and has one method per
 * actor count; a @Param needs one {@code @OperationsPerInvocation}, so here the invocation's
 * total is fixed and split evenly over the pairs. Scores are messages per second (every send
 * counts: ping to pong and pong to ping).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar MessageHeavyPingPong -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class MessageHeavyPingPongBenchmark {
    /** Messages per invocation, all pairs together (each pair bounces {@code MESSAGES / pairs}). */
    static final int MESSAGES = 800_000;

    @Param({"1", "8"})
    public int pairs;

    @Param({"pekko-default", "pekko-default-aa", "stock-fork-join", "stock-thread-pool", "morpheus-default"})
    public String dispatcher;

    /** The batch bound of every point (see {@link MessageHeavyDispatchers}); Pekko's benchmark uses 50. */
    @Param({"50"})
    public String throughput;

    private ActorSystem system;
    private ActorRef[] pings;
    private int inFlight;

    @Setup(Level.Trial)
    public void start() {
        if (pairs < 1 || MESSAGES % (2 * pairs) != 0) {
            throw new IllegalArgumentException("pairs must divide " + (MESSAGES / 2) + ", not " + pairs);
        }
        inFlight = MessageHeavyDispatchers.inFlight(throughput);
        system = MessageHeavyDispatchers.start("bench", throughput);
        pings = new ActorRef[pairs];
        for (int i = 0; i < pairs; i++) {
            ActorRef pong = system.actorOf(Props.create(Pong.class).withDispatcher(dispatcher), "pong-" + i);
            pings[i] = system.actorOf(Props.create(Ping.class, pong).withDispatcher(dispatcher), "ping-" + i);
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        MessageHeavyDispatchers.checkPoolSize(system, dispatcher);
        MessageHeavyDispatchers.stop(system);
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void pingPong() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(pairs);
        Start start = new Start(MESSAGES / 2 / pairs, inFlight, done);
        for (ActorRef ping : pings) {
            ping.tell(start, ActorRef.noSender());
        }
        MessageHeavyDispatchers.await(done);
    }

    /** The message bounced; one instance, so the benchmark allocates nothing per message itself. */
    public static final Object BALL = new Object();

    /** Re-arms a ping: send {@code balls} balls to its pong, at most {@code inFlight} at a time. */
    public record Start(int balls, int inFlight, CountDownLatch done) {}

    /** Sends its quota of balls to its pong, a window of them in flight, and counts the returns. */
    public static final class Ping extends AbstractActor {
        private final ActorRef pong;
        private int toSend;
        private int toReceive;
        private CountDownLatch done;

        public Ping(ActorRef pong) {
            this.pong = pong;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .match(Start.class, s -> {
                        toSend = s.balls();
                        toReceive = s.balls();
                        done = s.done();
                        int window = Math.min(s.inFlight(), toSend);
                        for (int i = 0; i < window; i++) {
                            pong.tell(BALL, self());
                        }
                        toSend -= window;
                    })
                    .matchAny(ball -> {
                        if (toSend > 0) {
                            toSend--;
                            pong.tell(BALL, self());
                        }
                        if (--toReceive == 0) {
                            done.countDown();
                        }
                    })
                    .build();
        }
    }

    /** Returns every ball to its sender. */
    public static final class Pong extends AbstractActor {
        @Override
        public Receive createReceive() {
            return receiveBuilder().matchAny(ball -> sender().tell(ball, self())).build();
        }
    }
}
