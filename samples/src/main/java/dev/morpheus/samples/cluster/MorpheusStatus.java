package dev.morpheus.samples.cluster;

import dev.morpheus.abi.YieldCause;
import dev.morpheus.pekko.MorpheusDispatcherStats;
import dev.morpheus.pekko.MorpheusExtension;
import java.util.Optional;
import java.util.StringJoiner;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The Morpheus part of a status line, from {@link MorpheusExtension}: the hint source
 * {@code auto} chose, the runtime mode, batches cut by hints and the yields by cause of the
 * app dispatcher; or a note that the app dispatcher is not a Morpheus dispatcher.
 */
final class MorpheusStatus {
    private MorpheusStatus() {
    }

    static String describe(ActorSystem<?> system, String dispatcherPath) {
        Optional<MorpheusDispatcherStats> stats = MorpheusExtension.get(system).stats(dispatcherPath);
        if (stats.isEmpty()) {
            return "morpheus=off (" + dispatcherPath + " is not a Morpheus dispatcher)";
        }
        MorpheusDispatcherStats s = stats.get();
        StringJoiner yields = new StringJoiner(" ", "{", "}");
        for (YieldCause c : YieldCause.values()) {
            yields.add(c.name().toLowerCase(java.util.Locale.ROOT) + "=" + s.yields(c));
        }
        return String.format("morpheus hint-source=%s mode=%s workers=%d hints=%d/%d answered cut-by-hint=%d critical-actors=%d yields%s",
                s.hintSource(), s.mode(), s.liveWorkers(), s.hintsAnswered(), s.hintsPosted(), s.batchesCutByHint(),
                s.actorsCritical(), yields);
    }
}
