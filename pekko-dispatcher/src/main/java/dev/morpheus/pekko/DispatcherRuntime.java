package dev.morpheus.pekko;

import dev.morpheus.Morpheus;
import dev.morpheus.abi.RuntimeMode;
import java.util.concurrent.ForkJoinPool;
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
final class DispatcherRuntime {
    final MorpheusDispatcherSettings settings;
    final Morpheus morpheus;
    final int maxBatch;
    final long defensiveNanos;

    /** DEFENSIVE mode: batches are bounded by time as well (read once per batch). */
    volatile boolean defensive;
    private volatile ForkJoinPool pool;

    final LongAdder cutByHint = new LongAdder();
    final LongAdder cutByDeadline = new LongAdder();
    final LongAdder endedAtBudget = new LongAdder();
    final LongAdder hintsAnsweredBetweenBatches = new LongAdder();
    final LongAdder actorsChecked = new LongAdder();
    final LongAdder actorsCritical = new LongAdder();
    final LongAdder actorsUnchecked = new LongAdder();
    final LongAdder threadsStarted = new LongAdder();
    final LongAdder threadsEnded = new LongAdder();

    DispatcherRuntime(MorpheusDispatcherSettings settings, Morpheus morpheus) {
        this.settings = settings;
        this.morpheus = morpheus;
        this.maxBatch = settings.maxBatch();
        this.defensiveNanos = settings.morpheus().defensiveSliceNanos();
        this.defensive = morpheus.mode() == RuntimeMode.DEFENSIVE;
        morpheus.addModeListener(m -> defensive = m == RuntimeMode.DEFENSIVE);
        morpheus.addPendingWorkGauge(this::pendingWork);
    }

    void poolCreated(ForkJoinPool p) {
        pool = p;
    }

    /** Tasks (mailboxes, futures) queued in the pool and not yet taken by a thread. */
    long pendingWork() {
        ForkJoinPool p = pool;
        return p == null ? 0 : p.getQueuedSubmissionCount() + p.getQueuedTaskCount();
    }

    MorpheusDispatcherStats stats() {
        return MorpheusDispatcherStats.of(settings, morpheus.metrics(), this);
    }
}
