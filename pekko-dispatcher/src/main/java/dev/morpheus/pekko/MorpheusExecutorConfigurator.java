package dev.morpheus.pekko;

import com.typesafe.config.Config;
import dev.morpheus.MorpheusConfigException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadFactory;
import org.apache.pekko.dispatch.DispatcherPrerequisites;
import org.apache.pekko.dispatch.ExecutorServiceConfigurator;
import org.apache.pekko.dispatch.ExecutorServiceFactory;
import org.apache.pekko.dispatch.ForkJoinExecutorConfigurator;

/**
 * The executor of a Morpheus dispatcher: Pekko's own fork-join executor (same
 * {@code fork-join-executor} settings: parallelism, maximum-pool-size, task-peeking-mode,
 * minimum-runnable), built with {@link MorpheusThreadFactory} so that every pool thread is a
 * registered Morpheus worker. Other executors are rejected: their threads could not be
 * registered and unregistered with the pool's own lifecycle.
 */
final class MorpheusExecutorConfigurator extends ExecutorServiceConfigurator {
    private final ForkJoinExecutorConfigurator forkJoin;
    private final DispatcherRuntime runtime;

    MorpheusExecutorConfigurator(Config dispatcherConfig, DispatcherPrerequisites prerequisites, DispatcherRuntime runtime) {
        super(dispatcherConfig, prerequisites);
        validate(runtime.settings.dispatcherId(), dispatcherConfig);
        this.forkJoin = new ForkJoinExecutorConfigurator(dispatcherConfig.getConfig("fork-join-executor"), prerequisites);
        this.runtime = runtime;
    }

    /** Rejects executors whose threads Morpheus cannot register (naming the dispatcher, key and allowed values). */
    static void validate(String id, Config dispatcherConfig) {
        String executor = dispatcherConfig.getString("executor");
        if ("default-executor".equals(executor)) {
            executor = dispatcherConfig.getString("default-executor.fallback");
        }
        if (!"fork-join-executor".equals(executor)) {
            throw new MorpheusConfigException(id, "executor", executor,
                    "must be fork-join-executor (or default-executor with fallback fork-join-executor): "
                            + "Morpheus registers the fork-join pool's threads as workers");
        }
        Config fj = dispatcherConfig.getConfig("fork-join-executor");
        if (fj.hasPath("virtualize") && fj.getBoolean("virtualize")) {
            throw new MorpheusConfigException(id, "fork-join-executor.virtualize", "on",
                    "must be off: virtual threads have no kernel thread of their own to receive hints");
        }
    }

    @Override
    public ExecutorServiceFactory createExecutorServiceFactory(String id, ThreadFactory threadFactory) {
        ExecutorServiceFactory delegate = forkJoin.createExecutorServiceFactory(id,
                new MorpheusThreadFactory(runtime, id, threadFactory));
        return () -> {
            ExecutorService es = delegate.createExecutorService();
            if (es instanceof ForkJoinPool p) {
                runtime.poolCreated(p);
            }
            return es;
        };
    }
}
