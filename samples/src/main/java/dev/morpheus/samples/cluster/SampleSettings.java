package dev.morpheus.samples.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;

/**
 * The validated {@code morpheus-sample} block of {@code cluster.conf}. A bad value fails at
 * start-up with a message naming the key, the value and the allowed range.
 *
 * @param appDispatcher path of the dispatcher the sample's actors run on (the Morpheus dispatcher)
 * @param criticalTag   the actor tag that marks the ledger entities critical: the app dispatcher's
 *                      {@code morpheus.critical-tag}, else {@code morpheus.pekko.defaults.critical-tag}
 */
public record SampleSettings(String appDispatcher, String criticalTag, Duration statusInterval,
                             Duration probeInterval, int probeWindow, boolean producerEnabled, int startAfterMembers,
                             Duration producerInterval, int jobsPerTick, int maxInFlight, long iterations,
                             int entities, Duration jobTimeout) {

    public static final String ROOT = "morpheus-sample";

    public static SampleSettings from(Config config) {
        Config c = config.getConfig(ROOT);
        String dispatcher = c.getString("app-dispatcher");
        if (!config.hasPath(dispatcher)) {
            throw new IllegalArgumentException(ROOT + ".app-dispatcher = \"" + dispatcher
                    + "\": no dispatcher configuration at that path");
        }
        String tag = criticalTag(config, dispatcher);
        return new SampleSettings(dispatcher, tag,
                duration(c, "status-interval", Duration.ofMillis(100), Duration.ofHours(1)),
                duration(c, "probe.interval", Duration.ofMillis(1), Duration.ofSeconds(10)),
                (int) number(c, "probe.window", 1, 1_000_000),
                c.getBoolean("producer.enabled"),
                (int) number(c, "producer.start-after-members", 1, 10_000),
                duration(c, "producer.interval", Duration.ofMillis(1), Duration.ofMinutes(1)),
                (int) number(c, "producer.jobs-per-tick", 1, 10_000),
                (int) number(c, "producer.max-in-flight", 1, 1_000_000),
                number(c, "producer.iterations", 0, 10_000_000_000L),
                (int) number(c, "producer.entities", 1, 1_000_000),
                duration(c, "producer.job-timeout", Duration.ofSeconds(1), Duration.ofHours(1)));
    }

    static final String DEFAULT_CRITICAL_TAG = "morpheus.pekko.defaults.critical-tag";

    private static String criticalTag(Config config, String dispatcher) {
        String key = dispatcher + ".morpheus.critical-tag";
        if (!config.hasPath(key)) {
            key = DEFAULT_CRITICAL_TAG;
        }
        String tag = config.hasPath(key) ? config.getString(key) : "morpheus-critical";
        if (tag.isBlank()) {
            throw new IllegalArgumentException(key + " = \"\": must be a non-empty actor tag");
        }
        return tag;
    }

    private static Duration duration(Config c, String key, Duration min, Duration max) {
        Duration d;
        try {
            d = c.getDuration(key);
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw new IllegalArgumentException(ROOT + "." + key + " = " + c.getValue(key).render()
                    + ": must be a duration between " + min + " and " + max, e);
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(ROOT + "." + key + " = " + d + ": must be between " + min + " and " + max);
        }
        return d;
    }

    private static long number(Config c, String key, long min, long max) {
        long v;
        try {
            v = c.getLong(key);
        } catch (ConfigException.WrongType e) {
            throw new IllegalArgumentException(ROOT + "." + key + " = " + c.getValue(key).render()
                    + ": must be an integer between " + min + " and " + max, e);
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(ROOT + "." + key + " = " + v + ": must be between " + min + " and " + max);
        }
        return v;
    }
}
