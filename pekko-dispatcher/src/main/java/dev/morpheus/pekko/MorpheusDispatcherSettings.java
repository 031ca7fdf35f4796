package dev.morpheus.pekko;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import dev.morpheus.MorpheusConfig;
import dev.morpheus.MorpheusConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validated {@code morpheus { }} section of one Morpheus dispatcher: the dispatcher's own
 * keys ({@code max-batch}, {@code critical-tag}, {@code jmx}) plus the {@link MorpheusConfig}
 * keys of its Morpheus instance. Values missing from the dispatcher's section come from
 * {@code morpheus.pekko.defaults} in {@code reference.conf}. Every error names the dispatcher
 * id, the key, the value and the allowed range.
 */
public final class MorpheusDispatcherSettings {
    public static final String SECTION = "morpheus";
    public static final String DEFAULTS_PATH = "morpheus.pekko.defaults";

    public static final String MAX_BATCH = "max-batch";
    public static final String CRITICAL_TAG = "critical-tag";
    public static final String JMX = "jmx";

    /** The dispatcher's own keys (the rest go to {@link MorpheusConfig}). */
    public static final List<String> DISPATCHER_KEYS = List.of(MAX_BATCH, CRITICAL_TAG, JMX);

    static final int MAX_BATCH_LIMIT = 1_000_000;

    /** The housekeeping period with {@code hint-source = none}, unless the dispatcher sets one. */
    static final String NONE_SAMPLE_INTERVAL = "100ms";

    private final String dispatcherId;
    private final int maxBatch;
    private final String criticalTag;
    private final boolean jmx;
    private final MorpheusConfig morpheus;

    private MorpheusDispatcherSettings(String dispatcherId, int maxBatch, String criticalTag, boolean jmx,
                                       MorpheusConfig morpheus) {
        this.dispatcherId = dispatcherId;
        this.maxBatch = maxBatch;
        this.criticalTag = criticalTag;
        this.jmx = jmx;
        this.morpheus = morpheus;
    }

