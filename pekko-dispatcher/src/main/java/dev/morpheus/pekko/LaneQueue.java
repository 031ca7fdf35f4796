package dev.morpheus.pekko;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A lane's task queue in the {@link MorpheusExecutor}: one producer (the lane's own thread),
 * any number of consumers (the owner and thieves), first in, first out. It replaces a
 * {@code ConcurrentLinkedQueue}, which allocated a node per task and paid a CAS on the tail
 * for a queue that only one thread ever offers to: here an offer is two stores and no
 * allocation, a take is one CAS on the head.
 *
 * <p><b>Design.</b> A ring of slots indexed by two ever-growing counters: {@code tail}, the next
 * index to fill (written by the producer only, published with a release store after the
 * slot), and {@code head}, the next index to take (advanced by consumers with a CAS). A
 * consumer reads head, then tail, then the ring, then the slot; the head CAS decides who gets
 * it, so each task is taken exactly once. A consumer that read a slot of a ring that was since
 * grown, or a slot already cleared, finds its CAS failing (the head has moved past the index)
 * or a null, and reads again. The producer never overwrites a slot whose index may still be
 * taken: it fills index {@code t} only while {@code t - head < capacity}, else it grows the ring
 * (twice the slots, the live indices copied to the same positions modulo the new capacity).
 *
 * <p><b>No stale references.</b> Consumers leave their slots as they were (a consumer clearing
 * its slot could erase a task the producer wrote there meanwhile). The producer clears the
 * slots below the head before each offer and when its thread goes idle or ends
 * ({@link #clearTaken()}), so a queue holds no reference to a task that ran, one slot store
 * per task taken.
 */
final class LaneQueue {
    /** Slots at first (a power of two): a lane rarely holds more than a few hundred woken mailboxes. */
    static final int INITIAL_CAPACITY = 256;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Runnable[].class);
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(LaneQueue.class, "head", long.class);
            TAIL = l.findVarHandle(LaneQueue.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The ring: replaced (grown) by the producer only. */
    private volatile Runnable[] slots = new Runnable[INITIAL_CAPACITY];
    /** The next index to take: consumers only, by CAS. */
    private volatile long head;
    /** The next index to fill: the producer only (release store after the slot). */
    private volatile long tail;
    /** Slots below this index hold no reference (the producer only). */
    private long cleared;

    /**
     * Queues {@code task} (the producer only: the lane's own thread).
     * @return how many tasks waited before it (about: consumers may be taking meanwhile)
     */
    int offer(Runnable task) {
        long t = (long) TAIL.get(this);
        long h = head;
        Runnable[] ring = slots;
        if (t - h >= ring.length) {
            ring = grow(ring, h, t);
        } else {
            clearBelow(ring, h);
        }
        SLOT.set(ring, (int) t & (ring.length - 1), task);
        TAIL.setRelease(this, t + 1);
        return (int) (t - h);
    }

    /** The oldest task, or null if none (any thread). */
    Runnable poll() {
        while (true) {
            long h = head;
            if (h >= tail) {
                return null;
            }
            Runnable[] ring = slots;
            Runnable task = (Runnable) SLOT.getAcquire(ring, (int) h & (ring.length - 1));
            if (task != null && HEAD.compareAndSet(this, h, h + 1)) {
                return task;
            }
            // Another consumer took index h, or this one read a grown ring's or a cleared slot: again.
        }
    }

    /** Whether no task waits (any thread; a racy snapshot). */
    boolean isEmpty() {
        return head >= tail;
    }

    /** Tasks waiting (any thread; a racy snapshot, never negative). */
    int size() {
        long h = head;
        return (int) Math.max(0, tail - h);
    }

    /** Tasks taken so far, by anyone: it changes whenever the queue's head moves on. */
    long taken() {
        return head;
    }

    /** Drops the references to tasks already taken (the producer only: when its thread goes idle or ends). */
    void clearTaken() {
        clearBelow(slots, head);
    }

    /**
     * Nulls the slots of the indices below {@code h} not cleared yet. Safe against a consumer
     * with an older head: it finds null, or a moved head, and reads again. No slot here holds a
     * live task: the producer fills index {@code i + capacity} only after the head passed
     * {@code i}, and clears up to the head before each fill.
     */
    private void clearBelow(Runnable[] ring, long h) {
        int mask = ring.length - 1;
        for (long i = cleared; i < h; i++) {
            SLOT.setOpaque(ring, (int) i & mask, (Runnable) null);
        }
        if (h > cleared) {
            cleared = h;
        }
    }

    /** Twice the slots, the indices {@code h..t-1} copied to their positions in the new ring. */
    private Runnable[] grow(Runnable[] ring, long h, long t) {
        int capacity = ring.length << 1;
        if (capacity <= 0) {
            throw new IllegalStateException("lane queue full: " + ring.length + " tasks waiting");
        }
        Runnable[] bigger = new Runnable[capacity];
        int oldMask = ring.length - 1;
        int newMask = capacity - 1;
        for (long i = h; i < t; i++) {
            bigger[(int) i & newMask] = (Runnable) SLOT.get(ring, (int) i & oldMask);
        }
        slots = bigger;
        cleared = h;
        return bigger;
    }
}
