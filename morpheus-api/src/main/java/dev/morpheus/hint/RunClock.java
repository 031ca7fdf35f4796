package dev.morpheus.hint;

import dev.morpheus.abi.ScbAccess;
import dev.morpheus.abi.WorkerState;
import java.nio.ByteBuffer;

/**
 * How long a worker has been in its current run, as the JVM's samplers see it. The worker only
 * counts its runs ({@code run_seq}, two stores per batch, no clock read); the first sampler to
 * see a new count stamps it with its own clock here, in the JVM, so no sampler writes into the
 * worker's SCB line (issue 13: samplers used to CAS {@code run_start_ns} there). A run's start is
 * therefore known to within one sample interval, as before.
 *
 * <p>One per {@link ScbBinding}; samplers on any thread (the housekeeper, the procfs sampler)
 * share it. Guarded by its own monitor: a sampler looks once per tick, never on the worker's path.
 */
public final class RunClock {
    /** The SCB this state belongs to: its region and byte offset (see {@link ScbBinding}). */
    private final ByteBuffer region;
    private final int scb;
    private long stampedRunSeq = -1;
    private long runStartNanos;

    RunClock(ByteBuffer region, int scb) {
        this.region = region;
        this.scb = scb;
    }

    /**
     * How long the worker has been in its current run, or -1 when it is not RUNNING. A run not
     * yet seen is stamped with {@code nowNanos} (and has run 0 ns so far).
     */
    public synchronized long runningNanos(long nowNanos) {
        if (ScbAccess.workerState(region, scb) != WorkerState.RUNNING) {
            return -1;
        }
        long seq = ScbAccess.runSeq(region, scb);
        if (seq != stampedRunSeq) {
            stampedRunSeq = seq;
            runStartNanos = nowNanos;
            return 0;
        }
        return nowNanos - runStartNanos;
    }
}
