package dev.morpheus;

import dev.morpheus.abi.WorkerState;
import dev.morpheus.abi.YieldCause;
import java.util.Map;

/**
 * One worker's counters at a moment.
 * @param yields           the yield ledger: yields by cause
 * @param hintsAnswered    hints this worker acknowledged
 * @param meanAnswerNanos  mean delay from a hint being posted to the worker answering it
 * @param maxAnswerNanos   the longest such delay
 * @param hintsLost        hints posted while an earlier one was still unanswered (coalesced)
 * @param escalations      times the kernel escalated this worker
 */
public record WorkerMetrics(String name, int tid, WorkerState state, boolean managed, Map<YieldCause, Long> yields,
                            long hintsAnswered, long meanAnswerNanos, long maxAnswerNanos, long hintsLost,
                            long escalations) {
    /** All yields, any cause. */
    public long totalYields() {
        return yields.values().stream().mapToLong(Long::longValue).sum();
    }
}