    /**
     * Reads a dispatcher's settings.
     * @param dispatcherId  names the dispatcher in error messages
     * @param section       the dispatcher's {@code morpheus} section (may be empty)
     * @param defaults      {@code morpheus.pekko.defaults}
     * @throws MorpheusConfigException on an unknown key or a bad value
     */
    public static MorpheusDispatcherSettings from(String dispatcherId, Config section, Config defaults) {
        List<String> valid = new ArrayList<>(DISPATCHER_KEYS);
        valid.addAll(MorpheusConfig.KEYS);
        for (Map.Entry<String, ConfigValue> e : section.root().entrySet()) {
            if (!valid.contains(e.getKey())) {
                throw new MorpheusConfigException(dispatcherId, SECTION + "." + e.getKey(),
                        String.valueOf(e.getValue().unwrapped()), "is not a Morpheus dispatcher setting"
                        + DispatcherKeys.didYouMean(e.getKey(), valid) + "; valid keys: " + valid);
            }
        }
        Config c = section.withFallback(defaults);
        Map<String, String> morpheusKeys = new LinkedHashMap<>();
        for (String key : MorpheusConfig.KEYS) {
            if (c.hasPath(key)) {
                morpheusKeys.put(key, string(dispatcherId, c, key));
            }
        }
        if ("none".equalsIgnoreCase(morpheusKeys.getOrDefault(MorpheusConfig.HINT_SOURCE, "").trim())
                && !section.hasPath(MorpheusConfig.SAMPLE_INTERVAL)) {
            // Nothing to sample: the housekeeper only reaps dead threads, so it need not wake every ms.
            morpheusKeys.put(MorpheusConfig.SAMPLE_INTERVAL, NONE_SAMPLE_INTERVAL);
        }
        MorpheusConfig mc;
        try {
            mc = MorpheusConfig.fromMap(dispatcherId, morpheusKeys);
        } catch (MorpheusConfigException e) {
            throw inSection(dispatcherId, e);
        }

        String batch = string(dispatcherId, c, MAX_BATCH);
        int maxBatch;
        try {
            maxBatch = Integer.parseInt(batch.trim());
        } catch (NumberFormatException e) {
            maxBatch = -1;
        }
        if (maxBatch < 1 || maxBatch > MAX_BATCH_LIMIT) {
            throw new MorpheusConfigException(dispatcherId, SECTION + "." + MAX_BATCH, batch,
                    "must be an integer between 1 and " + MAX_BATCH_LIMIT);
        }
        String tag = string(dispatcherId, c, CRITICAL_TAG).trim();
        if (tag.isEmpty()) {
            throw new MorpheusConfigException(dispatcherId, SECTION + "." + CRITICAL_TAG, "\"\"",
                    "must be a non-empty actor tag name");
        }
        String jmxValue = string(dispatcherId, c, JMX).trim();
        boolean jmx = switch (jmxValue.toLowerCase(java.util.Locale.ROOT)) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw new MorpheusConfigException(dispatcherId, SECTION + "." + JMX, jmxValue, "must be on or off");
        };
        return new MorpheusDispatcherSettings(dispatcherId, maxBatch, tag, jmx, mc);
    }

    /** Settings built in code (tests, programmatic setups). */
    public static MorpheusDispatcherSettings of(String dispatcherId, int maxBatch, String criticalTag, boolean jmx,
                                                MorpheusConfig morpheus) {
        if (maxBatch < 1 || maxBatch > MAX_BATCH_LIMIT) {
            throw new MorpheusConfigException(dispatcherId, SECTION + "." + MAX_BATCH, Integer.toString(maxBatch),
                    "must be an integer between 1 and " + MAX_BATCH_LIMIT);
        }
        return new MorpheusDispatcherSettings(dispatcherId, maxBatch, criticalTag, jmx, morpheus);
    }

    /** Re-states an error of a Morpheus key with its path in the dispatcher section ({@code morpheus.slice}). */
    private static MorpheusConfigException inSection(String dispatcherId, MorpheusConfigException e) {
        String prefix = dispatcherId + ": " + e.key() + " = " + e.value() + " ";
        String msg = e.getMessage();
        String allowed = msg.startsWith(prefix) ? msg.substring(prefix.length()) : msg;
        if (allowed.startsWith("is invalid: ")) {
            allowed = allowed.substring("is invalid: ".length());
        }
        // not chained to e: the user would read the same message twice
        return new MorpheusConfigException(dispatcherId, SECTION + "." + e.key(), e.value(), allowed);
    }

    private static String string(String dispatcherId, Config c, String key) {
        try {
            ConfigValue v = c.getValue(key);
            Object raw = v.unwrapped();
            if (raw instanceof Map || raw instanceof List) {
                throw new MorpheusConfigException(dispatcherId, SECTION + "." + key, v.render(), "must be a single value");
            }
            return String.valueOf(raw);
        } catch (ConfigException.Missing e) {
            throw new MorpheusConfigException(dispatcherId, SECTION + "." + key, "(missing)",
                    "must be set (reference.conf provides a default: is it on the class path?)");
        }
    }

    public String dispatcherId() {
        return dispatcherId;
    }

    /** Messages an actor may process per batch when no hint arrives (Pekko's {@code throughput}). */
    public int maxBatch() {
        return maxBatch;
    }

    /** The actor tag that marks an actor critical ({@code ActorTags} / {@code Props.withActorTags}). */
    public String criticalTag() {
        return criticalTag;
    }

    /** Whether the dispatcher registers a JMX MBean. */
    public boolean jmx() {
        return jmx;
    }

    /** The settings of the dispatcher's Morpheus instance. */
    public MorpheusConfig morpheus() {
        return morpheus;
    }

    @Override
    public String toString() {
        return "MorpheusDispatcherSettings[" + dispatcherId + ", max-batch " + maxBatch + ", critical-tag " + criticalTag
                + ", jmx " + jmx + ", " + morpheus + "]";
    }
}
