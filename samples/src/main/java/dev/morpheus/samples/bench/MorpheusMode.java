package dev.morpheus.samples.bench;

import dev.morpheus.Morpheus;
import dev.morpheus.MorpheusConfig;
import java.time.Duration;

/**
 * How the runner's {@code morpheus} mode is realised. Until the Morpheus Pekko dispatcher is on
 * the class path it is "direct": a stock dispatcher on the FIFO thread pool with the blocking
 * mode's huge batch (throughput 1,000,000), and the actors use the Morpheus API themselves: the
 * pool threads register as workers, a worker checkpoints after every work unit, and on a hint
 * (or after max-batch units in one mailbox run) it answers the hint and ends its mailbox run by
 * having its continuation bounced back through another actor ({@link WorkerActor}). The
 * messages waiting for a thread (sent from outside a running mailbox and not yet started) are
 * offered to the hint source as its pending-work gauge.
 */
final class MorpheusMode {
    private MorpheusMode() {}

    static final String DISPATCHER_CONFIGURATOR = "dev.morpheus.pekko.MorpheusDispatcherConfigurator";

    /** Whether the Morpheus dispatcher is on the class path (then it is used). */
    static boolean dispatcherAvailable() {
        return false;
    }

    static String realisation() {
        return dispatcherAvailable() ? "Morpheus Pekko dispatcher" : "direct Morpheus API in the actors (dispatcher not yet available)";
    }

    static String dispatcherConfig(Options o, String hintSource) {
        return "type = Dispatcher\n" + Mode.fifoPool(o) + "throughput = 1000000\nthroughput-deadline-time = 0ms\n";
    }

    /** The hint source the Morpheus dispatcher of {@code system} uses. */
    static String activeHintSource(org.apache.pekko.actor.ActorSystem system, String configured) {
        return configured;
    }

    /** The yield ledger of the Morpheus dispatcher of {@code system}. */
    static java.util.Map<String, Long> yields(org.apache.pekko.actor.ActorSystem system) {
        return java.util.Map.of();
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
