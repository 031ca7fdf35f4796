package dev.morpheus.samples.bench;

import org.slf4j.LoggerFactory;

/** Keeps library logging (Morpheus, Pekko) below the progress bar: warnings only. */
final class Logging {
    private Logging() {}

    static void quiet() {
        Object root = LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }
}
