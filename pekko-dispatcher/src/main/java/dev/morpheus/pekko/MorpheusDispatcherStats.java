package dev.morpheus.pekko;

import dev.morpheus.MorpheusMetrics;
import dev.morpheus.abi.RuntimeMode;
import dev.morpheus.abi.YieldCause;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One Morpheus dispatcher's counters at a moment (totals since the dispatcher was created).
 * @param dispatcherId        the dispatcher's config path
 * @param hintSource          the active hint source
 * @param mode                the runtime mode
 * @param maxBatch            the batch bound without hints
 * @param liveWorkers         pool threads registered now
 * @param registeredWorkers   registrations since creation (the pool grows and shrinks)
 * @param hintsPosted         hints the source posted
 * @param hintsAnswered       hints the workers answered
 * @param yields              the yield ledger (all workers, including ended ones)
 * @param batchesCutByHint    batches ended early because a hint asked for it
 * @param batchesCutByDeadline batches ended early by the DEFENSIVE time bound
 * @param batchesCutByHandover batches ended early because the executor needed the thread for newly woken work
 * @param batchesAtBudget     batches that ended at max-batch with messages left
 * @param cpuYields           times a pool thread gave up its CPU for a hint from outside the JVM (at most once per slice of its CPU time)
 * @param hintsAnsweredBetweenBatches hints answered after a batch that could not be cut (critical actors)
 * @param actorsChecked       actors whose queues checkpoint before every message
 * @param actorsCritical      actors tagged critical
 * @param actorsUnchecked     actors that run without checkpoints (a queue requirement the wrapper cannot meet)
 * @param pendingWork         tasks queued in the pool now
 * @param threadsStarted      pool threads started (each registered as a worker when it started)
 * @param threadsEnded        pool threads ended (each unregistered on its way out)
 */
public record MorpheusDispatcherStats(String dispatcherId, String hintSource, RuntimeMode mode, int maxBatch,
                                      int liveWorkers, long registeredWorkers, long hintsPosted, long hintsAnswered,
                                      Map<YieldCause, Long> yields, long batchesCutByHint, long batchesCutByDeadline,
                                      long batchesCutByHandover,
                                      long batchesAtBudget, long cpuYields, long hintsAnsweredBetweenBatches, long actorsChecked,
                                      long actorsCritical, long actorsUnchecked, long pendingWork,
                                      long threadsStarted, long threadsEnded) {

    static MorpheusDispatcherStats of(MorpheusDispatcherSettings s, MorpheusMetrics m, DispatcherContext r) {
        return new MorpheusDispatcherStats(s.dispatcherId(), m.hintSource(), m.mode(), s.maxBatch(), m.liveWorkers(),
                m.registeredTotal(), m.hintsPosted(), m.hintsAnswered(),
                Collections.unmodifiableMap(new EnumMap<>(m.yields())), r.cutByHint.sum(), r.cutByDeadline.sum(), r.cutByHandover.sum(),
                r.endedAtBudget.sum(), r.cpuYields.sum(), r.hintsAnsweredBetweenBatches.sum(), r.actorsChecked.sum(),
                r.actorsCritical.sum(), r.actorsUnchecked.sum(), r.pendingWork(),
                r.threadsStarted.sum(), r.threadsEnded.sum());
    }

    /** Batches ended before their budget (hint, deadline or handover). */
    public long batchesCut() {
        return batchesCutByHint + batchesCutByDeadline + batchesCutByHandover;
    }

    /** Yields of one cause. */
    public long yields(YieldCause cause) {
        return yields.getOrDefault(cause, 0L);
    }
}
