package dev.morpheus.benchmarks.dispatcher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Message throughput of the Morpheus dispatcher without pressure against Pekko's stock
 * {@code Dispatcher} with the same batch bound (throughput = max-batch = 1000) and the same
 * fork-join pool, in the same run. Scores are messages per second.
 *
 * <ul>
 *   <li>{@code pingPong}: one pair of actors bouncing a message {@value #ROUND_TRIPS} times:
 *       every batch is one message, so per-run costs dominate.</li>
 *   <li>{@code fanOut}: the benchmark thread sends {@value #PER_ACTOR} messages to each of
 *       {@value #ACTORS} actors: long batches, so per-message costs dominate.</li>
 * </ul>
 * {@code dispatcher}: {@code stock}, {@code morpheus-none} (no hint source at all) and
 * {@code morpheus-queue} (the in-process queue source sampling every 1 ms; with nothing waiting
 * it posts no hints), all on a 2-thread fork-join pool; the same three with {@code -tp} on a
 * 2-thread thread-pool executor (the Morpheus dispatcher's default executor). Compare each
 * Morpheus dispatcher with the stock one on the same pool. Goal: at least 0.98x of stock.
 * {@code stock-aa} and {@code stock-aa-tp} are second copies of the stock dispatchers (A/A
 * controls): how far they land from {@code stock} is how far this machine's noise reaches.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar DispatcherThroughputBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DispatcherThroughputBenchmark {
    static final int ROUND_TRIPS = 20_000;
    static final int ACTORS = 8;
    static final int PER_ACTOR = 10_000;

    @Param({"stock", "stock-aa", "morpheus-none", "morpheus-queue", "stock-tp", "stock-aa-tp", "morpheus-none-tp", "morpheus-queue-tp"})
    public String dispatcher;

    private ActorSystem system;
    private ActorRef ping;
    private List<ActorRef> counters;

    static Config config() {
        return config(2);
    }

    /** The six dispatchers on pools of {@code threads} threads, plus {@code stock-aa}/{@code stock-aa-tp}: copies of the stock ones (A/A controls). */
    static Config config(int threads) {
        return ConfigFactory.parseString("""
                pekko.loglevel = WARNING
                pekko.stdout-loglevel = WARNING
                threads = %d
                pool {
                  executor = fork-join-executor
                  fork-join-executor { parallelism-min = ${threads}, parallelism-factor = 1.0, parallelism-max = ${threads} }
                }
                stock = ${pool} { type = Dispatcher, throughput = 1000 }
                stock-aa = ${stock}
                morpheus-none = ${pool} {
                  type = "dev.morpheus.pekko.MorpheusDispatcherConfigurator"
                  morpheus { hint-source = none, max-batch = 1000, jmx = off }
                }
                morpheus-queue = ${pool} {
                  type = "dev.morpheus.pekko.MorpheusDispatcherConfigurator"
                  morpheus { hint-source = queue, max-batch = 1000, jmx = off }
                }
                tp-pool {
                  executor = thread-pool-executor
                  thread-pool-executor { fixed-pool-size = ${threads} }
                }
                stock-tp = ${tp-pool} { type = Dispatcher, throughput = 1000 }
                stock-aa-tp = ${stock-tp}
                morpheus-none-tp = ${tp-pool} {
                  type = "dev.morpheus.pekko.MorpheusDispatcherConfigurator"
                  morpheus { hint-source = none, max-batch = 1000, jmx = off }
                }
                morpheus-queue-tp = ${tp-pool} {
                  type = "dev.morpheus.pekko.MorpheusDispatcherConfigurator"
                  morpheus { hint-source = queue, max-batch = 1000, jmx = off }
                }
                """.formatted(threads)).resolve().withFallback(ConfigFactory.load());
    }

    @Setup(Level.Trial)
    public void start() {
        // Mode-change INFO lines would interleave with JMH's output.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.morpheus"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        system = ActorSystem.create("bench", config());
        ActorRef pong = system.actorOf(Props.create(Pong.class).withDispatcher(dispatcher), "pong");
        ping = system.actorOf(Props.create(Ping.class, pong).withDispatcher(dispatcher), "ping");
        counters = new ArrayList<>();
        for (int i = 0; i < ACTORS; i++) {
            counters.add(system.actorOf(Props.create(Counter.class).withDispatcher(dispatcher), "counter-" + i));
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Benchmark
    @OperationsPerInvocation(2 * ROUND_TRIPS)
    public void pingPong() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        ping.tell(new Start(ROUND_TRIPS, done), ActorRef.noSender());
        await(done);
    }

    @Benchmark
    @OperationsPerInvocation(ACTORS * PER_ACTOR)
    public void fanOut() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(ACTORS);
        Expect expect = new Expect(PER_ACTOR, done);
        for (ActorRef c : counters) {
            c.tell(expect, ActorRef.noSender());
        }
        for (int i = 0; i < PER_ACTOR; i++) {
            for (ActorRef c : counters) {
                c.tell(BALL, ActorRef.noSender());
            }
        }
        await(done);
    }

    private static void await(CountDownLatch done) throws InterruptedException {
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("benchmark operation did not finish within 60 s");
        }
    }

    public static final Object BALL = new Object();

    public record Start(int roundTrips, CountDownLatch done) {}

    public record Expect(int messages, CountDownLatch done) {}

    /** Sends the ball to pong and counts the returns. */
    public static final class Ping extends AbstractActor {
        private final ActorRef pong;
        private int left;
        private CountDownLatch done;

        public Ping(ActorRef pong) {
            this.pong = pong;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .match(Start.class, s -> {
                        left = s.roundTrips();
                        done = s.done();
                        pong.tell(BALL, self());
                    })
                    .matchAny(ball -> {
                        if (--left == 0) {
                            done.countDown();
                        } else {
                            pong.tell(BALL, self());
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

    /** Counts balls and reports when the expected number arrived. */
    public static final class Counter extends AbstractActor {
        private int left;
        private CountDownLatch done;

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .match(Expect.class, e -> {
                        left = e.messages();
                        done = e.done();
                    })
                    .matchAny(ball -> {
                        if (--left == 0) {
                            done.countDown();
                        }
                    })
                    .build();
        }
    }
}
