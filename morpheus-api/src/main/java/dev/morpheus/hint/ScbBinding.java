package dev.morpheus.hint;

import dev.morpheus.abi.ScbLayout;
import java.nio.ByteBuffer;

/**
 * Where a worker's SCB lives: a region (kernel-mapped or in-process direct memory) and a slot.
 * Hint sources hand these out in {@link HintSource#bind} and take them back in
 * {@link HintSource#unbind}; {@code tid} and {@code escapable} say whom the slot serves.
 * The JVM-side state of the slot lives here too, beside the shared memory rather than in it:
 * the JVM's own hints ({@link LocalHint}) and the samplers' run clock ({@link RunClock}).
 *
 * <p><b>Identity.</b> A binding is one claim of one slot, and equal only to itself
 * ({@link Object#equals}, {@link Object#hashCode}): sources key their per-worker state (a
 * procfs sampler's open file, the hint sequence last counted, a hand-over after a reconnect) by
 * the binding they handed out, and must find it again at unbind. This used to be a record,
 * whose equality included the region's {@link ByteBuffer}, and a buffer's hash is computed from
 * its content - which hints, runs and heartbeats change - so map removals missed and every
 * procfs worker leaked its schedstat fd (issue 13). Two claims of the same slot, one after the
 * other, are two bindings: the stale one can never release the fresh one.
 */
public final class ScbBinding {
    private final ByteBuffer region;
    private final int slot;
    private final int tid;
    private final boolean escapable;
    private final boolean managed;
    private final LocalHint localHint;
    private final RunClock runClock;

    /**
     * @param region the region's memory, laid out as {@link ScbLayout} describes
     * @param slot   the SCB's slot inside the region
     * @param tid    the worker's kernel thread id (0 where the platform has none)
     * @param escapable whether the worker may be force-preempted outside critical sections
     * @param managed false for a fallback slot that no hint source serves (for example when the
     *               daemon's slot quota is exhausted): the worker runs, but without kernel hints
     */
    public ScbBinding(ByteBuffer region, int slot, int tid, boolean escapable, boolean managed) {
        if (region == null) {
            throw new IllegalArgumentException("an SCB binding needs a region");
        }
        if (slot < 0 || slot >= ScbLayout.MAX_SLOTS) {
            throw new IllegalArgumentException("SCB slot " + slot + " out of range: must be 0.." + (ScbLayout.MAX_SLOTS - 1));
        }
        this.region = region;
        this.slot = slot;
        this.tid = tid;
        this.escapable = escapable;
        this.managed = managed;
        // The slot's JVM-side state knows the SCB's place, not this binding: no cycle.
        this.localHint = new LocalHint(region, scb());
        this.runClock = new RunClock(region, scb());
    }

    /** The region's memory, laid out as {@link ScbLayout} describes. */
    public ByteBuffer region() {
        return region;
    }

    /** The SCB's slot inside {@link #region()}. */
    public int slot() {
        return slot;
    }

    /** The worker's kernel thread id (0 where the platform has none). */
    public int tid() {
        return tid;
    }

    /** Whether the worker may be force-preempted outside critical sections. */
    public boolean escapable() {
        return escapable;
    }

    /** False for a fallback slot that no hint source serves: the worker runs without hints. */
    public boolean managed() {
        return managed;
    }

    /** The JVM's own hints into this SCB (their one sequence in the hint word, their record here). */
    public LocalHint localHint() {
        return localHint;
    }

    /** Posts a hint from the JVM ({@link LocalHint#post}); never into the kernel's fields. */
    public void postLocalHint(dev.morpheus.abi.HintReason reason, int pressure, long nowNanos) {
        localHint.post(reason, pressure, nowNanos);
    }

    /** The samplers' view of the worker's current run ({@link RunClock}). */
    public long runningNanos(long nowNanos) {
        return runClock.runningNanos(nowNanos);
    }

    /** Byte offset of this SCB inside {@link #region()}. */
    public int scb() {
        return ScbLayout.scbOffset(slot);
    }

    @Override
    public String toString() {
        return "ScbBinding[slot " + slot + " of region@" + Integer.toHexString(System.identityHashCode(region)) + ", tid " + tid
                + (escapable ? ", escapable" : "") + (managed ? "" : ", unmanaged") + "]";
    }
}
