package dev.morpheus.pekko;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.ExtensionIdProvider;

/**
 * Programmatic access to an actor system's Morpheus dispatchers, and their clean-up: when the
 * system terminates, each dispatcher's Morpheus instance is closed (its housekeeping thread
 * stops, any worker slot still held is freed) and its JMX bean unregistered.
 *
 * <pre>
 *   MorpheusExtension.get(system).stats("my-dispatcher").ifPresent(s -> log.info("cut {}", s.batchesCut()));
 * </pre>
 * Works with classic and typed systems ({@code get(ClassicActorSystemProvider)}). Loaded at
 * system start through {@code pekko.library-extensions} in this module's {@code reference.conf}.
 * Dispatchers are created lazily by Pekko: one appears here after its first lookup.
 */
public final class MorpheusExtension implements Extension {
    /** The extension id (also usable from Scala: {@code MorpheusExtension.ID.get(system)}). */
    public static final Id ID = new Id();

    private final ActorSystem.Settings settings;

    private MorpheusExtension(ExtendedActorSystem system) {
        this.settings = system.settings();
        system.registerOnTermination(this::closeAll);
    }

    public static MorpheusExtension get(ActorSystem system) {
        return ID.get(system);
    }

    public static MorpheusExtension get(ClassicActorSystemProvider system) {
        return ID.get(system);
    }

    /** The dispatcher with this id, if it is a Morpheus dispatcher that has been created. */
    public Optional<MorpheusDispatcher> dispatcher(String id) {
        for (DispatcherRegistry.Entry e : DispatcherRegistry.of(settings)) {
            if (e.dispatcher().id().equals(id)) {
                return Optional.of(e.dispatcher());
            }
        }
        return Optional.empty();
    }

    /** A snapshot of the dispatcher's counters, if it exists. */
    public Optional<MorpheusDispatcherStats> stats(String id) {
        return dispatcher(id).map(MorpheusDispatcher::stats);
    }

    /** Snapshots of every Morpheus dispatcher of this system, by id. */
    public Map<String, MorpheusDispatcherStats> allStats() {
        Map<String, MorpheusDispatcherStats> m = new LinkedHashMap<>();
        for (DispatcherRegistry.Entry e : DispatcherRegistry.of(settings)) {
            m.put(e.dispatcher().id(), e.dispatcher().stats());
        }
        return m;
    }

    private void closeAll() {
        for (DispatcherRegistry.Entry e : DispatcherRegistry.remove(settings)) {
            if (e.mbean() != null) {
                e.mbean().unregister();
            }
            e.dispatcher().morpheus().close();
        }
    }

    /** The {@code ExtensionId}; also the {@code ExtensionIdProvider} named in reference.conf. */
    public static final class Id extends AbstractExtensionId<MorpheusExtension> implements ExtensionIdProvider {
        private Id() {}

        @Override
        public MorpheusExtension createExtension(ExtendedActorSystem system) {
            return new MorpheusExtension(system);
        }

        @Override
        public Id lookup() {
            return ID;
        }
    }
}
