package dev.morpheus.samples.cluster;

import dev.morpheus.abi.YieldCause;
import dev.morpheus.pekko.MorpheusDispatcher;
import dev.morpheus.pekko.MorpheusDispatcherStats;
import dev.morpheus.pekko.MorpheusExtension;
import java.util.Optional;
import java.util.StringJoiner;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The Morpheus part of a status line, from {@link MorpheusExtension}: the hint source
 * {@code auto} chose, the runtime mode, batches cut by hints, the CPU time of Morpheus's
 * sampling thread and the yields by cause of the app dispatcher; or a note that the app dispatcher is not a Morpheus dispatcher.
 */
final class MorpheusStatus {
    private MorpheusStatus() {
    }

    static String describe(ActorSystem<?> system, String dispatcherPath) {
        Optional<MorpheusDispatcher> dispatcher = MorpheusExtension.get(system).dispatcher(dispatcherPath);
        if (dispatcher.isEmpty()) {
            return "morpheus=off (" + dispatcherPath + " is not a Morpheus dispatcher)";
        }
        MorpheusDispatcherStats s = dispatcher.get().stats();
        long housekeeperCpuMs = dispatcher.get().morpheus().metrics().housekeeperCpuNanos() / 1_000_000;
        StringJoiner yields = new StringJoiner(" ", "{", "}");
        for (YieldCause c : YieldCause.values()) {
            yields.add(c.name().toLowerCase(java.util.Locale.ROOT) + "=" + s.yields(c));
        }
        return String.format("morpheus hint-source=%s mode=%s workers=%d hints=%d/%d answered cut-by-hint=%d critical-actors=%d housekeeper-cpu=%dms yields%s",
                s.hintSource(), s.mode(), s.liveWorkers(), s.hintsAnswered(), s.hintsPosted(), s.batchesCutByHint(),
                s.actorsCritical(), housekeeperCpuMs, yields);
    }
}
