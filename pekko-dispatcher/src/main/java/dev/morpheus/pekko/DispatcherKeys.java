package dev.morpheus.pekko;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import dev.morpheus.MorpheusConfigException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The keys a Morpheus dispatcher's own configuration section may have, and the "did you mean"
 * of a key that is not one of them.
 *
 * <p>Pekko merges every dispatcher section with {@code pekko.actor.default-dispatcher}, so a
 * misspelt key ({@code morpheos { ... }}) would simply be ignored and the dispatcher would run on
 * defaults. This checks the section as the user wrote it: its keys must be Pekko's dispatcher keys
 * (those of {@code pekko.actor.default-dispatcher}, read from the running Pekko, so a newer Pekko's
 * keys are known) or Morpheus's ({@code morpheus}, {@code morpheus-executor}). Pekko's
 * {@code throughput} is refused: a Morpheus dispatcher bounds its batches by
 * {@code morpheus.max-batch}, and a {@code throughput} there would silently do nothing.
 */
final class DispatcherKeys {
    static final String PEKKO_DEFAULTS = "pekko.actor.default-dispatcher";
    static final List<String> MORPHEUS_KEYS = List.of("type", "id", MorpheusDispatcherSettings.SECTION,
            "morpheus-executor");
    static final String THROUGHPUT = "throughput";

    private DispatcherKeys() {}

    /**
     * Checks the top-level keys of the dispatcher's section as written ({@code own}; empty when
     * the dispatcher was not configured under its id).
     * @throws MorpheusConfigException naming the first unknown key, with the nearest valid one
     */
    static void check(String dispatcherId, Config own, Config system) {
        TreeSet<String> valid = new TreeSet<>(MORPHEUS_KEYS);
        if (system.hasPath(PEKKO_DEFAULTS)) {
            valid.addAll(system.getConfig(PEKKO_DEFAULTS).root().keySet());
        }
        valid.remove(THROUGHPUT);
        for (Map.Entry<String, ConfigValue> e : own.root().entrySet()) {
            String key = e.getKey();
            if (key.equals(THROUGHPUT)) {
                throw new MorpheusConfigException(dispatcherId, key, render(e.getValue()),
                        "is not used by a Morpheus dispatcher: its batch bound is morpheus.max-batch "
                        + "(integer 1 - " + MorpheusDispatcherSettings.MAX_BATCH_LIMIT + ")");
            }
            if (!valid.contains(key)) {
                throw new MorpheusConfigException(dispatcherId, key, render(e.getValue()),
                        "is not a setting of a Morpheus dispatcher" + didYouMean(key, valid) + "; valid keys: " + valid);
            }
        }
    }

    /** {@code "; did you mean X"} for the valid key nearest to {@code key} (edit distance), or "". */
    static String didYouMean(String key, Collection<String> valid) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String v : valid) {
            int d = distance(key, v);
            if (d < bestDistance) {
                bestDistance = d;
                best = v;
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 3) ? "; did you mean " + best + "?" : "";
    }

    private static String render(ConfigValue v) {
        String r = v.render(com.typesafe.config.ConfigRenderOptions.concise());
        return r.length() > 60 ? r.substring(0, 57) + "..." : r;
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
