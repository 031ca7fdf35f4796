package dev.morpheus.samples.bench;

import dev.morpheus.Morpheus;
import dev.morpheus.MorpheusConfig;
import dev.morpheus.abi.YieldCause;
import dev.morpheus.pekko.MorpheusDispatcherStats;
import dev.morpheus.pekko.MorpheusExtension;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.ActorSystem;

/**
 * The two ways the runner realises hint-driven yielding.
 *
 * <p>{@code morpheus}: the Morpheus Pekko dispatcher ({@code MorpheusDispatcherConfigurator}) on
 * its default executor, the Morpheus executor with {@code threads} threads (with
 * {@code --morpheus-executor thread-pool} the same FIFO thread pool as the other yield-suite
 * modes, {@link Mode#fifoPool}; with {@code fork-join} its fork-join pool), {@code max-batch} messages per batch without
 * hints, the slice, and the hint source of the row. Workers do one unit per message; the
 * dispatcher checkpoints before each message and cuts the batch on a hint.
 *
 * <p>{@code morpheus-direct}: no Morpheus dispatcher. A stock dispatcher on the FIFO thread pool
 * with the blocking mode's huge batch (throughput 1,000,000), and the actors use the Morpheus
 * API themselves: the pool threads register as workers, a worker checkpoints after every work
 * unit, and on a hint (or after max-batch units in one mailbox run) it answers the hint and
 * ends its mailbox run by having its continuation bounced back through another actor
 * ({@link WorkerActor}). Messages waiting for a thread (sent from outside a running mailbox, not
 * yet started) are the hint source's pending-work gauge. It shows what the same hints do on a
 * pool whose queue is FIFO for re-submitted mailboxes.
 */
final class MorpheusMode {
    private MorpheusMode() {}

    /** The Morpheus dispatcher's max-batch upper bound. */
    static final int DISPATCHER_MAX_BATCH_LIMIT = 1_000_000;

    static String realisation() {
        return "morpheus = Morpheus Pekko dispatcher (its default executor, the Morpheus executor; --morpheus-executor thread-pool or fork-join for Pekko's pools); morpheus-direct = Morpheus API inside the actors on the FIFO thread pool";
    }

    static String dispatcherConfig(Options o, String hintSource, boolean direct) {
        if (direct) {
            return "type = Dispatcher\n" + Mode.fifoPool(o) + "throughput = 1000000\nthroughput-deadline-time = 0ms\n";
        }
        int p = o.threads;
        String pool = switch (o.morpheusExecutor) {
            case "fork-join" -> "executor = \"fork-join-executor\"\nfork-join-executor { parallelism-min = " + p
                    + ", parallelism-max = " + p + ", parallelism-factor = 1.0 }\n";
            case "thread-pool" -> Mode.fifoPool(o);
            default -> "morpheus-executor { parallelism-min = " + p + ", parallelism-max = " + p + " }\n";
        };
        return "type = \"dev.morpheus.pekko.MorpheusDispatcherConfigurator\"\n"
                + pool
                + "morpheus {\n  hint-source = " + hintSource + "\n  max-batch = " + Math.min(o.maxBatch, DISPATCHER_MAX_BATCH_LIMIT)
                + "\n  slice = " + o.sliceMillis + "ms\n  jmx = off\n}\n";
    }

    /**
     * Initializes Morpheus's JFR event switch (and with it both event classes) on the calling
     * thread, before any dispatcher runs. Works around a class-initialization deadlock in
     * {@code dev.morpheus.jfr} on JDK 17: when a fresh JVM's first hint answer and first yield
     * happen at once on two pool threads, one holds JFR's MetadataRepository lock in
     * {@code EventSwitch.<clinit>} (registering YieldEvent) and waits for YieldEvent's
     * initialization, which the other runs and which waits for that lock. Both pool threads
     * stop for good (seen in about one Pareto-only run in four: 0 units, the probe never
     * answered); initialized on one thread first, the classes cannot deadlock later.
     */
    static void initTelemetry() {
        try {
            Class.forName("dev.morpheus.jfr.EventSwitch", true, MorpheusMode.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            System.err.println("warning: could not initialize Morpheus JFR events up front: " + e);
        }
    }

    private static Optional<MorpheusDispatcherStats> stats(ActorSystem system) {
        return MorpheusExtension.get(system).stats(PekkoSystems.DISPATCHER);
    }

    /** The hint source the Morpheus dispatcher of {@code system} uses (after its first actor exists). */
    static String activeHintSource(ActorSystem system, String configured) {
        return stats(system).map(MorpheusDispatcherStats::hintSource).orElse(configured);
    }

    /** The yield ledger of the Morpheus dispatcher of {@code system} (totals). */
    static Map<YieldCause, Long> yields(ActorSystem system) {
        return stats(system).map(MorpheusDispatcherStats::yields).orElse(Map.of());
    }

    static String runtimeMode(ActorSystem system) {
        return stats(system).map(s -> s.mode().name()).orElse("-");
    }

    /** Batch statistics for the report: cut by hint, cut by deadline, ended at max-batch. */
    static Map<String, Long> batches(ActorSystem system) {
        Map<String, Long> m = new LinkedHashMap<>();
        stats(system).ifPresent(s -> {
            m.put("cut_by_hint", s.batchesCutByHint());
            m.put("cut_by_deadline", s.batchesCutByDeadline());
            m.put("at_max_batch", s.batchesAtBudget());
            m.put("hints_posted", s.hintsPosted());
        });
        return m;
    }

    /** The Morpheus instance of one direct-mode run; the caller closes it. */
    static Morpheus open(Options o, String hintSource, String runName) {
        MorpheusConfig config = MorpheusConfig.builder()
                .where(runName)
                .hintSource(hintSource)
                .slice(Duration.ofMillis(o.sliceMillis))
                .build();
        return Morpheus.open(runName, config);
    }
}
