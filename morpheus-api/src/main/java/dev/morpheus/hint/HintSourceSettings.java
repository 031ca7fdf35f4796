package dev.morpheus.hint;

/**
 * The settings a hint source works with, taken from the owning instance's validated
 * configuration ({@code MorpheusConfig}, whose keys are named beside each component). A value of
 * this package, so that hint sources (and third-party ones behind {@link HintSourceProvider})
 * depend on nothing above them: the instance hands these down, sources never reach up.
 *
 * @param hintSource          the configured source: auto, kernel, procfs, queue, manual or none ({@code morpheus.hint-source})
 * @param sliceNanos          how long a worker may run while others wait before it is asked to yield ({@code morpheus.slice})
 * @param graceNanos          how long an unanswered hint is tolerated ({@code morpheus.grace})
 * @param maxCriticalNanos    how long a critical section may last ({@code morpheus.max-critical})
 * @param sampleIntervalNanos the housekeeping period: in-process samplers ({@code morpheus.sample-interval})
 * @param staleAfterNanos     a kernel source whose heartbeat is older than this counts as lost ({@code morpheus.stale-after})
 * @param maxWorkers          workers registered at once with in-process sources ({@code morpheus.max-workers})
 * @param socket              morpheusd's socket, for the kernel source ({@code morpheus.socket})
 */
public record HintSourceSettings(String hintSource, long sliceNanos, long graceNanos, long maxCriticalNanos,
                                 long sampleIntervalNanos, long staleAfterNanos, int maxWorkers, String socket) {}
