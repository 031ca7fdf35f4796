package dev.morpheus.pekko;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.morpheus.MorpheusConfigException;

/**
 * The validated {@code morpheus-executor { }} section of a Morpheus dispatcher (see
 * {@link MorpheusExecutor} and {@code reference.conf}). Parallelism is computed the way Pekko
 * sizes its pools: {@code ceil(cores * parallelism-factor)}, bounded by {@code parallelism-min}
 * and {@code parallelism-max}. Every error names the dispatcher, the key, the value and the
 * allowed range.
 *
 * @param parallelism     the most pool threads at once
 * @param keepAliveNanos  how long an idle thread lives before it ends
 * @param cutMaxWaitNanos how long a cut mailbox may wait behind newly woken work
 * @param limitToCpuQuota at most the cgroup CPU quota's worth of threads run at once
 */
record MorpheusExecutorSettings(int parallelism, long keepAliveNanos, long cutMaxWaitNanos, boolean limitToCpuQuota) {
    static final int PARALLELISM_LIMIT = 32_767;
    static final long KEEP_ALIVE_MIN_NS = 1_000_000L;              // 1 ms
    static final long KEEP_ALIVE_MAX_NS = 86_400_000_000_000L;     // 1 day
    static final long CUT_MAX_WAIT_MIN_NS = 100_000L;              // 100 us
    static final long CUT_MAX_WAIT_MAX_NS = 10_000_000_000L;       // 10 s

    private static final String SECTION = MorpheusExecutorConfigurator.MORPHEUS + ".";

    static MorpheusExecutorSettings from(String id, Config c) {
        int min = integer(id, c, "parallelism-min");
        int max = integer(id, c, "parallelism-max");
        if (min > max) {
            throw new MorpheusConfigException(id, SECTION + "parallelism-min", Integer.toString(min),
                    "must not exceed parallelism-max (" + max + ")");
        }
        double factor;
        try {
            factor = c.getDouble("parallelism-factor");
        } catch (ConfigException e) {
            throw new MorpheusConfigException(id, SECTION + "parallelism-factor", render(c, "parallelism-factor"),
                    "must be a number between 0 and 1024");
        }
        if (!(factor > 0) || factor > 1024) {
            throw new MorpheusConfigException(id, SECTION + "parallelism-factor", Double.toString(factor),
                    "must be a number above 0, at most 1024");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int parallelism = (int) Math.min(max, Math.max(min, Math.ceil(cores * factor)));
        long keepAlive = duration(id, c, "keep-alive-time", KEEP_ALIVE_MIN_NS, KEEP_ALIVE_MAX_NS, "1ms - 1d");
        long cutMaxWait = duration(id, c, "cut-max-wait", CUT_MAX_WAIT_MIN_NS, CUT_MAX_WAIT_MAX_NS, "100us - 10s");
        boolean limitToQuota;
        try {
            limitToQuota = c.getBoolean("limit-to-cpu-quota");
        } catch (ConfigException e) {
            throw new MorpheusConfigException(id, SECTION + "limit-to-cpu-quota", render(c, "limit-to-cpu-quota"), "must be on or off");
        }
        return new MorpheusExecutorSettings(parallelism, keepAlive, cutMaxWait, limitToQuota);
    }

    private static int integer(String id, Config c, String key) {
        int v;
        try {
            v = c.getInt(key);
        } catch (ConfigException e) {
            throw new MorpheusConfigException(id, SECTION + key, render(c, key), "must be an integer between 1 and " + PARALLELISM_LIMIT);
        }
        if (v < 1 || v > PARALLELISM_LIMIT) {
            throw new MorpheusConfigException(id, SECTION + key, Integer.toString(v), "must be an integer between 1 and " + PARALLELISM_LIMIT);
        }
        return v;
    }

    private static long duration(String id, Config c, String key, long min, long max, String range) {
        long v;
        try {
            v = c.getDuration(key).toNanos();
        } catch (ConfigException e) {
            throw new MorpheusConfigException(id, SECTION + key, render(c, key), "must be a duration, " + range);
        }
        if (v < min || v > max) {
            throw new MorpheusConfigException(id, SECTION + key, render(c, key), "must be a duration, " + range);
        }
        return v;
    }

    private static String render(Config c, String key) {
        return c.hasPath(key) ? String.valueOf(c.getValue(key).unwrapped()) : "(missing)";
    }
}
