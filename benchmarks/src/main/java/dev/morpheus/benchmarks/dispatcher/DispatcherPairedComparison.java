package dev.morpheus.benchmarks.dispatcher;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;

/**
 * A noise-resistant companion of {@link DispatcherThroughputBenchmark} for shared machines:
 * one JVM, one actor system with all six dispatchers (stock, morpheus-none and morpheus-queue on
 * a fork-join pool; the same on a thread-pool executor, suffix {@code -tp}), and short rounds
 * that alternate between them, so that load from other processes hits each dispatcher alike.
 * Prints, per workload, the median over rounds of the ratio Morpheus / stock on the same pool
 * (a pair is measured within a second).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.morpheus.benchmarks.dispatcher.DispatcherPairedComparison [rounds]</pre>
 * Not a replacement for JMH (no forks, no blackholes): a sanity check of the ratio.
 */
public final class DispatcherPairedComparison {
    private static final String[] DISPATCHERS =
            {"stock", "morpheus-none", "morpheus-queue", "stock-tp", "morpheus-none-tp", "morpheus-queue-tp"};

    /** The stock dispatcher on the same pool as {@code DISPATCHERS[i]}. */
    private static int stockOf(int i) {
        return DISPATCHERS[i].endsWith("-tp") ? 3 : 0;
    }

    private DispatcherPairedComparison() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        ActorSystem system = ActorSystem.create("paired", DispatcherThroughputBenchmark.config());
        try {
            Map<String, ActorRef> pings = new LinkedHashMap<>();
            Map<String, List<ActorRef>> counters = new LinkedHashMap<>();
            for (String d : DISPATCHERS) {
                ActorRef pong = system.actorOf(Props.create(DispatcherThroughputBenchmark.Pong.class).withDispatcher(d), "pong-" + d);
                pings.put(d, system.actorOf(Props.create(DispatcherThroughputBenchmark.Ping.class, pong).withDispatcher(d), "ping-" + d));
                List<ActorRef> cs = new ArrayList<>();
                for (int i = 0; i < DispatcherThroughputBenchmark.ACTORS; i++) {
                    cs.add(system.actorOf(Props.create(DispatcherThroughputBenchmark.Counter.class).withDispatcher(d), "counter-" + d + "-" + i));
                }
                counters.put(d, cs);
            }
            // Warm-up: every dispatcher, both workloads, a few seconds.
            for (int w = 0; w < 10; w++) {
                for (String d : DISPATCHERS) {
                    pingPong(pings.get(d));
                    fanOut(counters.get(d));
                }
            }
            double[][] pp = new double[DISPATCHERS.length][rounds];
            double[][] fo = new double[DISPATCHERS.length][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < DISPATCHERS.length; i++) {
                    int k = (i + r) % DISPATCHERS.length; // rotate the order so none always goes first
                    pp[k][r] = pingPong(pings.get(DISPATCHERS[k]));
                    fo[k][r] = fanOut(counters.get(DISPATCHERS[k]));
                }
            }
            report("pingPong", pp, rounds);
            report("fanOut", fo, rounds);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static void report(String name, double[][] m, int rounds) {
        for (int i = 0; i < DISPATCHERS.length; i++) {
            int s = stockOf(i);
            if (s == i) {
                System.out.printf("%-8s %-17s median %.0f msg/s%n", name, DISPATCHERS[i], median(m[i]));
                continue;
            }
            double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratio[r] = m[i][r] / m[s][r];
            }
            System.out.printf("%-8s %-17s median %.0f msg/s, median paired ratio vs %s %.3f (rounds %d)%n", name,
                    DISPATCHERS[i], median(m[i]), DISPATCHERS[s], median(ratio), rounds);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Messages per second of one ping-pong operation (repeated to about 100 ms). */
    private static double pingPong(ActorRef ping) throws InterruptedException {
        long t0 = System.nanoTime();
        long msgs = 0;
        do {
            CountDownLatch done = new CountDownLatch(1);
            ping.tell(new DispatcherThroughputBenchmark.Start(DispatcherThroughputBenchmark.ROUND_TRIPS, done), ActorRef.noSender());
            done.await(60, TimeUnit.SECONDS);
            msgs += 2L * DispatcherThroughputBenchmark.ROUND_TRIPS;
        } while (System.nanoTime() - t0 < 100_000_000L);
        return msgs / ((System.nanoTime() - t0) / 1e9);
    }

    /** Messages per second of one fan-out operation (repeated to about 100 ms). */
    private static double fanOut(List<ActorRef> counters) throws InterruptedException {
        long t0 = System.nanoTime();
        long msgs = 0;
        do {
            CountDownLatch done = new CountDownLatch(counters.size());
            DispatcherThroughputBenchmark.Expect expect =
                    new DispatcherThroughputBenchmark.Expect(DispatcherThroughputBenchmark.PER_ACTOR, done);
            for (ActorRef c : counters) {
                c.tell(expect, ActorRef.noSender());
            }
            for (int i = 0; i < DispatcherThroughputBenchmark.PER_ACTOR; i++) {
                for (ActorRef c : counters) {
                    c.tell(DispatcherThroughputBenchmark.BALL, ActorRef.noSender());
                }
            }
            done.await(60, TimeUnit.SECONDS);
            msgs += (long) counters.size() * DispatcherThroughputBenchmark.PER_ACTOR;
        } while (System.nanoTime() - t0 < 100_000_000L);
        return msgs / ((System.nanoTime() - t0) / 1e9);
    }
}
