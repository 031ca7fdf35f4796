package dev.morpheus.pekko;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.morpheus.MorpheusConfigException;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import org.apache.pekko.dispatch.DispatcherPrerequisites;
import org.apache.pekko.dispatch.ExecutorServiceConfigurator;
import org.apache.pekko.dispatch.ExecutorServiceFactory;
import org.apache.pekko.dispatch.ForkJoinExecutorConfigurator;
import org.apache.pekko.dispatch.ThreadPoolExecutorConfigurator;

/**
 * The executor of a Morpheus dispatcher: {@link MorpheusExecutor} (the default), or one of
 * Pekko's own executors configured by Pekko's own configurator with the usual keys; each built
 * with {@link DispatcherThreadFactory} so that every pool thread is a registered Morpheus worker for
 * as long as it lives.
 *
 * <ul>
 *   <li>{@code morpheus-executor} (the default): work-stealing lanes, newly woken mailboxes
 *       before cut ones, wake-up preemption at message boundaries ({@link MorpheusExecutor});
 *       keys {@code parallelism-min}, {@code parallelism-factor}, {@code parallelism-max},
 *       {@code keep-alive-time}, {@code cut-max-wait}.</li>
 *   <li>{@code thread-pool-executor}: Pekko's {@code ThreadPoolExecutorConfigurator}
 *       ({@code fixed-pool-size}, {@code core-pool-size-*}, {@code max-pool-size-*},
 *       {@code keep-alive-time}, {@code allow-core-timeout}, {@code task-queue-size},
 *       {@code task-queue-type}); threads are {@link DispatcherPoolThread}s. One FIFO queue: a
 *       mailbox whose batch a hint cut goes behind the work already waiting, so a yield hands
 *       the thread to the next actor in line.</li>
 *   <li>{@code fork-join-executor}: Pekko's {@code ForkJoinExecutorConfigurator} (parallelism,
 *       maximum-pool-size, task-peeking-mode, minimum-runnable); threads are
 *       {@link DispatcherForkJoinThread}s. Highest message throughput, but a mailbox re-submitted
 *       from a pool thread goes to that thread's local queue, which it drains before the shared
 *       submission queue: a cut does not hand the thread to another actor.</li>
 * </ul>
 * Other executors are rejected: their threads could not be registered and unregistered with the
 * pool's own lifecycle (affinity pool: internal; virtual threads: no kernel thread of their own).
 */
final class MorpheusExecutorConfigurator extends ExecutorServiceConfigurator {
    static final String MORPHEUS = "morpheus-executor";
    static final String THREAD_POOL = "thread-pool-executor";
    static final String FORK_JOIN = "fork-join-executor";
    static final String DEFAULT_EXECUTOR = "default-executor";
    static final String POOL_DEFAULTS = "morpheus.pekko.pool-defaults";

    /** Pekko's configurator for its own executors; null for {@value #MORPHEUS}. */
    private final ExecutorServiceConfigurator delegate;
    private final MorpheusExecutorSettings own;
    private final DispatcherContext runtime;

    /** @param poolConfig the dispatcher's configuration with the Morpheus pool defaults applied */
    MorpheusExecutorConfigurator(Config poolConfig, DispatcherPrerequisites prerequisites, DispatcherContext runtime) {
        super(poolConfig, prerequisites);
        String id = runtime.settings.dispatcherId();
        String kind = validate(id, poolConfig);
        this.own = MORPHEUS.equals(kind) ? MorpheusExecutorSettings.from(id, poolConfig.getConfig(MORPHEUS)) : null;
        this.delegate = switch (kind) {
            case THREAD_POOL -> new ThreadPoolExecutorConfigurator(poolConfig.getConfig(THREAD_POOL), prerequisites);
            case FORK_JOIN -> new ForkJoinExecutorConfigurator(poolConfig.getConfig(FORK_JOIN), prerequisites);
            default -> null;
        };
        this.runtime = runtime;
        runtime.executor = kind;
    }

