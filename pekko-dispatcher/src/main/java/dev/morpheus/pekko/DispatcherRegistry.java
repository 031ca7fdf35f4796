package dev.morpheus.pekko;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.ActorSystem;

/**
 * The Morpheus dispatchers created by each actor system, keyed by the system's
 * {@link ActorSystem.Settings} (the one object a dispatcher configurator and the system share).
 * {@link MorpheusExtension} reads it and, when the system terminates, closes them.
 */
final class DispatcherRegistry {
    record Entry(MorpheusDispatcher dispatcher, DispatcherJmx mbean) {}

    private static final Map<ActorSystem.Settings, List<Entry>> BY_SYSTEM = new IdentityHashMap<>();

    private DispatcherRegistry() {}

    static synchronized void add(ActorSystem.Settings system, Entry e) {
        BY_SYSTEM.computeIfAbsent(system, k -> new ArrayList<>()).add(e);
    }

    static synchronized List<Entry> of(ActorSystem.Settings system) {
        return List.copyOf(BY_SYSTEM.getOrDefault(system, List.of()));
    }

    static synchronized List<Entry> remove(ActorSystem.Settings system) {
        List<Entry> l = BY_SYSTEM.remove(system);
        return l == null ? List.of() : l;
    }
}
