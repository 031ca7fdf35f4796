package dev.morpheus.pekko;

import dev.morpheus.Morpheus;
import dev.morpheus.abi.RuntimeMode;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one Morpheus dispatcher shares between its parts: settings, the Morpheus instance, the
 * runtime-mode flag read once per batch, the current pool (for the pending-work gauge) and the
 * dispatcher-level counters. Created by the configurator before the dispatcher, because Pekko's
 * {@code Dispatcher} constructor already asks for the executor (and so the thread factory).
 *
 * <p>Counters are {@link LongAdder}s touched only on slow paths (a batch cut, a batch ending at
 * its budget, an actor attached), never per message.
 */
final class DispatcherContext {
    final MorpheusDispatcherSettings settings;
    final Morpheus morpheus;
    final int maxBatch;
    final long defensiveNanos;
    /** The Morpheus slice: a thread gives up its CPU for outside hints at most once per slice of CPU time. */
    final long sliceNanos;
    /** Bound of a critical actor's batch (morpheus.max-critical): past it a waiting hint ends the batch. */
    final long maxCriticalNanos;
    /**
     * Whether batches of more than one message are marked in the workers' SCBs (markRunning /
     * markQuiescing). With {@code hint-source = none} no sampler or kernel reads them, so the
     * dispatcher skips the stores and costs what the stock dispatcher costs plus one checkpoint
     * per message.
     */
    final boolean markRuns;

    /** DEFENSIVE mode: batches are bounded by time as well (read once per batch). */
    volatile boolean defensive;
    private volatile ExecutorService pool;

    final LongAdder cutByHint = new LongAdder();
    final LongAdder cutByDeadline = new LongAdder();
    final LongAdder cutByHandover = new LongAdder();
    final LongAdder cpuYields = new LongAdder();
    final LongAdder endedAtBudget = new LongAdder();
    final LongAdder hintsAnsweredBetweenBatches = new LongAdder();
    final LongAdder actorsChecked = new LongAdder();
    final LongAdder actorsCritical = new LongAdder();
    final LongAdder actorsUnchecked = new LongAdder();
    final LongAdder threadsStarted = new LongAdder();
    final LongAdder threadsEnded = new LongAdder();

    DispatcherContext(MorpheusDispatcherSettings settings, Morpheus morpheus) {
        this.settings = settings;
        this.morpheus = morpheus;
        this.maxBatch = settings.maxBatch();
        this.defensiveNanos = settings.morpheus().defensiveSliceNanos();
        this.sliceNanos = settings.morpheus().sliceNanos();
        this.maxCriticalNanos = settings.morpheus().maxCriticalNanos();
        this.markRuns = !"none".equals(morpheus.hintSourceName());
        this.defensive = morpheus.mode() == RuntimeMode.DEFENSIVE;
        morpheus.addModeListener(m -> defensive = m == RuntimeMode.DEFENSIVE);
        morpheus.addPendingWorkGauge(this::pendingWork);
    }

    /** The executor this dispatcher's pool uses: morpheus-executor, thread-pool-executor or fork-join-executor. */
    volatile String executor = "";

    /** The current pool, or null before Pekko created it (tests). */
    ExecutorService pool() {
        return pool;
    }

    /** The executor Pekko (re)created for this dispatcher: the gauge reads the newest one. */
    void poolCreated(ExecutorService p) {
        pool = p;
    }

    /**
     * Tasks (mailboxes, futures) queued in the pool and not yet taken by a thread: on the
     * Morpheus executor the newly woken ones (cut mailboxes are served in turn without hints),
     * the thread-pool's queue length, or fork-join's queued submissions plus tasks. Registered with
     * the Morpheus instance as its pending-work gauge (what the queue hint source weighs).
     */
    long pendingWork() {
        ExecutorService p = pool;
        if (p instanceof MorpheusExecutor me) {
            return me.wokenTasks(); // cut mailboxes take turns by max-batch and handovers, not by hints
        }
        if (p instanceof ThreadPoolExecutor tpe) {
            return tpe.getQueue().size();
        }
        if (p instanceof ForkJoinPool fj) {
            return fj.getQueuedSubmissionCount() + fj.getQueuedTaskCount();
        }
        return 0;
    }

    MorpheusDispatcherStats stats() {
        return MorpheusDispatcherStats.of(settings, morpheus.metrics(), this);
    }
}