    /**
     * The dispatcher's configuration as the executor sees it: the keys of the dispatcher's own
     * section, then {@value #POOL_DEFAULTS} (Morpheus' pool defaults: thread-pool-executor sized to
     * the machine's cores), then what Pekko gave the configurator (its default-dispatcher keys).
     * {@code executor = default-executor}, Pekko's default setting, means the pool defaults'
     * executor. A dispatcher registered in code without a section of its own gets Pekko's pool
     * keys, and the pool defaults' executor unless it names one.
     */
    static Config poolConfig(String id, Config pekkosView, Config appConfig) {
        Config dispatcherConfig = pekkosView.root().toConfig(); // Pekko hands a CachingConfig, not mergeable
        Config defaults = appConfig.hasPath(POOL_DEFAULTS) ? appConfig.getConfig(POOL_DEFAULTS) : ConfigFactory.empty();
        Config own = dispatcherConfig;
        try {
            if (appConfig.hasPath(id)) {
                own = appConfig.getConfig(id);
            }
        } catch (ConfigException e) {
            // an id that is no config path, or not an object: only Pekko's view exists
        }
        Config merged = own.withFallback(defaults).withFallback(dispatcherConfig);
        String executor = merged.getString("executor");
        if (DEFAULT_EXECUTOR.equals(executor) || executor.isEmpty()) {
            String dflt = defaults.hasPath("executor") ? defaults.getString("executor") : MORPHEUS;
            merged = ConfigFactory.parseMap(Map.of("executor", dflt)).withFallback(merged);
        }
        return merged;
    }

    /**
     * The executor kind the dispatcher will use ({@value #MORPHEUS}, {@value #THREAD_POOL} or {@value #FORK_JOIN});
     * rejects others and bad pool keys, naming the dispatcher, key, value and allowed values.
     * @param poolConfig the result of {@link #poolConfig}
     */
    static String validate(String id, Config poolConfig) {
        String executor = poolConfig.getString("executor");
        switch (executor) {
            case MORPHEUS -> MorpheusExecutorSettings.from(id, poolConfig.getConfig(MORPHEUS));
            case THREAD_POOL -> validateThreadPool(id, poolConfig.getConfig(THREAD_POOL));
            case FORK_JOIN -> {
                Config fj = poolConfig.getConfig(FORK_JOIN);
                if (fj.hasPath("virtualize") && fj.getBoolean("virtualize")) {
                    throw new MorpheusConfigException(id, FORK_JOIN + ".virtualize", "on",
                            "must be off: virtual threads have no kernel thread of their own to receive hints");
                }
            }
            default -> throw new MorpheusConfigException(id, "executor", executor,
                    "must be morpheus-executor (the default), thread-pool-executor or fork-join-executor: "
                            + "Morpheus registers the pool's threads as workers");
        }
        return executor;
    }

    private static void validateThreadPool(String id, Config tp) {
        String fixed = tp.getString("fixed-pool-size");
        if (!"off".equals(fixed)) {
            int n;
            try {
                n = Integer.parseInt(fixed.trim());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1) {
                throw new MorpheusConfigException(id, THREAD_POOL + ".fixed-pool-size", fixed,
                        "must be off or an integer of at least 1");
            }
        }
        String queueType = tp.getString("task-queue-type");
        if (!queueType.isEmpty() && !"linked".equals(queueType) && !"array".equals(queueType)) {
            throw new MorpheusConfigException(id, THREAD_POOL + ".task-queue-type", queueType, "must be linked or array");
        }
        for (String key : new String[] {"core-pool-size-min", "core-pool-size-max", "max-pool-size-min", "max-pool-size-max"}) {
            int v;
            try {
                v = tp.getInt(key);
            } catch (ConfigException e) {
                throw new MorpheusConfigException(id, THREAD_POOL + "." + key, String.valueOf(tp.getValue(key).unwrapped()),
                        "must be an integer of at least 1");
            }
            if (v < 1) {
                throw new MorpheusConfigException(id, THREAD_POOL + "." + key, Integer.toString(v), "must be an integer of at least 1");
            }
        }
    }

    @Override
    public ExecutorServiceFactory createExecutorServiceFactory(String id, ThreadFactory threadFactory) {
        DispatcherThreadFactory threads = new DispatcherThreadFactory(runtime, id, threadFactory);
        ExecutorServiceFactory factory = own != null
                ? () -> new MorpheusExecutor(id, own.parallelism(), own.keepAliveNanos(), own.cutMaxWaitNanos(),
                        own.limitToCpuQuota() ? CgroupCpuQuota::cpus : null, threads)
                : delegate.createExecutorServiceFactory(id, threads);
        return () -> {
            ExecutorService es = factory.createExecutorService();
            runtime.poolCreated(es);
            return es;
        };
    }
}
