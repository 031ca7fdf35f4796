package dev.morpheus.samples.bench;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One dispatcher setting of the Pareto suite: its name in {@code pareto.json}, whether it is a
 * stock Pekko setting or a Morpheus one, the hint source it asks for, and its
 * {@code bench-dispatcher} HOCON.
 *
 * <p>The catalogue ({@link #catalogue}) is what a Pekko user could pick by configuration alone:
 * <ul>
 *   <li>stock {@code type = Dispatcher} with {@code throughput} 1, 5, 100 and 1,000,000, each on
 *       the fork-join executor ({@code fj-t...}; parallelism = threads) and on the thread-pool
 *       executor ({@code tp-t...}; fixed-pool-size = threads). {@code fj-t5} is Pekko's default
 *       dispatcher; {@code tp-t1} is the yield suite's "naive", {@code tp-t1M} its "blocking";</li>
 *   <li>throughput 1,000,000 with {@code throughput-deadline-time} 1 ms and 5 ms, on the
 *       thread-pool executor ({@code tp-t1M-dl1ms}, {@code tp-t1M-dl5ms}: the yield suite's
 *       "deadline"; on fork-join a cut mailbox re-runs from its thread's local queue, so the
 *       deadline would not let waiting actors in);</li>
 *   <li>the affinity-pool executor with throughput 5 ({@code affinity-t5});</li>
 *   <li>{@code morpheus-default}: the Morpheus configurator with no executor key and no
 *       {@code morpheus} key but {@code jmx = off}, so the suite measures whatever the Morpheus
 *       dispatcher's defaults are (executor, pool size, hint source {@code auto}, batch);</li>
 *   <li>{@code morpheus-queue}, {@code morpheus-procfs} and, when morpheusd's socket exists,
 *       {@code morpheus-kernel}: the same with {@code hint-source} set.</li>
 * </ul>
 * Morpheus points set no pool size: their pool is the Morpheus default (one thread per core),
 * which matches the stock points while {@code --threads} is the CPU count (its default).
 */
record ParetoPoint(String config, String kind, String hintSource, String dispatcherSection) {
    static final String STOCK = "stock";
    static final String MORPHEUS = "morpheus";
    static final String MORPHEUS_DEFAULT = "morpheus-default";
    static final String CONFIGURATOR = "dev.morpheus.pekko.MorpheusDispatcherConfigurator";

    boolean stock() {
        return kind.equals(STOCK);
    }

    /** The stock throughput-1 points (the seed's "naive"). */
    boolean throughputOne() {
        return stock() && config.endsWith("-t1");
    }

    /** The mode the workloads see: it names the run and says whether Morpheus is involved. */
    Mode mode() {
        return new Mode(config, hintSource);
    }

    /** Every point, stock first; {@code kernel}: include morpheus-kernel. */
    static List<ParetoPoint> catalogue(int threads, boolean kernel) {
        List<ParetoPoint> points = new ArrayList<>();
        String fj = "executor = \"fork-join-executor\"\nfork-join-executor { parallelism-min = " + threads
                + ", parallelism-max = " + threads + ", parallelism-factor = 1.0 }\n";
        String tp = "executor = \"thread-pool-executor\"\nthread-pool-executor { fixed-pool-size = " + threads + " }\n";
        for (int t : new int[] {1, 5, 100, 1_000_000}) {
            points.add(stock("fj-t" + name(t), fj + "throughput = " + t + "\n"));
            points.add(stock("tp-t" + name(t), tp + "throughput = " + t + "\n"));
        }
        for (int dl : new int[] {1, 5}) {
            points.add(stock("tp-t1M-dl" + dl + "ms", tp + "throughput = 1000000\nthroughput-deadline-time = " + dl + "ms\n"));
        }
        points.add(stock("affinity-t5", "executor = \"affinity-pool-executor\"\naffinity-pool-executor { parallelism-min = "
                + threads + ", parallelism-max = " + threads + ", parallelism-factor = 1.0, task-queue-size = 16384 }\n"
                + "throughput = 5\n"));
        points.add(morpheus(MORPHEUS_DEFAULT, "auto", ""));
        List<String> sources = new ArrayList<>(List.of("queue", "procfs"));
        if (kernel) {
            sources.add("kernel");
        }
        for (String hs : sources) {
            points.add(morpheus("morpheus-" + hs, hs, "  hint-source = " + hs + "\n"));
        }
        return points;
    }

    /** The Morpheus dispatcher on the kernel source through morpheusd at {@code socket}. */
    static ParetoPoint morpheusKernel(Path socket) {
        return morpheus("morpheus-kernel", "kernel", "  hint-source = kernel\n  socket = \"" + socket + "\"\n");
    }

    /** Whether morpheusd's socket (the Morpheus default {@code socket} key) exists. */
    static boolean kernelSocketPresent() {
        try {
            String socket = ConfigFactory.load().getString("morpheus.pekko.defaults.socket");
            return Files.exists(Path.of(socket));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static ParetoPoint stock(String name, String pool) {
        return new ParetoPoint(name, STOCK, "-", "type = Dispatcher\n" + pool);
    }

    private static ParetoPoint morpheus(String name, String hintSource, String keys) {
        return new ParetoPoint(name, MORPHEUS, hintSource,
                "type = \"" + CONFIGURATOR + "\"\nmorpheus {\n" + keys + "  jmx = off\n}\n");
    }

    private static String name(int throughput) {
        return throughput == 1_000_000 ? "1M" : Integer.toString(throughput);
    }
}
