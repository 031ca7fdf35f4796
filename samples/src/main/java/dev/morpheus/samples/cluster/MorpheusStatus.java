package dev.morpheus.samples.cluster;

import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The Morpheus part of the status line: the hint source {@code auto} chose and the yields by
 * cause of the app dispatcher's Morpheus instance.
 */
final class MorpheusStatus {
    private MorpheusStatus() {
    }

    static String describe(ActorSystem<?> system, String dispatcherPath) {
        return "morpheus=off (" + dispatcherPath + " is a stock dispatcher)";
    }
}
