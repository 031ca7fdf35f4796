package dev.morpheus;

import dev.morpheus.abi.RuntimeMode;
import dev.morpheus.abi.YieldCause;
import java.util.List;
import java.util.Map;

/**
 * A Morpheus instance's counters at a moment: totals include workers that have since ended.
 * @param hintSource        the active source's name
 * @param mode              the current runtime mode
 * @param liveWorkers       workers registered now
 * @param unmanagedWorkers  of those, workers on a fallback slot that no source serves
 * @param registeredTotal   registrations since the instance opened
 * @param hintsPosted       hints posted into the instance's SCBs, each counted once: the source's
 *                          own plus those the runtime posted (queue pressure, defensive)
 * @param hintsAnswered     hints workers acknowledged
 * @param yields            the yield ledger, all workers
 * @param modeChanges       mode transitions since the instance opened
 * @param housekeeperCpuNanos CPU time spent by the housekeeping (sampling) thread
 * @param workers           per-worker snapshots of the live workers
 */
public record MorpheusMetrics(String instance, String hintSource, RuntimeMode mode, int liveWorkers, int unmanagedWorkers,
                              long registeredTotal, long hintsPosted, long hintsAnswered, Map<YieldCause, Long> yields,
                              long modeChanges, long housekeeperCpuNanos, List<WorkerMetrics> workers) {
    public long totalYields() {
        return yields.values().stream().mapToLong(Long::longValue).sum();
    }
}
