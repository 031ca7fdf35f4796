package dev.morpheus;

import dev.morpheus.abi.HintReason;
import dev.morpheus.abi.RuntimeMode;
import dev.morpheus.abi.ScbAccess;
import dev.morpheus.abi.WorkerState;
import dev.morpheus.hint.HintSource;
import dev.morpheus.hint.QueuePressure;
import dev.morpheus.hint.ScbBinding;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The JVM's tick: everything one instance decides about hints on its own, once per
 * housekeeping tick, in one place. A tick
 * <ol>
 *   <li>lets the hint source sample ({@link HintSource#tick});</li>
 *   <li>measures the workers' current runs and, beside a source that cannot see this JVM's
 *       queues, posts queue-pressure hints ({@link QueuePressure});</li>
 *   <li>decides the runtime mode from the source's health and the hint activity
 *       ({@link ModeTracker});</li>
 *   <li>in DEFENSIVE mode, posts time-sliced hints itself;</li>
 *   <li>says how long to sleep before the next tick ({@link TickCadence}).</li>
 * </ol>
 * It owns those three policies and the count of the hints the runtime posted itself; it reads
 * the workers through the {@link WorkerRegistry} and their SCBs through {@link ScbAccess}. It
 * has no thread: the {@link Housekeeper} calls it. Use {@link #run}, {@link #idle},
 * {@link #anyWorkerRunning} and {@link #reapDeadThreads} from the housekeeping thread only;
 * the getters from any thread.
 */
final class HousekeepingTick {
    private final MorpheusConfig config;
    private final HintSource source;
    private final WorkerRegistry workers;
    private final LongSupplier pendingWork;
    private final ModeTracker modes;
    private final TickCadence cadence;
    /** In-process queue pressure beside a source that cannot see it (null when not needed). */
    private final QueuePressure queuePressure;
    /**
     * Hints this instance posted itself (queue pressure beside the source, defensive hints),
     * each told to the source ({@link HintSource#hintPostedByRuntime}) so that it is counted
     * here and nowhere else: hints posted = this + the source's own.
     */
    private final AtomicLong runtimeHintsPosted = new AtomicLong();

    /**
     * @param pendingWork work waiting for a worker thread now (the instance's pending-work gauges)
     */
    HousekeepingTick(String instanceName, MorpheusConfig config, HintSource source, WorkerRegistry workers,
            LongSupplier pendingWork) {
        this.config = config;
        this.source = source;
        this.workers = workers;
        this.pendingWork = pendingWork;
        this.modes = new ModeTracker(instanceName, source.name(), config.modeWindowNanos());
        this.cadence = new TickCadence(config.sampleIntervalNanos(), config.sliceNanos());
        this.queuePressure = config.queueHints() && !source.observesQueuePressure()
                ? new QueuePressure(source::hintPostedByRuntime) : null;
    }

    /**
     * One tick (housekeeping thread only).
     * @return how long to sleep before the next tick ({@link TickCadence})
     */
    long run(long now) {
        long postedBefore = hintsPosted();
        source.tick(now);
        long pending = pendingWork.getAsLong();
        int running = 0;
        long longestRun = 0;
        for (MorpheusWorker w : workers.live()) {
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
        long posted = hintsPosted();
        modes.update(source.health(), posted + workers.hintsAnswered(), now);
        boolean defensive = modes.mode() == RuntimeMode.DEFENSIVE;
        if (defensive) {
            postDefensiveHints(now);
        }
        return cadence.next(running, longestRun, pending, posted > postedBefore, defensive);
    }

    /** While the source is lost: every worker running longer than the defensive slice is told to yield. */
    private void postDefensiveHints(long now) {
        for (MorpheusWorker w : workers.live()) {
            ScbBinding b = w.binding();
            long ran = b.runningNanos(now);
            if (ran >= config.defensiveSliceNanos() && !ScbAccess.hintPending(b.region(), b.scb())) {
                b.postLocalHint(HintReason.DEFENSIVE, 100, now);
                source.hintPostedByRuntime(b);
                runtimeHintsPosted.incrementAndGet();
            }
        }
    }

    /** Whether the last tick found nothing to do: the housekeeper may doze. */
    boolean idle() {
        return cadence.idle();
    }

    /** Whether any worker is in a run now (before the housekeeper dozes). */
    boolean anyWorkerRunning() {
        for (MorpheusWorker w : workers.live()) {
            ScbBinding b = w.binding();
            if (ScbAccess.workerState(b.region(), b.scb()) == WorkerState.RUNNING) {
                return true;
            }
        }
        return false;
    }

    /** Unregisters the workers whose threads died registered. */
    void reapDeadThreads() {
        workers.reapDeadThreads();
    }

    /** Every hint posted into this instance's SCBs so far, each counted once (see {@link #runtimeHintsPosted}). */
    long hintsPosted() {
        return source.hintsPosted() + runtimeHintsPosted.get();
    }

    RuntimeMode mode() {
        return modes.mode();
    }

    long modeChanges() {
        return modes.changes();
    }

    /** Called on the housekeeping thread after every mode change. */
    void addModeListener(Consumer<RuntimeMode> listener) {
        modes.addListener(listener);
    }
}
