package dev.morpheus.samples.bench;

import java.util.Locale;

/**
 * One way of running the workload: which Pekko executor and batch settings the dispatcher gets,
 * and whether Morpheus decides when a worker gives up its thread.
 *
 * <ul>
 *   <li>{@code blocking}: throughput 1,000,000, no deadline: an actor keeps its thread;</li>
 *   <li>{@code naive}: throughput 1: a yield after every work unit;</li>
 *   <li>{@code deadline}: throughput 1,000,000 with {@code throughput-deadline-time = slice};</li>
 *   <li>{@code morpheus}, {@code morpheus-direct}: hint-driven yields (see {@link MorpheusMode});</li>
 *   <li>{@code fork-join}, {@code thread-pool}, {@code affinity-pool}, {@code pinned},
 *       {@code virtual-thread}: Pekko's stock executors with the stock throughput of 5.</li>
 * </ul>
 * Every pooled mode gets {@code threads} threads (one per core by default); the yield-suite
 * modes share the FIFO pool of {@link #fifoPool}.
 */
record Mode(String name, String hintSource) {
    static final int STOCK_THROUGHPUT = 5;

    /** Hint-driven: the Morpheus dispatcher or the direct API. */
    boolean morpheus() {
        return name.startsWith("morpheus");
    }

    /** The Morpheus API used inside the actors rather than through the dispatcher. */
    boolean direct() {
        return name.equals("morpheus-direct");
    }

    /** Row label: the mode, with the hint source for morpheus. */
    String label() {
        return morpheus() ? name + "(" + hintSource + ")" : name;
    }

    /** The hint source named in result rows ("-" where Morpheus is not involved). */
    String hintSourceLabel(String active) {
        return morpheus() ? active : "-";
    }

    /** HOCON for the {@code bench-dispatcher} section. */
    String dispatcherConfig(Options o) {
        int p = o.threads;
        String fj = "executor = \"fork-join-executor\"\n"
                + "fork-join-executor { parallelism-min = " + p + ", parallelism-max = " + p + ", parallelism-factor = 1.0 }\n";
        String tp = fifoPool(o);
        return switch (name) {
            case "blocking" -> "type = Dispatcher\n" + tp + "throughput = 1000000\nthroughput-deadline-time = 0ms\n";
            case "naive" -> "type = Dispatcher\n" + tp + "throughput = 1\n";
            case "deadline" -> "type = Dispatcher\n" + tp + "throughput = 1000000\nthroughput-deadline-time = " + o.sliceMillis + "ms\n";
            case "morpheus" -> MorpheusMode.dispatcherConfig(o, hintSource, false);
            case "morpheus-direct" -> MorpheusMode.dispatcherConfig(o, hintSource, true);
            case "fork-join" -> "type = Dispatcher\n" + fj + "throughput = " + STOCK_THROUGHPUT + "\n";
            case "thread-pool" -> "type = Dispatcher\nexecutor = \"thread-pool-executor\"\n"
                    + "thread-pool-executor { fixed-pool-size = " + p + " }\nthroughput = " + STOCK_THROUGHPUT + "\n";
            case "affinity-pool" -> "type = Dispatcher\nexecutor = \"affinity-pool-executor\"\n"
                    + "affinity-pool-executor { parallelism-min = " + p + ", parallelism-max = " + p
                    + ", parallelism-factor = 1.0, task-queue-size = 16384 }\nthroughput = " + STOCK_THROUGHPUT + "\n";
            case "pinned" -> "type = PinnedDispatcher\nexecutor = \"thread-pool-executor\"\n";
            case "virtual-thread" -> "type = Dispatcher\nexecutor = \"virtual-thread-executor\"\nthroughput = " + STOCK_THROUGHPUT + "\n";
            default -> throw new IllegalArgumentException("unknown mode " + name);
        };
    }

    /**
     * The pool of the yield-suite modes: a fixed thread-pool executor with one FIFO queue, so a
     * mailbox that ends its batch goes behind every other waiting mailbox. (On a fork-join pool
     * a mailbox re-submitted from a worker thread lands in that worker's own local queue and runs
     * again before anything submitted from outside: yielding there does not let others in; the
     * dispatcher suite shows this as fork-join's fairness and probe delay.)
     */
    static String fifoPool(Options o) {
        return "executor = \"thread-pool-executor\"\nthread-pool-executor { fixed-pool-size = " + o.threads + " }\n";
    }

    static boolean virtualThreadsAvailable() {
        return Runtime.version().feature() >= 21;
    }

    static Mode of(String name) {
        return new Mode(name.toLowerCase(Locale.ROOT), "-");
    }
}
