package dev.morpheus;

import dev.morpheus.abi.RuntimeMode;
import dev.morpheus.abi.YieldCause;
import dev.morpheus.hint.ScbBinding;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers of one {@link Morpheus} instance: who is registered now, which thread is which
 * worker, and the counters of the workers that have ended (so that totals survive them).
 *
 * <p>The registry holds workers and reads their counters; it does not hand out SCBs
 * ({@link WorkerSlots} does) nor decide anything about hints ({@link HousekeepingTick} does).
 * Dependencies point one way: facade and tick use the registry, the registry uses the worker,
 * the worker knows neither.
 *
 * <p>Thread safety: any thread may add, remove and read; the live set is concurrent, the
 * retired counters are guarded by their own lock.
 */
final class WorkerRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerRegistry.class);
    /** The calling thread's worker, over every instance: a thread is registered with one at a time. */
    private static final ThreadLocal<MorpheusWorker> CURRENT = new ThreadLocal<>();
    /** The yield causes, once: {@code values()} copies its array on every call. */
    private static final YieldCause[] CAUSES = YieldCause.values();

    private final String instanceName;
    private final Set<MorpheusWorker> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong registeredTotal = new AtomicLong();
    /** Guards {@link #retiredYields} and {@link #retiredAnswered}. */
    private final Object retiredLock = new Object();
    private final long[] retiredYields = new long[CAUSES.length];
    private long retiredAnswered;

    WorkerRegistry(String instanceName) {
        this.instanceName = instanceName;
    }

    /** The calling thread's open worker, or {@code null} (a thread-local lookup). */
    static MorpheusWorker current() {
        MorpheusWorker w = CURRENT.get();
        return w == null || w.isClosed() ? null : w;
    }

    /** @throws IllegalStateException if the calling thread has an open worker, of any instance */
    static void requireUnregisteredThread() {
        MorpheusWorker existing = current();
        if (existing != null) {
            throw new IllegalStateException("thread '" + Thread.currentThread().getName() + "' is already registered as "
                    + existing + " with Morpheus " + existing.instanceName());
        }
    }

    /** Adds a worker just created on the calling thread; it becomes that thread's {@link #current()}. */
    void add(MorpheusWorker worker) {
        live.add(worker);
        registeredTotal.incrementAndGet();
        CURRENT.set(worker);
    }

    /**
     * Removes a closing worker and keeps its counters in the totals.
     * @return whether it was registered (false: removed before, nothing done)
     */
    boolean remove(MorpheusWorker worker) {
        if (!live.remove(worker)) {
            return false;
        }
        WorkerMetrics m = worker.metrics();
        synchronized (retiredLock) {
            m.yields().forEach((cause, n) -> retiredYields[cause.ordinal()] += n);
            retiredAnswered += m.hintsAnswered();
        }
        if (CURRENT.get() == worker) {
            CURRENT.remove();
        }
        return true;
    }

    /** The live workers, for iteration (weakly consistent: workers may come and go meanwhile). */
    Iterable<MorpheusWorker> live() {
        return live;
    }

    int size() {
        return live.size();
    }

    /** Registrations so far. */
    long registeredTotal() {
        return registeredTotal.get();
    }

    /** Hints answered so far by every worker, live or ended (racy reads of the live counters). */
    long hintsAnswered() {
        long answered = 0;
        for (MorpheusWorker w : live) {
            answered += w.hintsAnswered();
        }
        synchronized (retiredLock) {
            return answered + retiredAnswered;
        }
    }

    /** Moves the worker bound to {@code old} to {@code fresh} at its next checkpoint (see {@link MorpheusWorker}). */
    void rebind(ScbBinding old, ScbBinding fresh) {
        for (MorpheusWorker w : live) {
            if (w.binding() == old) {
                w.requestRebind(fresh);
                return;
            }
        }
    }

    /** Closes the workers whose threads ended without closing them. */
    void reapDeadThreads() {
        for (MorpheusWorker w : live) {
            if (!w.thread().isAlive()) {
                LOG.debug("Morpheus {}: unregistering {}: its thread ended without closing it", instanceName, w);
                w.close();
            }
        }
    }

    /** Closes every live worker (the instance closes). */
    void closeAll() {
        for (MorpheusWorker w : live) {
            w.close();
        }
    }

    /**
     * The instance's metrics: the workers' counters from here, the rest as given.
     * @param sourceName the active hint source's name
     * @param mode the current runtime mode
     * @param hintsPosted hints posted into the instance's SCBs, each counted once
     * @param modeChanges mode transitions so far
     * @param housekeeperCpuNanos the housekeeping thread's CPU time
     */
    MorpheusMetrics metrics(String sourceName, RuntimeMode mode, long hintsPosted, long modeChanges,
            long housekeeperCpuNanos) {
        List<WorkerMetrics> workers = new ArrayList<>();
        Map<YieldCause, Long> yields = new EnumMap<>(YieldCause.class);
        long answered;
        synchronized (retiredLock) {
            for (YieldCause c : CAUSES) {
                yields.put(c, retiredYields[c.ordinal()]);
            }
            answered = retiredAnswered;
        }
        int unmanaged = 0;
        for (MorpheusWorker w : live) {
            WorkerMetrics m = w.metrics();
            workers.add(m);
            m.yields().forEach((c, n) -> yields.merge(c, n, Long::sum));
            answered += m.hintsAnswered();
            if (!m.managed()) {
                unmanaged++;
            }
        }
        return new MorpheusMetrics(instanceName, sourceName, mode, workers.size(), unmanaged, registeredTotal.get(),
                hintsPosted, answered, yields, modeChanges, housekeeperCpuNanos, workers);
    }
}
