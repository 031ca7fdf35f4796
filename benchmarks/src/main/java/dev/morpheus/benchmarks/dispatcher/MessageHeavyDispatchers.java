package dev.morpheus.benchmarks.dispatcher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;

/**
 * The dispatcher points of the message-heavy benchmarks ({@code MessageHeavy*Benchmark}): what
 * each {@code dispatcher} @Param value means, built as the HOCON a Pekko user would write.
 *
 * <ul>
 *   <li>{@value #PEKKO_DEFAULT}: a copy of Pekko's {@code pekko.actor.default-dispatcher} as
 *       shipped ({@code type = Dispatcher}, {@code executor = default-executor}, i.e. fork-join,
 *       Pekko's default throughput 5), with one change: the pool has {@link #THREADS} threads.
 *       Pekko's own default would be {@code parallelism-min = 8}, 8 threads on this 2-core
 *       machine; every point here runs on the same number of threads so that the comparison is
 *       about scheduling, not pool size.</li>
 *   <li>{@value #PEKKO_DEFAULT_AA}: the same again, an A/A control. It differs from
 *       {@value #PEKKO_DEFAULT} only by name, so its ratio to {@value #PEKKO_DEFAULT} is how
 *       far this machine's noise reaches in that run.</li>
 *   <li>{@value #STOCK_FORK_JOIN}, {@value #STOCK_THREAD_POOL}: Pekko's {@code type = Dispatcher}
 *       on {@code fork-join-executor} (parallelism {@link #THREADS}) and on
 *       {@code thread-pool-executor} ({@code fixed-pool-size = THREADS}).</li>
 *   <li>{@value #MORPHEUS_DEFAULT}: {@code type = "dev.morpheus.pekko.MorpheusDispatcherConfigurator"}
 *       with no {@code executor} key and no pool keys, and no {@code morpheus} key but
 *       {@code jmx = off}: whatever executor, pool size and hint source Morpheus defaults to
 *       (its pool defaults are one thread per core, at least 2, which is why {@link #THREADS}
 *       follows the core count).</li>
 * </ul>
 *
 * The benchmarks' {@code throughput} @Param sets the batch bound of every point alike:
 * {@value #DEFAULT} leaves each at its own default (Pekko's {@code throughput = 5} for the three
 * stock points, Morpheus' {@code max-batch} default for {@value #MORPHEUS_DEFAULT}); a number
 * {@code N} sets {@code throughput = N} on the stock points and {@code morpheus.max-batch = N}
 * on {@value #MORPHEUS_DEFAULT}, because the Morpheus dispatcher ignores Pekko's
 * {@code throughput} key and bounds its batches by {@code morpheus.max-batch} instead.
 * The dispatchers are created lazily by Pekko: a trial instantiates only the one it uses.
 */
final class MessageHeavyDispatchers {
    static final String PEKKO_DEFAULT = "pekko-default";
    static final String PEKKO_DEFAULT_AA = "pekko-default-aa";
    static final String STOCK_FORK_JOIN = "stock-fork-join";
    static final String STOCK_THREAD_POOL = "stock-thread-pool";
    static final String MORPHEUS_DEFAULT = "morpheus-default";

    /** The {@code throughput} @Param value that keeps each dispatcher's own default batch bound. */
    static final String DEFAULT = "default";

    /** Pekko's default {@code throughput}: the batch bound of the stock points at {@value #DEFAULT}. */
    static final int PEKKO_DEFAULT_THROUGHPUT = 5;

    /**
     * Threads of every pool: one per core, at least 2, the size Morpheus' pool defaults give
     * {@value #MORPHEUS_DEFAULT} (which names no pool size); 2 on this machine.
     */
    static final int THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private MessageHeavyDispatchers() {}

