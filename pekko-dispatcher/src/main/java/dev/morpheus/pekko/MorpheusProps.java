package dev.morpheus.pekko;

import java.util.Set;
import org.apache.pekko.actor.Props;
import scala.jdk.javaapi.CollectionConverters;

/** Helpers for classic {@link Props} on Morpheus dispatchers, for Java callers. */
public final class MorpheusProps {
    /** The default critical tag ({@code morpheus.critical-tag} in reference.conf). */
    public static final String DEFAULT_CRITICAL_TAG = "morpheus-critical";

    private MorpheusProps() {}

    /** Tags {@code props} critical with the default tag name (keeping its other tags). */
    public static Props critical(Props props) {
        return critical(props, DEFAULT_CRITICAL_TAG);
    }

    /** Tags {@code props} critical with {@code tag} (the dispatcher's {@code morpheus.critical-tag}). */
    public static Props critical(Props props, String tag) {
        java.util.Set<String> tags = new java.util.HashSet<>(CollectionConverters.asJava(props.deploy().tags()));
        tags.add(tag);
        return props.withActorTags(CollectionConverters.asScala(Set.copyOf(tags)).toSet());
    }
}
