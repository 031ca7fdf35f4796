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
    private static final String[] DISPATCHERS = {"stock", "stock-aa", "morpheus-none", "morpheus-queue",
            "stock-tp", "stock-aa-tp", "morpheus-none-tp", "morpheus-queue-tp"};

    /** The stock dispatcher on the same pool as {@code DISPATCHERS[i]}. */
    private static int stockOf(int i) {
        return DISPATCHERS[i].endsWith("-tp") ? 4 : 0;
    }

    private DispatcherPairedComparison() {}

    public static void main(String[] args) throws Exception {
        int rounds = 30;
        int threads = 2;
        for (int a = 0; a < args.length; a++) {
            if (args[a].equals("--threads") && a + 1 < args.length) {
                threads = Integer.parseInt(args[++a]);
            } else if (args[a].matches("\\d+")) {
                rounds = Integer.parseInt(args[a]);
            } else {
                System.err.println("usage: DispatcherPairedComparison [rounds] [--threads N]");
                System.exit(2);
            }
        }
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        ActorSystem system = ActorSystem.create("paired", DispatcherThroughputBenchmark.config(threads));
        System.out.printf("%d rounds, pools of %d threads; stock-aa rows are A/A controls (a second stock dispatcher):"
                + " their spread is this machine's noise floor%n", rounds, threads);
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
            // Warm-up. The JIT profiles Pekko's mailbox loop once for all dispatchers in this JVM,
            // so it must see them all alike before it compiles: first many tiny operations in
            // turn (a profile taken while one dispatcher ran alone would favour it), then long ones.
            for (int w = 0; w < 400; w++) {
                for (String d : DISPATCHERS) {
                    pingPong(pings.get(d), 20, 0);
                    fanOut(counters.get(d), 5, 0);
                }
            }
            for (int w = 0; w < 5; w++) {
                for (String d : DISPATCHERS) {
                    pingPong(pings.get(d), DispatcherThroughputBenchmark.ROUND_TRIPS, 100_000_000L);
                    fanOut(counters.get(d), DispatcherThroughputBenchmark.PER_ACTOR, 100_000_000L);
                }
            }
            double[][] pp = new double[DISPATCHERS.length][rounds];
            double[][] fo = new double[DISPATCHERS.length][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < DISPATCHERS.length; i++) {
                    int k = (i + r) % DISPATCHERS.length; // rotate the order so none always goes first
                    pp[k][r] = pingPong(pings.get(DISPATCHERS[k]), DispatcherThroughputBenchmark.ROUND_TRIPS, 100_000_000L);
                    fo[k][r] = fanOut(counters.get(DISPATCHERS[k]), DispatcherThroughputBenchmark.PER_ACTOR, 100_000_000L);
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
            Arrays.sort(ratio);
            System.out.printf("%-8s %-17s median %.0f msg/s, paired ratio vs %s: median %.3f, quartiles %.3f..%.3f%n", name,
                    DISPATCHERS[i], median(m[i]), DISPATCHERS[s], median(ratio), ratio[rounds / 4], ratio[(3 * rounds) / 4]);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Messages per second of ping-pong operations of {@code roundTrips}, repeated for {@code nanos}. */
    private static double pingPong(ActorRef ping, int roundTrips, long nanos) throws InterruptedException {
        long t0 = System.nanoTime();
        long msgs = 0;
        do {
            CountDownLatch done = new CountDownLatch(1);
            ping.tell(new DispatcherThroughputBenchmark.Start(roundTrips, done), ActorRef.noSender());
            done.await(60, TimeUnit.SECONDS);
            msgs += 2L * roundTrips;
        } while (System.nanoTime() - t0 < nanos);
        return msgs / ((System.nanoTime() - t0) / 1e9);
    }

    /** Messages per second of fan-out operations of {@code perActor} messages per actor, repeated for {@code nanos}. */
    private static double fanOut(List<ActorRef> counters, int perActor, long nanos) throws InterruptedException {
        long t0 = System.nanoTime();
        long msgs = 0;
        do {
            CountDownLatch done = new CountDownLatch(counters.size());
            DispatcherThroughputBenchmark.Expect expect =
                    new DispatcherThroughputBenchmark.Expect(perActor, done);
            for (ActorRef c : counters) {
                c.tell(expect, ActorRef.noSender());
            }
            for (int i = 0; i < perActor; i++) {
                for (ActorRef c : counters) {
                    c.tell(DispatcherThroughputBenchmark.BALL, ActorRef.noSender());
                }
            }
            done.await(60, TimeUnit.SECONDS);
            msgs += (long) counters.size() * perActor;
        } while (System.nanoTime() - t0 < nanos);
        return msgs / ((System.nanoTime() - t0) / 1e9);
    }
}
