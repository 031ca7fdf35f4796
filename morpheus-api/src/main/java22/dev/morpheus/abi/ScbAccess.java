package dev.morpheus.abi;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * Every read and write of region memory goes through this class, so memory ordering is decided
 * in one place: the JDK 22+ implementation of the multi-release jar (compiled with
 * {@code --release 22} into {@code META-INF/versions/22}), which reaches region memory through
 * the FFM API: a {@link MemorySegment} over the region's direct {@link ByteBuffer} and the
 * VarHandles of {@link ValueLayout#JAVA_LONG}, {@link ValueLayout#JAVA_INT} and
 * {@link ValueLayout#JAVA_SHORT}, no {@code sun.misc.Unsafe} (whose memory access warns from JDK
 * 24 on and is being removed). {@code src/main/java/dev/morpheus/abi/ScbAccess.java} is the
 * JDK 17-21 one; both have the same public methods, the same ordering contract (its class
 * comment has it, shared with the BPF programs and morpheus_abi.h's writer table) and the same
 * results, and {@code ScbAccessTest} runs against whichever the JVM loads.
 *
 * <p>A region stays a direct {@link ByteBuffer} in the API (mmapped from a BPF map in kernel
 * mode, allocated in-process otherwise, laid out as {@link ScbLayout} describes; {@code scb}
 * arguments are the byte offset of an SCB in it). Every access views it as a segment
 * ({@link MemorySegment#ofBuffer}, which keeps the buffer, and so the memory or the mapping,
 * alive while the segment is). A {@code (region, scb)} method makes one per call: two small
 * objects that C2 scalar-replaces where it inlines the whole access and allocates where it does
 * not (96 B per critical section measured when the worker used them). Those calls are the
 * samplers', the region owner's and the tests'; what a worker does on its own SCB per hint,
 * yield, critical section and state change goes through its hot handle (the {@code hot*}
 * methods), the segment it made once per binding: 0 B/op.
 * Only aligned layouts are used: every field of the ABI is naturally aligned and every region
 * is at least cache-line aligned, so a misplaced access fails loudly instead of tearing.
 *
 * <p><b>The hot path.</b> A worker's hot handle ({@link #hotBase}, {@link #hotOffset}) is here
 * the region's segment, made once per binding, and the SCB's offset in it. The checkpoint is
 * then one {@code getAcquire} of {@code JAVA_LONG} on that segment: the segment's bounds,
 * alignment and liveness checks are compares against final fields, which C2 turns into
 * predictable branches beside the one acquire load (a plain load on x86, {@code ldar} on arm64);
 * no allocation.
 */
public final class ScbAccess {
    private ScbAccess() {}

    private static final VarHandle LONGS = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INTS = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle SHORTS = ValueLayout.JAVA_SHORT.varHandle();

    /**
     * The region as a segment over its whole capacity (offsets are from the region's start,
     * wherever the buffer's position is), made per call. Not cached: a cache of segments, even
     * one holding them and their regions only weakly, kept kernel regions mapped after their
     * workers had moved (KernelHintSourceDaemonTest: the first region never unmapped, fds left
     * open), and a kernel region is released only when its buffer is collected. The slow path
     * runs per sample and per hint, not per message.
     */
    private static MemorySegment segment(ByteBuffer region) {
        return newSegment(region);
    }

    private static MemorySegment newSegment(ByteBuffer region) {
        if (!region.isDirect()) {
            throw new IllegalArgumentException("region must be a direct ByteBuffer (a mapping or allocateRegion), got a heap buffer of "
                    + region.capacity() + " bytes");
        }
        return MemorySegment.ofBuffer(region.duplicate().clear());
    }

    /**
     * Which implementation is loaded: {@code "ffm"} here; the JDK 17-21 class says
     * {@code "unsafe"} or {@code "varhandle"}.
     */
    public static String implementation() {
        return "ffm";
    }

    /**
     * The object half of an SCB's hot handle: here the region's segment. Keep it with
     * {@link #hotOffset(ByteBuffer, int)} for the worker's own hot-path accesses.
     * {@code region} must be direct (all regions are).
     */
    public static Object hotBase(ByteBuffer region, int scb) {
        return newSegment(region);
    }

    /** The number half of an SCB's hot handle, paired with {@link #hotBase(ByteBuffer, int)}: the SCB's offset. */
    public static long hotOffset(ByteBuffer region, int scb) {
        return scb;
    }

    /** The checkpoint's load: the hint word (both hint sequences) with acquire semantics, through a hot handle. */
    public static long hotHintWord(Object hotBase, long hotOffset) {
        return (long) LONGS.getAcquire((MemorySegment) hotBase, hotOffset + ScbLayout.SCB_HINT_WORD_OFFSET);
    }

    /** {@link #setWorkerState(ByteBuffer, int, WorkerState)} through a hot handle (the worker's own SCB). */
    public static void hotWorkerState(Object hotBase, long hotOffset, WorkerState state) {
        INTS.setRelease((MemorySegment) hotBase, hotOffset + ScbLayout.SCB_WORKER_STATE_OFFSET, state.code());
    }

    /**
     * {@link #beginRun(ByteBuffer, int, long)} for a worker's hot path, through its SCB's hot
     * handle: the same two stores, on the segment made once per binding.
     */
    public static void hotBeginRun(Object hotBase, long hotOffset, long runSeq) {
        MemorySegment segment = (MemorySegment) hotBase;
        LONGS.setOpaque(segment, hotOffset + ScbLayout.SCB_RUN_SEQ_OFFSET, runSeq);
        INTS.setRelease(segment, hotOffset + ScbLayout.SCB_WORKER_STATE_OFFSET, WorkerState.RUNNING.code());
    }

    // ---------------------------------------------------------------- region header

    /** Fills a header and publishes it: {@code magic} is stored last, with release semantics. */
    public static void initHeader(ByteBuffer region, int slots, int regionId, long sliceNs, long graceNs,
                                  long maxCriticalNs, SchedulerMode mode, EscalationPolicy escalation, long epoch) {
        MemorySegment m = segment(region);
        SHORTS.set(m, (long) ScbLayout.HEADER_ABI_MAJOR_OFFSET, (short) ScbLayout.ABI_MAJOR);
        SHORTS.set(m, (long) ScbLayout.HEADER_ABI_MINOR_OFFSET, (short) ScbLayout.ABI_MINOR);
        INTS.set(m, (long) ScbLayout.HEADER_HEADER_SIZE_OFFSET, ScbLayout.HEADER_SIZE);
        INTS.set(m, (long) ScbLayout.HEADER_SCB_SIZE_OFFSET, ScbLayout.SCB_SIZE);
        INTS.set(m, (long) ScbLayout.HEADER_SLOT_COUNT_OFFSET, slots);
        INTS.set(m, (long) ScbLayout.HEADER_SCHED_MODE_OFFSET, mode.code());
        INTS.set(m, (long) ScbLayout.HEADER_ESCALATION_OFFSET, escalation.code());
        INTS.set(m, (long) ScbLayout.HEADER_REGION_ID_OFFSET, regionId);
        LONGS.set(m, (long) ScbLayout.HEADER_SLICE_NS_OFFSET, sliceNs);
        LONGS.set(m, (long) ScbLayout.HEADER_GRACE_NS_OFFSET, graceNs);
        LONGS.set(m, (long) ScbLayout.HEADER_MAX_CRITICAL_NS_OFFSET, maxCriticalNs);
        LONGS.set(m, (long) ScbLayout.HEADER_DAEMON_EPOCH_OFFSET, epoch);
        LONGS.setRelease(m, (long) ScbLayout.HEADER_HEARTBEAT_NS_OFFSET, System.nanoTime());
        // Publish: readers that see the magic see every field above.
        INTS.setRelease(m, (long) ScbLayout.HEADER_MAGIC_OFFSET, ScbLayout.MAGIC);
    }

    /**
     * Checks a region written by someone else (morpheusd) before anything in it is used.
     * @throws IllegalStateException naming what is wrong and what was expected
     */
    public static void validateHeader(ByteBuffer region) {
        MemorySegment m = segment(region);
        if (region.capacity() < ScbLayout.HEADER_SIZE) {
            throw new IllegalStateException("region of " + region.capacity() + " bytes is smaller than its header ("
                    + ScbLayout.HEADER_SIZE + ")");
        }
        int magic = (int) INTS.getAcquire(m, (long) ScbLayout.HEADER_MAGIC_OFFSET);
        if (magic != ScbLayout.MAGIC) {
            throw new IllegalStateException(String.format("region magic 0x%08x, expected 0x%08x (not a Morpheus region or not yet published)",
                    magic, ScbLayout.MAGIC));
        }
        int major = Short.toUnsignedInt((short) SHORTS.get(m, (long) ScbLayout.HEADER_ABI_MAJOR_OFFSET));
        if (major != ScbLayout.ABI_MAJOR) {
            throw new IllegalStateException("region ABI major " + major + ", this library speaks " + ScbLayout.ABI_MAJOR
                    + ": upgrade the older of morpheusd and the JVM library");
        }
        int scbSize = (int) INTS.get(m, (long) ScbLayout.HEADER_SCB_SIZE_OFFSET);
        int slots = slotCount(region);
        if (scbSize != ScbLayout.SCB_SIZE || slots < 0 || ScbLayout.regionSize(slots) > region.capacity()) {
            throw new IllegalStateException("region header inconsistent: scb_size " + scbSize + " (expected "
                    + ScbLayout.SCB_SIZE + "), slot_count " + slots + " for " + region.capacity() + " bytes");
        }
    }

    public static int slotCount(ByteBuffer region) {
        return (int) INTS.get(segment(region), (long) ScbLayout.HEADER_SLOT_COUNT_OFFSET);
    }

    public static long heartbeatNanos(ByteBuffer region) {
        return (long) LONGS.getAcquire(segment(region), (long) ScbLayout.HEADER_HEARTBEAT_NS_OFFSET);
    }

    public static void heartbeat(ByteBuffer region, long nowNs) {
        LONGS.setRelease(segment(region), (long) ScbLayout.HEADER_HEARTBEAT_NS_OFFSET, nowNs);
    }

    /** The region owner's slice ({@code slice_ns}): morpheusd's hint budget ({@code --hint-budget-ms}) for a kernel region. */
    public static long headerSliceNanos(ByteBuffer region) {
        return (long) LONGS.get(segment(region), (long) ScbLayout.HEADER_SLICE_NS_OFFSET);
    }

    /** The region owner's max-critical ({@code max_critical_ns}), 0 where it sets none. */
    public static long headerMaxCriticalNanos(ByteBuffer region) {
        return (long) LONGS.get(segment(region), (long) ScbLayout.HEADER_MAX_CRITICAL_NS_OFFSET);
    }

    public static long daemonEpoch(ByteBuffer region) {
        return (long) LONGS.get(segment(region), (long) ScbLayout.HEADER_DAEMON_EPOCH_OFFSET);
    }

    // ---------------------------------------------------------------- SCB line 0: hint source -> runtime

    /** The hint word (both sequences), acquire: what the checkpoint compares with its last answer. */
    public static long hintWordAcquire(ByteBuffer region, int scb) {
        return (long) LONGS.getAcquire(segment(region), (long) scb + ScbLayout.SCB_HINT_WORD_OFFSET);
    }

    /**
     * LOCAL's one write into shared memory: {@code local_hint_seq += 1}, atomically (a full
     * fence, so whatever the poster wrote before is visible to a worker that sees the new word).
     * The hint's reason and time are the poster's to keep ({@link dev.morpheus.hint.ScbBinding#postLocalHint}).
     * @return the new local sequence
     */
    public static int incrementLocalHintSeq(ByteBuffer region, int scb) {
        return (int) INTS.getAndAdd(segment(region), (long) scb + ScbLayout.SCB_LOCAL_HINT_SEQ_OFFSET, 1) + 1;
    }

    /**
     * What the BPF programs do to post a hint, in Java, for tests that play the kernel (no JVM
     * code may call it: these are KERNEL fields): writes reason, pressure, time and budget,
     * counts a coalesced hint, then increments {@code kernel_hint_seq} atomically.
     * @return the new kernel sequence
     */
    public static int postKernelHint(ByteBuffer region, int scb, HintReason reason, int pressure, long nowNs, long budgetNs) {
        MemorySegment m = segment(region);
        INTS.setOpaque(m, (long) scb + ScbLayout.SCB_HINT_REASON_OFFSET, reason.code());
        INTS.setOpaque(m, (long) scb + ScbLayout.SCB_PRESSURE_OFFSET, Math.max(0, Math.min(100, pressure)));
        LONGS.setOpaque(m, (long) scb + ScbLayout.SCB_HINT_TIME_NS_OFFSET, nowNs);
        LONGS.setOpaque(m, (long) scb + ScbLayout.SCB_BUDGET_REMAINING_NS_OFFSET, budgetNs);
        if (HintWords.kernelSeq(hintWordAcquire(region, scb)) != HintWords.kernelSeq(ackWord(region, scb))) {
            LONGS.getAndAdd(m, (long) scb + ScbLayout.SCB_HINT_LOSS_COUNT_OFFSET, 1L);
        }
        return (int) INTS.getAndAdd(m, (long) scb + ScbLayout.SCB_KERNEL_HINT_SEQ_OFFSET, 1) + 1;
    }

    /** Whether the worker has not yet answered the latest hint, of either poster. */
    public static boolean hintPending(ByteBuffer region, int scb) {
        return hintWordAcquire(region, scb) != ackWord(region, scb);
    }

    // The (region, scb) forms of the accesses a worker also makes through its hot handle are
    // that same code on a segment made for the call (the hot* methods at the end: one place per
    // field and ordering).

    public static HintReason hintReason(ByteBuffer region, int scb) {
        return hotHintReason(segment(region), scb);
    }

    public static int pressure(ByteBuffer region, int scb) {
        return hotPressure(segment(region), scb);
    }

    public static long hintTimeNanos(ByteBuffer region, int scb) {
        return hotHintTimeNanos(segment(region), scb);
    }

    public static long escalationCount(ByteBuffer region, int scb) {
        return hotEscalationCount(segment(region), scb);
    }

    public static long hintLossCount(ByteBuffer region, int scb) {
        return (long) LONGS.getOpaque(segment(region), (long) scb + ScbLayout.SCB_HINT_LOSS_COUNT_OFFSET);
    }

    // ---------------------------------------------------------------- SCB line 1: runtime -> kernel

    /**
     * The region OWNER's hand-out of an in-process slot: resets the worker line (the slot is not
     * handed out yet) and publishes it with the state store.
     */
    public static void claim(ByteBuffer region, int scb, int tid, boolean escapable, WorkerState state) {
        MemorySegment m = segment(region);
        LONGS.setOpaque(m, (long) scb + ScbLayout.SCB_ACK_WORD_OFFSET, hintWordAcquire(region, scb));
        INTS.setOpaque(m, (long) scb + ScbLayout.SCB_CRITICAL_DEPTH_OFFSET, 0);
        INTS.setOpaque(m, (long) scb + ScbLayout.SCB_ESCAPABLE_OFFSET, escapable ? 1 : 0);
        LONGS.setOpaque(m, (long) scb + ScbLayout.SCB_CRITICAL_ENTRY_NS_OFFSET, 0L);
        INTS.setOpaque(m, (long) scb + ScbLayout.SCB_LAST_YIELD_CAUSE_OFFSET, YieldCause.VOLUNTARY.code());
        LONGS.setOpaque(m, (long) scb + ScbLayout.SCB_YIELD_COUNT_OFFSET, 0L);
        LONGS.setOpaque(m, (long) scb + ScbLayout.SCB_HINT_YIELD_COUNT_OFFSET, 0L);
        LONGS.setOpaque(m, (long) scb + ScbLayout.SCB_RUN_SEQ_OFFSET, 0L);
        INTS.setOpaque(m, (long) scb + ScbLayout.SCB_OWNER_TID_OFFSET, tid);
        INTS.setRelease(m, (long) scb + ScbLayout.SCB_WORKER_STATE_OFFSET, state.code());
    }

    public static int ownerTid(ByteBuffer region, int scb) {
        return (int) INTS.getOpaque(segment(region), (long) scb + ScbLayout.SCB_OWNER_TID_OFFSET);
    }

    public static void setWorkerState(ByteBuffer region, int scb, WorkerState state) {
        hotWorkerState(segment(region), scb, state);
    }

    public static WorkerState workerState(ByteBuffer region, int scb) {
        int code = (int) INTS.getAcquire(segment(region), (long) scb + ScbLayout.SCB_WORKER_STATE_OFFSET);
        return WorkerState.fromCodeOr(code, WorkerState.DEAD);
    }

    /**
     * Answers every hint in {@code hintWord} (both posters' sequences). Release: the kernel sees
     * the ack after the work before it.
     */
    public static void ack(ByteBuffer region, int scb, long hintWord) {
        hotAck(segment(region), scb, hintWord);
    }

    /** The hint word the worker last answered. */
    public static long ackWord(ByteBuffer region, int scb) {
        return (long) LONGS.getAcquire(segment(region), (long) scb + ScbLayout.SCB_ACK_WORD_OFFSET);
    }

    /** Enters or leaves a critical section. The entry time is written before the depth that publishes it. */
    public static void setCritical(ByteBuffer region, int scb, int depth, long entryNs) {
        hotSetCritical(segment(region), scb, depth, entryNs);
    }

    public static int criticalDepth(ByteBuffer region, int scb) {
        return (int) INTS.getAcquire(segment(region), (long) scb + ScbLayout.SCB_CRITICAL_DEPTH_OFFSET);
    }

    public static long criticalEntryNanos(ByteBuffer region, int scb) {
        return (long) LONGS.getOpaque(segment(region), (long) scb + ScbLayout.SCB_CRITICAL_ENTRY_NS_OFFSET);
    }

    public static boolean escapable(ByteBuffer region, int scb) {
        return (int) INTS.getOpaque(segment(region), (long) scb + ScbLayout.SCB_ESCAPABLE_OFFSET) != 0;
    }

    /** Records a yield in the SCB's ledger fields. Only the owning worker calls this. */
    public static void recordYield(ByteBuffer region, int scb, YieldCause cause, boolean answeredHint) {
        hotRecordYield(segment(region), scb, cause, answeredHint);
    }

    public static long yieldCount(ByteBuffer region, int scb) {
        return (long) LONGS.getOpaque(segment(region), (long) scb + ScbLayout.SCB_YIELD_COUNT_OFFSET);
    }

    public static long hintYieldCount(ByteBuffer region, int scb) {
        return (long) LONGS.getOpaque(segment(region), (long) scb + ScbLayout.SCB_HINT_YIELD_COUNT_OFFSET);
    }

    public static YieldCause lastYieldCause(ByteBuffer region, int scb) {
        return YieldCause.fromCode((int) INTS.getOpaque(segment(region), (long) scb + ScbLayout.SCB_LAST_YIELD_CAUSE_OFFSET));
    }

    /**
     * Starts a run (a batch of work): {@code run_seq} moves to {@code runSeq} (the worker's own
     * count, +1 per run) and the state to RUNNING. Two stores, no clock read: the JVM's samplers
     * time the run from when they first see the new sequence ({@link dev.morpheus.hint.RunClock}).
     */
    public static void beginRun(ByteBuffer region, int scb, long runSeq) {
        hotBeginRun(segment(region), scb, runSeq);
    }

    /** The worker's run count ({@code run_seq}): a change means a new run began. */
    public static long runSeq(ByteBuffer region, int scb) {
        return (long) LONGS.getOpaque(segment(region), (long) scb + ScbLayout.SCB_RUN_SEQ_OFFSET);
    }

    // ---------------------------------------------------------------- the worker's own SCB, through its hot handle
    // What a worker does on its own SCB per hint, per yield, per critical section and per state
    // change, on the segment it made once per binding, so none of them allocates (a
    // (region, scb) call makes a segment: 96 B per critical section measured on JDK 25,
    // CheckpointBenchmark.criticalSection); the (region, scb) forms above call these.

    /** {@link #hintReason(ByteBuffer, int)} through a hot handle. */
    public static HintReason hotHintReason(Object hotBase, long hotOffset) {
        int code = (int) INTS.getOpaque((MemorySegment) hotBase, hotOffset + ScbLayout.SCB_HINT_REASON_OFFSET);
        return HintReason.fromCodeOr(code, HintReason.NONE);
    }

    /** {@link #pressure(ByteBuffer, int)} through a hot handle. */
    public static int hotPressure(Object hotBase, long hotOffset) {
        return (int) INTS.getOpaque((MemorySegment) hotBase, hotOffset + ScbLayout.SCB_PRESSURE_OFFSET);
    }

    /** {@link #hintTimeNanos(ByteBuffer, int)} through a hot handle. */
    public static long hotHintTimeNanos(Object hotBase, long hotOffset) {
        return (long) LONGS.getOpaque((MemorySegment) hotBase, hotOffset + ScbLayout.SCB_HINT_TIME_NS_OFFSET);
    }

    /** {@link #escalationCount(ByteBuffer, int)} through a hot handle. */
    public static long hotEscalationCount(Object hotBase, long hotOffset) {
        return (long) LONGS.getOpaque((MemorySegment) hotBase, hotOffset + ScbLayout.SCB_ESCALATION_COUNT_OFFSET);
    }

    /** {@link #ack(ByteBuffer, int, long)} through a hot handle (release). */
    public static void hotAck(Object hotBase, long hotOffset, long hintWord) {
        LONGS.setRelease((MemorySegment) hotBase, hotOffset + ScbLayout.SCB_ACK_WORD_OFFSET, hintWord);
    }

    /** {@link #setCritical(ByteBuffer, int, int, long)} through a hot handle: the entry time, then the depth (release). */
    public static void hotSetCritical(Object hotBase, long hotOffset, int depth, long entryNs) {
        MemorySegment m = (MemorySegment) hotBase;
        if (entryNs != 0) {
            LONGS.setOpaque(m, hotOffset + ScbLayout.SCB_CRITICAL_ENTRY_NS_OFFSET, entryNs);
        }
        INTS.setRelease(m, hotOffset + ScbLayout.SCB_CRITICAL_DEPTH_OFFSET, depth);
    }

    /** {@link #recordYield(ByteBuffer, int, YieldCause, boolean)} through a hot handle. */
    public static void hotRecordYield(Object hotBase, long hotOffset, YieldCause cause, boolean answeredHint) {
        MemorySegment m = (MemorySegment) hotBase;
        INTS.setOpaque(m, hotOffset + ScbLayout.SCB_LAST_YIELD_CAUSE_OFFSET, cause.code());
        long count = hotOffset + ScbLayout.SCB_YIELD_COUNT_OFFSET;
        LONGS.setOpaque(m, count, (long) LONGS.getOpaque(m, count) + 1);
        if (answeredHint) {
            long hinted = hotOffset + ScbLayout.SCB_HINT_YIELD_COUNT_OFFSET;
            LONGS.setOpaque(m, hinted, (long) LONGS.getOpaque(m, hinted) + 1);
        }
    }
}
