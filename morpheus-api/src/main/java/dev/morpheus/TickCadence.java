package dev.morpheus;

/**
 * How long the housekeeper sleeps between ticks. Sampling at {@code sample-interval} (1 ms by
 * default) is what makes queue and procfs hints timely, but a 1 kHz thread is not free: on a
 * small machine every wake-up can preempt a worker. So the rate follows what the last tick saw.
 * <ul>
 *   <li><b>Busy</b> (every {@code sample-interval}): a hint was posted, the mode is DEFENSIVE,
 *       more work waits than workers run, or a worker's run has lasted a quarter slice. Runs
 *       that long are the ones a hint may soon be due for.</li>
 *   <li><b>Quiet</b> (the interval doubles per tick, up to half a slice): workers run short
 *       runs and nothing piles up. A run shorter than a quarter slice at one tick is shorter
 *       than three quarters at the next, so no slice-long run goes unnoticed; the one cost is
 *       that work piling up suddenly behind short runs is noticed up to half a slice later.</li>
 *   <li><b>Idle</b> (dozes of {@value #DOZE_NANOS} ns): no worker runs and nothing waits.
 *       The first run that starts wakes the housekeeper ({@link Housekeeper#runStarted()}), so an
 *       idle JVM does not wake a thousand times a second for nothing.</li>
 * </ul>
 * Use from the housekeeping thread only.
 */
final class TickCadence {
    /** The doze while idle: an idle instance still reaps dead threads and tracks its mode this often. */
    static final long DOZE_NANOS = 100_000_000L;

    private final long sampleNanos;
    private final long quietMaxNanos;
    private final long longRunNanos;
    private long intervalNanos;
    private boolean idle;

    TickCadence(long sampleNanos, long sliceNanos) {
        this.sampleNanos = sampleNanos;
        this.quietMaxNanos = Math.max(sampleNanos, sliceNanos / 2);
        this.longRunNanos = sliceNanos / 4;
        this.intervalNanos = sampleNanos;
    }

    /**
     * The sleep before the next tick, from what this tick saw; while {@link #idle()}, the
     * housekeeper may doze {@value #DOZE_NANOS} ns instead.
     * @param running workers in a run (state RUNNING)
     * @param longestRunNanos the longest of their current runs
     * @param pendingWork work queued for a worker thread (the pending-work gauges)
     * @param hinted whether this tick posted a hint
     * @param defensive whether the instance is in DEFENSIVE mode (it posts time-sliced hints)
     */
    long next(int running, long longestRunNanos, long pendingWork, boolean hinted, boolean defensive) {
        idle = running == 0 && pendingWork == 0 && !defensive;
        if (idle || hinted || defensive || pendingWork > Math.max(1, running) || longestRunNanos >= longRunNanos) {
            intervalNanos = sampleNanos;
        } else {
            intervalNanos = Math.min(quietMaxNanos, intervalNanos * 2);
        }
        return intervalNanos;
    }

    /** Whether the last tick saw nothing to do: no worker in a run, nothing waiting, not DEFENSIVE. */
    boolean idle() {
        return idle;
    }
}
