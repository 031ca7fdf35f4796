package dev.morpheus;

import dev.morpheus.abi.HintReason;
import dev.morpheus.abi.RuntimeMode;
import dev.morpheus.abi.ScbAccess;
import dev.morpheus.abi.WorkerState;
import dev.morpheus.abi.YieldCause;
import dev.morpheus.hint.HintSource;
import dev.morpheus.hint.HintSourceContext;
import dev.morpheus.hint.HintSourceException;
import dev.morpheus.hint.HintSources;
import dev.morpheus.hint.LocalScbPool;
import dev.morpheus.hint.QueuePressure;
import dev.morpheus.hint.ScbBinding;
import dev.morpheus.jfr.MorpheusEvents;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kernel-guided cooperative scheduling for one group of worker threads: the entry point.
 *
 * <pre>
 *   try (Morpheus morpheus = Morpheus.open(MorpheusConfig.defaults())) {
 *       MorpheusWorker me = morpheus.registerCurrentThread("worker-1");
 *       while (running) {
 *           doSomeWork();
 *           me.checkpointAndYield();          // yields only when a hint asks for it
 *           try (CriticalSection cs = me.critical()) {
 *               holdALock();                  // never cut, never force-preempted
 *           }
 *       }
 *       me.close();
 *   }
 * </pre>
 *
 * <p>An instance owns one hint source (chosen by {@code hint-source}, {@code auto} by default),
 * the workers registered with it, and one housekeeping thread that samples, decides the runtime
 * mode and reaps workers whose threads died. Threads register at any time, from any number of
 * threads; a thread may be registered with one instance at a time. When the source has no slot
 * for a worker (quota, more threads than slots), the worker runs on a fallback slot without
 * hints and the instance logs a warning: nothing fails.
 */
