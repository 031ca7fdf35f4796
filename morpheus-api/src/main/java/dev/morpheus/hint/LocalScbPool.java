package dev.morpheus.hint;

import dev.morpheus.abi.EscalationPolicy;
import dev.morpheus.abi.ScbAccess;
import dev.morpheus.abi.ScbLayout;
import dev.morpheus.abi.SchedulerMode;
import dev.morpheus.abi.WorkerState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * SCBs in the JVM's own direct memory, for hint sources that need no kernel. Regions have the
 * kernel's layout ({@link ScbLayout}) so the checkpoint path is the same for every source;
 * the pool grows a region at a time up to {@code maxWorkers} and reuses freed slots.
 * Each claimed slot remembers the one {@link ScbBinding} it was handed out as, and only that
 * binding releases it (by identity: a stale binding of a reused slot releases nothing).
 * Regions (direct memory, no fd) are kept for the pool's life and reused; the pool never needs
 * more of them than the most slots ever claimed at once.
 * Thread-safe.
 */
public final class LocalScbPool {
    private final int maxWorkers;
    private final long sliceNs;
    private final long graceNs;
    private final List<ByteBuffer> regions = new ArrayList<>();
    private final List<BitSet> used = new ArrayList<>();
    /** Per region, the binding each claimed slot was handed out as (null where free). */
    private final List<ScbBinding[]> holders = new ArrayList<>();
    private int inUse;

    public LocalScbPool(int maxWorkers, long sliceNs, long graceNs) {
        if (maxWorkers < 1) {
            throw new IllegalArgumentException("maxWorkers " + maxWorkers + " out of range: must be at least 1");
        }
        this.maxWorkers = maxWorkers;
        this.sliceNs = sliceNs;
        this.graceNs = graceNs;
    }

    /** Claims a free SCB for a worker (state REGISTERED). */
    public synchronized ScbBinding claim(int tid, boolean escapable, boolean managed) throws HintSourceException {
        if (inUse >= maxWorkers) {
            throw new HintSourceException("all " + maxWorkers + " worker slots are in use (max-workers = " + maxWorkers + ")");
        }
        for (int r = 0; ; r++) {
            if (r == regions.size()) {
                ByteBuffer region = ScbLayout.allocateRegion(ScbLayout.MAX_SLOTS);
                ScbAccess.initHeader(region, ScbLayout.MAX_SLOTS, r, sliceNs, graceNs, 0,
                        SchedulerMode.OBSERVER, EscalationPolicy.NONE, 0);
                regions.add(region);
                used.add(new BitSet(ScbLayout.MAX_SLOTS));
                holders.add(new ScbBinding[ScbLayout.MAX_SLOTS]);
            }
            BitSet bits = used.get(r);
            int slot = bits.nextClearBit(0);
            if (slot < ScbLayout.MAX_SLOTS) {
                bits.set(slot);
                inUse++;
                ByteBuffer region = regions.get(r);
                ScbAccess.claim(region, ScbLayout.scbOffset(slot), tid, escapable, WorkerState.REGISTERED);
                ScbBinding binding = new ScbBinding(region, slot, tid, escapable, managed);
                holders.get(r)[slot] = binding;
                return binding;
            }
        }
    }

    /** Frees a slot claimed here; unknown bindings are ignored (idempotent). */
    public synchronized void release(ScbBinding binding) {
        int r = indexOf(binding.region());
        if (r < 0 || holders.get(r)[binding.slot()] != binding) {
            return;
        }
        holders.get(r)[binding.slot()] = null;
        ScbAccess.setWorkerState(binding.region(), binding.scb(), WorkerState.DEAD);
        used.get(r).clear(binding.slot());
        inUse--;
    }

    /** Calls {@code action} for every claimed SCB (under the pool's lock: keep it short). */
    public synchronized void forEach(Consumer<ScbBinding> action) {
        for (int r = 0; r < holders.size(); r++) {
            BitSet bits = used.get(r);
            ScbBinding[] held = holders.get(r);
            for (int slot = bits.nextSetBit(0); slot >= 0; slot = bits.nextSetBit(slot + 1)) {
                action.accept(held[slot]);
            }
        }
    }

    public synchronized int inUse() {
        return inUse;
    }

    private int indexOf(ByteBuffer region) {
        for (int i = 0; i < regions.size(); i++) {
            if (regions.get(i) == region) {
                return i;
            }
        }
        return -1;
    }
}
