package dev.morpheus.pekko;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.dispatch.MonitorableThreadFactory;

/**
 * Creates a Morpheus dispatcher's pool threads, fork-join ({@link DispatcherForkJoinThread}) or
 * thread-pool ({@link DispatcherPoolThread}), keeping what
 * Pekko's own factory gives its threads: the name ({@code <system>-<dispatcher id>-<n>}), daemon
 * flag, context class loader and uncaught-exception handler.
 */
final class DispatcherThreadFactory implements ForkJoinPool.ForkJoinWorkerThreadFactory, ThreadFactory {
    private final DispatcherContext runtime;
    private final String prefix;
    private final boolean daemon;
    private final ClassLoader contextClassLoader;
    private final Thread.UncaughtExceptionHandler handler;
    private final AtomicLong counter = new AtomicLong();

    DispatcherThreadFactory(DispatcherContext runtime, String id, ThreadFactory pekkos) {
        this.runtime = runtime;
        if (pekkos instanceof MonitorableThreadFactory m) {
            this.prefix = m.name() + "-" + id;
            this.daemon = m.daemonic();
            this.contextClassLoader = m.contextClassLoader().isDefined() ? m.contextClassLoader().get() : null;
            this.handler = m.exceptionHandler();
        } else {
            this.prefix = id;
            this.daemon = true;
            this.contextClassLoader = null;
            this.handler = null;
        }
    }

    @Override
    public ForkJoinWorkerThread newThread(ForkJoinPool pool) {
        DispatcherForkJoinThread t = new DispatcherForkJoinThread(pool, runtime);
        t.setName(prefix + "-" + counter.incrementAndGet());
        wire(t);
        return t;
    }

    /** A thread-pool-executor thread: registers as a Morpheus worker while its pool loop runs. */
    @Override
    public Thread newThread(Runnable poolWorker) {
        return wire(new DispatcherPoolThread(poolWorker, prefix + "-" + counter.incrementAndGet(), runtime));
    }

    private Thread wire(Thread t) {
        t.setDaemon(daemon);
        if (handler != null) {
            t.setUncaughtExceptionHandler(handler);
        }
        if (contextClassLoader != null) {
            t.setContextClassLoader(contextClassLoader);
        }
        return t;
    }
}