    /** The benchmarks' configuration with every point's batch bound set from {@code throughput}. */
    static Config config(String throughput) {
        String stockBound = "";
        String morpheusBound = "";
        if (!DEFAULT.equals(throughput)) {
            int n = batchBound(throughput);
            stockBound = "throughput = " + n;
            morpheusBound = ", max-batch = " + n;
        }
        return ConfigFactory.parseString("""
                pekko.loglevel = WARNING
                pekko.stdout-loglevel = WARNING
                pekko.log-dead-letters = off
                pekko.log-dead-letters-during-shutdown = off
                threads = %d
                pekko-default = ${pekko.actor.default-dispatcher} {
                  fork-join-executor { parallelism-min = ${threads}, parallelism-max = ${threads} }
                  %s
                }
                pekko-default-aa = ${pekko-default}
                stock-fork-join {
                  type = Dispatcher
                  executor = fork-join-executor
                  fork-join-executor { parallelism-min = ${threads}, parallelism-factor = 1.0, parallelism-max = ${threads} }
                  %s
                }
                stock-thread-pool {
                  type = Dispatcher
                  executor = thread-pool-executor
                  thread-pool-executor { fixed-pool-size = ${threads} }
                  %s
                }
                morpheus-default {
                  type = "dev.morpheus.pekko.MorpheusDispatcherConfigurator"
                  morpheus { jmx = off %s }
                }
                """.formatted(THREADS, stockBound, stockBound, stockBound, morpheusBound))
                .withFallback(ConfigFactory.load())
                .resolve();
    }

    /** The batch bound {@code throughput} stands for on the stock points. */
    static int batchBound(String throughput) {
        if (DEFAULT.equals(throughput)) {
            return PEKKO_DEFAULT_THROUGHPUT;
        }
        int n;
        try {
            n = Integer.parseInt(throughput.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("throughput must be '" + DEFAULT + "' or a positive integer, not '" + throughput + "'");
        }
        if (n < 1) {
            throw new IllegalArgumentException("throughput must be positive, not " + n);
        }
        return n;
    }

    /** Messages in flight per pair, as in Pekko's bench-jmh: twice the (stock) batch bound. */
    static int inFlight(String throughput) {
        return 2 * batchBound(throughput);
    }

    /** An actor system with the benchmarks' dispatchers, INFO lines muted but one. */
    static ActorSystem start(String name, String throughput) {
        // INFO lines (Pekko's logger start, Morpheus' mode changes) would interleave with JMH's
        // output; the one line per Morpheus dispatcher saying which executor and hint source it
        // got is worth keeping.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.morpheus.pekko.MorpheusDispatcherConfigurator"))
                .setLevel(ch.qos.logback.classic.Level.INFO);
        return ActorSystem.create(name, config(throughput));
    }

    /**
     * Warns (on stderr, which JMH shows) when the pool of {@code dispatcher} has more threads
     * than {@link #THREADS}: every point is meant to run on pools of the same size, and
     * {@value #MORPHEUS_DEFAULT} gets its size from Morpheus' defaults, not from here. Counts
     * live threads named {@code <system>-<dispatcher>-<n>}, the name Pekko's and Morpheus'
     * thread factories give pool threads.
     */
    static void checkPoolSize(ActorSystem system, String dispatcher) {
        String prefix = system.name() + "-" + dispatcher + "-";
        long n = Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(s -> s.startsWith(prefix) && s.substring(prefix.length()).matches("\\d+"))
                .count();
        if (n > THREADS) {
            System.err.printf("WARNING: dispatcher %s ran %d pool threads, not %d: the points are not on equal pools%n",
                    dispatcher, n, THREADS);
        }
    }

    /** Terminates the system, failing if it does not within 30 s. */
    static void stop(ActorSystem system) throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Waits for an invocation's actors, failing rather than hanging when messages were lost. */
    static void await(CountDownLatch done) throws InterruptedException {
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("benchmark operation did not finish within 60 s (" + done.getCount() + " actors still waiting)");
        }
    }
}