public final class Morpheus implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Morpheus.class);
    private static final ThreadLocal<MorpheusWorker> CURRENT = new ThreadLocal<>();
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final String name;
    private final MorpheusConfig config;
    private final Context context;
    private final HintSource source;
    private final LocalScbPool fallback;
    private final Set<MorpheusWorker> workers = ConcurrentHashMap.newKeySet();
    private final List<LongSupplier> pendingWorkGauges = new CopyOnWriteArrayList<>();
    private final ModeTracker modes;
    /** In-process queue pressure beside a source that cannot see it (null when not needed). */
    private final QueuePressure queuePressure;
    /**
     * Hints this instance posted itself (queue pressure beside the source, defensive hints),
     * each told to the source ({@link HintSource#hintPostedByRuntime}) so that it is counted
     * here and nowhere else: hints posted = this + the source's own.
     */
    private final AtomicLong runtimeHintsPosted = new AtomicLong();
    private final Housekeeper housekeeper;
    private final TickCadence cadence;
    /** Up while the housekeeper dozes (nothing ran at its last tick): the first run to start wakes it. */
    private volatile boolean housekeeperDozing;
    private final long[] retiredYields = new long[YieldCause.values().length];
    private final AtomicLong registeredTotal = new AtomicLong();
    private long retiredAnswered;
    private volatile boolean closed;
    private boolean warnedFallback;

    private Morpheus(String name, MorpheusConfig config) throws HintSourceException {
        // JFR event classes are initialized and registered here, on the opening thread, before
        // this instance starts a thread: never on a worker's or the housekeeper's emit path.
        MorpheusEvents.register();
        this.name = name;
        this.config = config;
        // Fallback slots serve workers no source can take; bounded only by the hard limit.
        this.fallback = new LocalScbPool(MorpheusConfig.MAX_WORKERS_LIMIT, config.sliceNanos(), config.graceNanos());
        this.context = new Context();
        this.source = HintSources.create(context);
        this.modes = new ModeTracker(name, source.name(), config.modeWindowNanos());
        this.queuePressure = config.queueHints() && !source.observesQueuePressure()
                ? new QueuePressure(source::hintPostedByRuntime) : null;
        this.cadence = new TickCadence(config.sampleIntervalNanos(), config.sliceNanos());
        this.housekeeper = new Housekeeper(this, config.sampleIntervalNanos());
        housekeeper.start();
    }

    /** Opens an instance with default settings ({@code hint-source = auto}). */
    public static Morpheus open() {
        return open(MorpheusConfig.defaults());
    }

    public static Morpheus open(MorpheusConfig config) {
        return open("morpheus-" + INSTANCES.incrementAndGet(), config);
    }

    /**
     * Opens an instance.
     * @param name names the instance in logs, metrics and JFR events (for example a dispatcher id)
     * @throws IllegalStateException when the configured hint source cannot be created
     */
    public static Morpheus open(String name, MorpheusConfig config) {
        try {
            return new Morpheus(name, config);
        } catch (HintSourceException e) {
            throw new IllegalStateException("Morpheus " + name + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ workers

    /** Registers the calling thread under its own name. */
    public MorpheusWorker registerCurrentThread() {
        return registerCurrentThread(Thread.currentThread().getName());
    }

    /**
     * Registers the calling thread as a worker: it gets an SCB from the hint source (or a
     * fallback slot) and becomes {@link #currentWorker()} for this thread.
     * @throws IllegalStateException if the thread is already registered, or the instance is closed
     */
    public MorpheusWorker registerCurrentThread(String workerName) {
        if (closed) {
            throw new IllegalStateException("Morpheus " + name + " is closed");
        }
        MorpheusWorker existing = CURRENT.get();
        if (existing != null && !existing.isClosed()) {
            throw new IllegalStateException("thread '" + Thread.currentThread().getName() + "' is already registered as "
                    + existing + " with Morpheus " + existing.morpheus().name());
        }
        int tid = Tids.currentTid();
        ScbBinding binding;
        try {
            binding = source.bind(tid, workerName, config.escapable());
        } catch (HintSourceException e) {
            binding = fallbackBinding(tid, workerName, e);
        }
        MorpheusWorker worker = new MorpheusWorker(this, Thread.currentThread(), workerName, tid, binding);
        workers.add(worker);
        registeredTotal.incrementAndGet();
        CURRENT.set(worker);
        runStarted(); // a new worker is RUNNING: an idle housekeeper samples again
        return worker;
    }

    private ScbBinding fallbackBinding(int tid, String workerName, HintSourceException why) {
        synchronized (fallback) {
            if (!warnedFallback) {
                warnedFallback = true;
                LOG.warn("Morpheus {}: worker '{}' runs without hints from {}: {} (further such workers are counted, not logged)",
                        name, workerName, source.name(), why.getMessage());
            }
        }
        try {
            return fallback.claim(tid, config.escapable(), false);
        } catch (HintSourceException e) {
            throw new IllegalStateException("Morpheus " + name + ": cannot register worker '" + workerName + "': "
                    + e.getMessage(), e);
        }
    }

    void unregister(MorpheusWorker worker) {
        if (!workers.remove(worker)) {
            return;
        }
        WorkerMetrics m = worker.metrics();
        synchronized (retiredYields) {
            m.yields().forEach((cause, n) -> retiredYields[cause.ordinal()] += n);
            retiredAnswered += m.hintsAnswered();
        }
        ScbBinding b = worker.binding();
        if (b.managed()) {
            source.unbind(b);
        } else {
            fallback.release(b);
        }
        if (CURRENT.get() == worker) {
            CURRENT.remove();
        }
    }

    /** The calling thread's worker, or {@code null} if it is not registered (a thread-local lookup). */
    public static MorpheusWorker currentWorker() {
        MorpheusWorker w = CURRENT.get();
        return w == null || w.isClosed() ? null : w;
    }

    /**
     * Enters a critical section on the calling thread's worker (see {@link MorpheusWorker#critical()});
     * on a thread that is not a worker, returns a scope that does nothing.
     */
    public static CriticalSection critical() {
        MorpheusWorker w = currentWorker();
        return w == null ? CriticalSection.NONE : w.critical();
    }

    /** Runs {@code body} inside a critical section of the calling thread's worker. */
    public static void critical(Runnable body) {
        try (CriticalSection cs = critical()) {
            body.run();
        }
    }

    // ------------------------------------------------------------------ state and metrics

    public String name() {
        return name;
    }

    public MorpheusConfig config() {
        return config;
    }

    /** The active hint source's name (kernel, procfs, queue, manual, none). */
    public String hintSourceName() {
        return source.name();
    }

    /** The active hint source, for tools and tests (for example a {@code ManualHintSource}). */
    public HintSource hintSource() {
        return source;
    }

    public RuntimeMode mode() {
        return modes.mode();
    }

    /** Called on the housekeeping thread after every mode change. */
    public void addModeListener(Consumer<RuntimeMode> listener) {
        modes.addListener(listener);
    }

    /**
     * Adds a gauge of work waiting for a worker thread (for example a dispatcher's executor
     * queue length); the queue hint source reads their sum.
     */
    public void addPendingWorkGauge(LongSupplier gauge) {
        pendingWorkGauges.add(gauge);
    }

    public void removePendingWorkGauge(LongSupplier gauge) {
        pendingWorkGauges.remove(gauge);
    }

    /** Workers registered now. */
    public int liveWorkers() {
        return workers.size();
    }

    public MorpheusMetrics metrics() {
        List<WorkerMetrics> live = new ArrayList<>();
        Map<YieldCause, Long> yields = new EnumMap<>(YieldCause.class);
        long answered;
        synchronized (retiredYields) {
            for (YieldCause c : YieldCause.values()) {
                yields.put(c, retiredYields[c.ordinal()]);
            }
            answered = retiredAnswered;
        }
        int unmanaged = 0;
        for (MorpheusWorker w : workers) {
            WorkerMetrics m = w.metrics();
            live.add(m);
            m.yields().forEach((c, n) -> yields.merge(c, n, Long::sum));
            answered += m.hintsAnswered();
            if (!m.managed()) {
                unmanaged++;
            }
        }
        return new MorpheusMetrics(name, source.name(), modes.mode(), live.size(), unmanaged, registeredTotal.get(),
                hintsPosted(), answered, yields, modes.changes(), housekeeper.cpuNanos(), live);
    }

    /** Every hint posted into this instance's SCBs so far, each counted once (see {@link #runtimeHintsPosted}). */
    private long hintsPosted() {
        return source.hintsPosted() + runtimeHintsPosted.get();
    }

    // ------------------------------------------------------------------ housekeeping

    /**
     * One housekeeping tick (housekeeper thread only).
     * @return how long to sleep before the next tick ({@link TickCadence})
     */
    long housekeep(long now) {
        long postedBefore = hintsPosted();
        source.tick(now);
        long pending = context.pendingWork();
        int running = 0;
        long longestRun = 0;
        for (MorpheusWorker w : workers) {
            ScbBinding b = w.binding();
            long ran = b.runningNanos(now);
            if (ran >= 0) {
                running++;
                longestRun = Math.max(longestRun, ran);
                if (queuePressure != null) {
                    queuePressure.offerRunning(b);
                }
            }
        }
        if (queuePressure != null) {
            runtimeHintsPosted.addAndGet(queuePressure.post(now, pending, config.sliceNanos(), config.sampleIntervalNanos()));
        }
        long answered = 0;
        for (MorpheusWorker w : workers) {
            answered += w.hintsAnswered();
        }
        long posted = hintsPosted();
        modes.update(source.health(), posted + answered + retiredAnswered, now);
        boolean defensive = modes.mode() == RuntimeMode.DEFENSIVE;
        if (defensive) {
            postDefensiveHints(now);
        }
        return cadence.next(running, longestRun, pending, posted > postedBefore, defensive);
    }

    /** Whether the last tick found nothing to do (housekeeper thread): it may doze. */
    boolean idle() {
        return cadence.idle();
    }

    /** Whether any worker is in a run now (housekeeper thread, before it dozes). */
    boolean anyWorkerRunning() {
        for (MorpheusWorker w : workers) {
            ScbBinding b = w.binding();
            if (ScbAccess.workerState(b.region(), b.scb()) == WorkerState.RUNNING) {
                return true;
            }
        }
        return false;
    }

    void housekeeperDozing(boolean dozing) {
        housekeeperDozing = dozing;
    }

    /** A worker started a run (its thread): wakes the housekeeper if it dozes. One volatile load otherwise. */
    void runStarted() {
        if (housekeeperDozing) {
            housekeeper.wake();
        }
    }

    /** While the source is lost: every worker running longer than the defensive slice is told to yield. */
    private void postDefensiveHints(long now) {
        for (MorpheusWorker w : workers) {
            ScbBinding b = w.binding();
            long ran = b.runningNanos(now);
            if (ran >= config.defensiveSliceNanos() && !ScbAccess.hintPending(b.region(), b.scb())) {
                b.postLocalHint(HintReason.DEFENSIVE, 100, now);
                source.hintPostedByRuntime(b);
                runtimeHintsPosted.incrementAndGet();
            }
        }
    }

    void reapDeadThreads() {
        for (MorpheusWorker w : workers) {
            if (!w.thread().isAlive()) {
                LOG.debug("Morpheus {}: unregistering {}: its thread ended without closing it", name, w);
                w.close();
            }
        }
    }

    /** Unregisters every worker, stops the housekeeper and closes the hint source. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        housekeeper.stop();
        for (MorpheusWorker w : workers) {
            w.close();
        }
        source.close();
    }

    @Override
    public String toString() {
        return "Morpheus[" + name + ", source " + source.name() + ", " + modes.mode() + ", " + workers.size() + " workers]";
    }

    /** What the hint source may ask of this instance. */
    private final class Context implements HintSourceContext {
        @Override
        public MorpheusConfig config() {
            return config;
        }

        @Override
        public long pendingWork() {
            long sum = 0;
            for (LongSupplier g : pendingWorkGauges) {
                sum += Math.max(0, g.getAsLong());
            }
            return sum;
        }

        @Override
        public void rebind(ScbBinding old, ScbBinding fresh) {
            for (MorpheusWorker w : workers) {
                if (w.binding() == old) {
                    w.requestRebind(fresh);
                    return;
                }
            }
        }
    }
}
