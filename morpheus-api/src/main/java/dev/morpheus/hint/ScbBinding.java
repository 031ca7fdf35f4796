package dev.morpheus.hint;

import dev.morpheus.abi.ScbLayout;
import java.nio.ByteBuffer;

/**
 * Where a worker's SCB lives: a region (kernel-mapped or in-process direct memory) and a slot.
 * Hint sources hand these out in {@link HintSource#bind} and take them back in
 * {@link HintSource#unbind}; {@code tid} and {@code escapable} say whom the slot serves.
 *
 * @param region the region's memory, laid out as {@link ScbLayout} describes
 * @param slot   the SCB's slot inside the region
 * @param tid    the worker's kernel thread id (0 where the platform has none)
 * @param escapable whether the worker may be force-preempted outside critical sections
 * @param managed false for a fallback slot that no hint source serves (for example when the
 *               daemon's slot quota is exhausted): the worker runs, but without kernel hints
 */
public record ScbBinding(ByteBuffer region, int slot, int tid, boolean escapable, boolean managed) {
    /** Byte offset of this SCB inside {@link #region()}. */
    public int scb() {
        return ScbLayout.scbOffset(slot);
    }
}
