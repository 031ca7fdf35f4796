package dev.morpheus;

import dev.morpheus.abi.RuntimeMode;
import dev.morpheus.hint.HintSource;
import dev.morpheus.hint.HintSourceException;
import dev.morpheus.hint.HintSources;
import dev.morpheus.jfr.MorpheusEvents;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

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
 *
 * <p><b>Structure.</b> This class is the facade and holds no policy. Its parts, each in its own
 * file, with dependencies pointing one way (facade, then tick, then workers, then SCB access):
 * <ul>
 *   <li>{@code WorkerRegistry}: the live workers, the calling thread's worker, totals;</li>
 *   <li>{@code WorkerSlots}: where a worker's SCB comes from (source or fallback) and goes back;</li>
 *   <li>{@code InstanceContext}: what the hint source may ask (config, pending work, rebind);</li>
 *   <li>{@code HousekeepingTick}: the JVM's tick (queue pressure, mode, defensive hints,
 *       cadence), run by the {@code Housekeeper} thread;</li>
 *   <li>{@link MorpheusWorker}: one registered thread, which knows its SCB and not this class.</li>
 * </ul>
 */
public final class Morpheus implements AutoCloseable {
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final String name;
    private final MorpheusConfig config;
    private final WorkerRegistry workers;
    private final InstanceContext context;
    private final HintSource source;
    private final WorkerSlots slots;
    private final HousekeepingTick tick;
    private final Housekeeper housekeeper;
    /** Given to every worker: a run started (wakes a dozing housekeeper). */
    private final Runnable onRunStart;
    private volatile boolean closed;

    private Morpheus(String name, MorpheusConfig config) throws HintSourceException {
        // JFR event classes are initialized and registered here, on the opening thread, before
        // this instance starts a thread: never on a worker's or the housekeeper's emit path.
        MorpheusEvents.register();
        this.name = name;
        this.config = config;
        this.workers = new WorkerRegistry(name);
        this.context = new InstanceContext(config, workers);
        this.source = HintSources.create(context);
        this.slots = new WorkerSlots(name, config, source);
        this.tick = new HousekeepingTick(name, config, source, workers, context::pendingWork);
        this.housekeeper = new Housekeeper(name, tick, config.sampleIntervalNanos());
        this.onRunStart = housekeeper::runStarted;
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
        WorkerRegistry.requireUnregisteredThread();
        int tid = Tids.currentTid();
        MorpheusWorker worker = new MorpheusWorker(name, onRunStart, this::retire, Thread.currentThread(), workerName, tid,
                slots.claim(tid, workerName));
        workers.add(worker);
        onRunStart.run(); // a new worker is RUNNING: an idle housekeeper samples again
        return worker;
    }

    /** A worker closed (any thread): out of the registry, its slot back to where it came from. */
    private void retire(MorpheusWorker worker) {
        if (workers.remove(worker)) {
            slots.release(worker.binding());
        }
    }

    /** The calling thread's worker, or {@code null} if it is not registered (a thread-local lookup). */
    public static MorpheusWorker currentWorker() {
        return WorkerRegistry.current();
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
        return tick.mode();
    }

    /** Called on the housekeeping thread after every mode change. */
    public void addModeListener(Consumer<RuntimeMode> listener) {
        tick.addModeListener(listener);
    }

    /**
     * Adds a gauge of work waiting for a worker thread (for example a dispatcher's executor
     * queue length); the queue hint source reads their sum.
     */
    public void addPendingWorkGauge(LongSupplier gauge) {
        context.addPendingWorkGauge(gauge);
    }

    public void removePendingWorkGauge(LongSupplier gauge) {
        context.removePendingWorkGauge(gauge);
    }

    /** Workers registered now. */
    public int liveWorkers() {
        return workers.size();
    }

    /** Registrations since the instance opened (one counter read). */
    public long registeredTotal() {
        return workers.registeredTotal();
    }

    /** Hints posted into this instance's SCBs so far, each counted once (two counter reads). */
    public long hintsPosted() {
        return tick.hintsPosted();
    }

    /** Hints answered so far by every worker, live or ended (reads each live worker's counter). */
    public long hintsAnswered() {
        return workers.hintsAnswered();
    }

    /**
     * A snapshot of every counter and of each live worker (allocates; for one figure, as a JMX
     * getter wants, use the getters above).
     */
    public MorpheusMetrics metrics() {
        return workers.metrics(source.name(), tick.mode(), tick.hintsPosted(), tick.modeChanges(), housekeeper.cpuNanos());
    }

    /** Whether {@link #close()} was called: workers registering from now on are refused. */
    public boolean isClosed() {
        return closed;
    }

    /** Unregisters every worker, stops the housekeeper and closes the hint source. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        housekeeper.stop();
        workers.closeAll();
        source.close();
    }

    @Override
    public String toString() {
        return "Morpheus[" + name + ", source " + source.name() + ", " + tick.mode() + ", " + workers.size() + " workers]";
    }
}
