package dev.morpheus.hint;

import java.util.Optional;

/**
 * Creates a hint source by name. Built-in providers are listed in {@link HintSources}; others
 * are found with {@link java.util.ServiceLoader}, so a module can add a source without any
 * change here.
 */
public interface HintSourceProvider {

    /** The name used for {@code hint-source} in configuration. */
    String name();

    /** Preference for {@code hint-source = auto}: the highest available one wins. */
    int autoPriority();

    /** Empty when this source can work here; otherwise why not (logged by {@code auto}). */
    Optional<String> unavailableReason(HintSourceContext context);

    HintSource create(HintSourceContext context) throws HintSourceException;
}
