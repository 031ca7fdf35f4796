package dev.morpheus.abi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Every read and write of region memory goes through this class, so memory ordering is decided
 * in one place. A region is a direct {@link ByteBuffer} (mmapped from a BPF map in kernel mode,
 * allocated in-process otherwise) laid out as {@link ScbLayout} describes; {@code scb} arguments
 * are the byte offset of an SCB inside it ({@link ScbLayout#scbOffset(int)}).
 *
 * <p>Ordering contract, shared with the BPF programs (the writer table of morpheus_abi.h names
 * the one writer of every field; the JVM writes only LOCAL, WORKER and, for its own in-process
 * regions, OWNER fields):
 * <ul>
 *   <li>the kernel writes reason, pressure and times with plain stores, then increments
 *       {@code kernel_hint_seq} atomically; the JVM's posters increment {@code local_hint_seq}
 *       atomically (their reason and time stay in the JVM, {@link dev.morpheus.hint.ScbBinding});
 *       the worker acquire-loads the 64-bit hint word holding both sequences, so it sees the
 *       fields written before either increment;</li>
 *   <li>the worker release-stores the ack word (the hint word it answered), {@code critical_depth}
 *       and {@code worker_state}; the kernel side reads them whenever it samples, and a stale
 *       read costs at most one sample period;</li>
 *   <li>region headers are written with plain stores and published by a release store of
 *       {@code magic}.</li>
 * </ul>
 *
 * <p><b>Two implementations, one class.</b> morpheus-api is a multi-release jar. This file is
 * the JDK 17-21 one; {@code src/main/java22/dev/morpheus/abi/ScbAccess.java}, compiled with
 * {@code --release 22} into {@code META-INF/versions/22}, replaces it on JDK 22 and later and
 * reaches the same memory through the FFM API ({@code MemorySegment} and its VarHandles,
 * no {@code sun.misc.Unsafe}, which warns from JDK 24 on and is being removed). Both have the
 * same public methods and the same ordering; {@link #implementation()} says which one is loaded.
 *
 * <p><b>The hot path.</b> A ByteBuffer VarHandle checks bounds, alignment and the buffer's state
 * on every access: about a nanosecond, more than the load itself. So a worker asks once per
 * binding for its SCB's hot handle, a pair ({@link #hotBase}, {@link #hotOffset}) whose meaning
 * is the implementation's, and its checkpoint and run marks go through {@link #hotHintWord},
 * {@link #hotBeginRun} and {@link #hotWorkerState}. Here the pair is {@code (null, raw address)}
 * when {@code sun.misc.Unsafe} is usable (supported and silent before JDK 23: from the jar this
 * file runs on JDK 17-21 only, but from a plain class directory, as in an IDE, on any JDK,
 * hence the version check), so the checkpoint is one volatile load from the raw address (a plain
 * load on x86, {@code ldar} on arm64); it is {@code (buffer, offset)} with the VarHandle
 * otherwise. The worker keeps the buffer (and so the memory or the mapping) alive.
 * {@code -Dmorpheus.rawLoads=false} forces the VarHandle everywhere.
 */
public final class ScbAccess {
    private ScbAccess() {}

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    /** Non-null when raw checkpoint loads are in use (see the class comment). */
    private static final sun.misc.Unsafe UNSAFE;
    private static final long BUFFER_ADDRESS_OFFSET;

    static {
        sun.misc.Unsafe unsafe = null;
        long offset = -1;
        if (Runtime.version().feature() < 23 && Boolean.parseBoolean(System.getProperty("morpheus.rawLoads", "true"))) {
            try {
                Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                f.setAccessible(true);
                unsafe = (sun.misc.Unsafe) f.get(null);
                offset = unsafe.objectFieldOffset(Buffer.class.getDeclaredField("address"));
            } catch (ReflectiveOperationException | RuntimeException e) {
                unsafe = null; // a JDK without it: the VarHandle path is always correct
            }
        }
        UNSAFE = unsafe;
        BUFFER_ADDRESS_OFFSET = offset;
    }

    /**
     * Which implementation is loaded: {@code "unsafe"} (raw addresses through
     * {@code sun.misc.Unsafe}), {@code "varhandle"} (ByteBuffer VarHandles only) or, from the
     * jar's JDK 22 version, {@code "ffm"}.
     */
    public static String implementation() {
        return UNSAFE != null ? "unsafe" : "varhandle";
    }

    /**
     * The object half of an SCB's hot handle (see the class comment); keep it with
     * {@link #hotOffset(ByteBuffer, int)} for the worker's own hot-path accesses.
     * {@code region} must be direct (all regions are).
     */
    public static Object hotBase(ByteBuffer region, int scb) {
        return UNSAFE != null && region.isDirect() ? null : region;
    }

    /** The number half of an SCB's hot handle, paired with {@link #hotBase(ByteBuffer, int)}. */
    public static long hotOffset(ByteBuffer region, int scb) {
        if (UNSAFE != null && region.isDirect()) {
            return UNSAFE.getLong(region, BUFFER_ADDRESS_OFFSET) + scb;
        }
        return scb;
    }

    /**
     * The checkpoint's load: the hint word (both hint sequences) with acquire semantics, through
     * a hot handle: one volatile load from the raw address, or the VarHandle.
     */
    public static long hotHintWord(Object hotBase, long hotOffset) {
        if (hotBase == null) {
            return UNSAFE.getLongVolatile(null, hotOffset + ScbLayout.SCB_HINT_WORD_OFFSET);
        }
        return (long) LONGS.getAcquire((ByteBuffer) hotBase, (int) hotOffset + ScbLayout.SCB_HINT_WORD_OFFSET);
    }

    // ---------------------------------------------------------------- region header

    /** Fills a header and publishes it: {@code magic} is stored last, with release semantics. */
    public static void initHeader(ByteBuffer region, int slots, int regionId, long sliceNs, long graceNs,
                                  long maxCriticalNs, SchedulerMode mode, EscalationPolicy escalation, long epoch) {
        region.putShort(ScbLayout.HEADER_ABI_MAJOR_OFFSET, (short) ScbLayout.ABI_MAJOR);
        region.putShort(ScbLayout.HEADER_ABI_MINOR_OFFSET, (short) ScbLayout.ABI_MINOR);
        INTS.set(region, ScbLayout.HEADER_HEADER_SIZE_OFFSET, ScbLayout.HEADER_SIZE);
        INTS.set(region, ScbLayout.HEADER_SCB_SIZE_OFFSET, ScbLayout.SCB_SIZE);
        INTS.set(region, ScbLayout.HEADER_SLOT_COUNT_OFFSET, slots);
        INTS.set(region, ScbLayout.HEADER_SCHED_MODE_OFFSET, mode.code());
        INTS.set(region, ScbLayout.HEADER_ESCALATION_OFFSET, escalation.code());
        INTS.set(region, ScbLayout.HEADER_REGION_ID_OFFSET, regionId);
        LONGS.set(region, ScbLayout.HEADER_SLICE_NS_OFFSET, sliceNs);
        LONGS.set(region, ScbLayout.HEADER_GRACE_NS_OFFSET, graceNs);
        LONGS.set(region, ScbLayout.HEADER_MAX_CRITICAL_NS_OFFSET, maxCriticalNs);
        LONGS.set(region, ScbLayout.HEADER_DAEMON_EPOCH_OFFSET, epoch);
        LONGS.setRelease(region, ScbLayout.HEADER_HEARTBEAT_NS_OFFSET, System.nanoTime());
        // Publish: readers that see the magic see every field above.
        INTS.setRelease(region, ScbLayout.HEADER_MAGIC_OFFSET, ScbLayout.MAGIC);
    }

    /**
     * Checks a region written by someone else (morpheusd) before anything in it is used.
     * @throws IllegalStateException naming what is wrong and what was expected
     */
    public static void validateHeader(ByteBuffer region) {
        if (region.capacity() < ScbLayout.HEADER_SIZE) {
            throw new IllegalStateException("region of " + region.capacity() + " bytes is smaller than its header ("
                    + ScbLayout.HEADER_SIZE + ")");
        }
        int magic = (int) INTS.getAcquire(region, ScbLayout.HEADER_MAGIC_OFFSET);
        if (magic != ScbLayout.MAGIC) {
            throw new IllegalStateException(String.format("region magic 0x%08x, expected 0x%08x (not a Morpheus region or not yet published)",
                    magic, ScbLayout.MAGIC));
        }
        int major = Short.toUnsignedInt(region.getShort(ScbLayout.HEADER_ABI_MAJOR_OFFSET));
        if (major != ScbLayout.ABI_MAJOR) {
            throw new IllegalStateException("region ABI major " + major + ", this library speaks " + ScbLayout.ABI_MAJOR
                    + ": upgrade the older of morpheusd and the JVM library");
        }
        int scbSize = (int) INTS.get(region, ScbLayout.HEADER_SCB_SIZE_OFFSET);
        int slots = slotCount(region);
        if (scbSize != ScbLayout.SCB_SIZE || slots < 0 || ScbLayout.regionSize(slots) > region.capacity()) {
            throw new IllegalStateException("region header inconsistent: scb_size " + scbSize + " (expected "
                    + ScbLayout.SCB_SIZE + "), slot_count " + slots + " for " + region.capacity() + " bytes");
        }
    }

    public static int slotCount(ByteBuffer region) {
        return (int) INTS.get(region, ScbLayout.HEADER_SLOT_COUNT_OFFSET);
    }

    public static long heartbeatNanos(ByteBuffer region) {
        return (long) LONGS.getAcquire(region, ScbLayout.HEADER_HEARTBEAT_NS_OFFSET);
    }

    public static void heartbeat(ByteBuffer region, long nowNs) {
        LONGS.setRelease(region, ScbLayout.HEADER_HEARTBEAT_NS_OFFSET, nowNs);
    }

    /** The region owner's slice ({@code slice_ns}): morpheusd's hint budget ({@code --hint-budget-ms}) for a kernel region. */
    public static long headerSliceNanos(ByteBuffer region) {
        return (long) LONGS.get(region, ScbLayout.HEADER_SLICE_NS_OFFSET);
    }

    /** The region owner's max-critical ({@code max_critical_ns}), 0 where it sets none. */
    public static long headerMaxCriticalNanos(ByteBuffer region) {
        return (long) LONGS.get(region, ScbLayout.HEADER_MAX_CRITICAL_NS_OFFSET);
    }

    public static long daemonEpoch(ByteBuffer region) {
        return (long) LONGS.get(region, ScbLayout.HEADER_DAEMON_EPOCH_OFFSET);
    }

    // ---------------------------------------------------------------- SCB line 0: hint source -> runtime

    /** The hint word (both sequences), acquire: what the checkpoint compares with its last answer. */
    public static long hintWordAcquire(ByteBuffer region, int scb) {
        return (long) LONGS.getAcquire(region, scb + ScbLayout.SCB_HINT_WORD_OFFSET);
    }

    /**
     * LOCAL's one write into shared memory: {@code local_hint_seq += 1}, atomically (a full
     * fence, so whatever the poster wrote before is visible to a worker that sees the new word).
     * The hint's reason and time are the poster's to keep ({@link dev.morpheus.hint.ScbBinding#postLocalHint}).
     * @return the new local sequence
     */
    public static int incrementLocalHintSeq(ByteBuffer region, int scb) {
        return (int) INTS.getAndAdd(region, scb + ScbLayout.SCB_LOCAL_HINT_SEQ_OFFSET, 1) + 1;
    }

    /**
     * What the BPF programs do to post a hint, in Java, for tests that play the kernel (no JVM
     * code may call it: these are KERNEL fields): writes reason, pressure, time and budget,
     * counts a coalesced hint, then increments {@code kernel_hint_seq} atomically.
     * @return the new kernel sequence
     */
    public static int postKernelHint(ByteBuffer region, int scb, HintReason reason, int pressure, long nowNs, long budgetNs) {
        INTS.setOpaque(region, scb + ScbLayout.SCB_HINT_REASON_OFFSET, reason.code());
        INTS.setOpaque(region, scb + ScbLayout.SCB_PRESSURE_OFFSET, Math.max(0, Math.min(100, pressure)));
        LONGS.setOpaque(region, scb + ScbLayout.SCB_HINT_TIME_NS_OFFSET, nowNs);
        LONGS.setOpaque(region, scb + ScbLayout.SCB_BUDGET_REMAINING_NS_OFFSET, budgetNs);
        if (HintWords.kernelSeq(hintWordAcquire(region, scb)) != HintWords.kernelSeq(ackWord(region, scb))) {
            LONGS.getAndAdd(region, scb + ScbLayout.SCB_HINT_LOSS_COUNT_OFFSET, 1L);
        }
        return (int) INTS.getAndAdd(region, scb + ScbLayout.SCB_KERNEL_HINT_SEQ_OFFSET, 1) + 1;
    }

    /** Whether the worker has not yet answered the latest hint, of either poster. */
    public static boolean hintPending(ByteBuffer region, int scb) {
        return hintWordAcquire(region, scb) != ackWord(region, scb);
    }

    // The (region, scb) forms of the accesses a worker also makes through its hot handle are
    // that same code with the buffer as the handle (the hot* methods at the end: one place per
    // field and ordering).

    public static HintReason hintReason(ByteBuffer region, int scb) {
        return hotHintReason(region, scb);
    }

    public static int pressure(ByteBuffer region, int scb) {
        return hotPressure(region, scb);
    }

    public static long hintTimeNanos(ByteBuffer region, int scb) {
        return hotHintTimeNanos(region, scb);
    }

    public static long escalationCount(ByteBuffer region, int scb) {
        return hotEscalationCount(region, scb);
    }

    public static long hintLossCount(ByteBuffer region, int scb) {
        return (long) LONGS.getOpaque(region, scb + ScbLayout.SCB_HINT_LOSS_COUNT_OFFSET);
    }

    // ---------------------------------------------------------------- SCB line 1: runtime -> kernel

    /**
     * The region OWNER's hand-out of an in-process slot: resets the worker line (the slot is not
     * handed out yet) and publishes it with the state store.
     */
    public static void claim(ByteBuffer region, int scb, int tid, boolean escapable, WorkerState state) {
        LONGS.setOpaque(region, scb + ScbLayout.SCB_ACK_WORD_OFFSET, hintWordAcquire(region, scb));
        INTS.setOpaque(region, scb + ScbLayout.SCB_CRITICAL_DEPTH_OFFSET, 0);
        INTS.setOpaque(region, scb + ScbLayout.SCB_ESCAPABLE_OFFSET, escapable ? 1 : 0);
        LONGS.setOpaque(region, scb + ScbLayout.SCB_CRITICAL_ENTRY_NS_OFFSET, 0L);
        INTS.setOpaque(region, scb + ScbLayout.SCB_LAST_YIELD_CAUSE_OFFSET, YieldCause.VOLUNTARY.code());
        LONGS.setOpaque(region, scb + ScbLayout.SCB_YIELD_COUNT_OFFSET, 0L);
        LONGS.setOpaque(region, scb + ScbLayout.SCB_HINT_YIELD_COUNT_OFFSET, 0L);
        LONGS.setOpaque(region, scb + ScbLayout.SCB_RUN_SEQ_OFFSET, 0L);
        INTS.setOpaque(region, scb + ScbLayout.SCB_OWNER_TID_OFFSET, tid);
        INTS.setRelease(region, scb + ScbLayout.SCB_WORKER_STATE_OFFSET, state.code());
    }

    public static int ownerTid(ByteBuffer region, int scb) {
        return (int) INTS.getOpaque(region, scb + ScbLayout.SCB_OWNER_TID_OFFSET);
    }

    public static void setWorkerState(ByteBuffer region, int scb, WorkerState state) {
        hotWorkerState(region, scb, state);
    }

    /** {@link #setWorkerState(ByteBuffer, int, WorkerState)} through a hot handle (the worker's own SCB). */
    public static void hotWorkerState(Object hotBase, long hotOffset, WorkerState state) {
        if (hotBase == null) {
            UNSAFE.putOrderedInt(null, hotOffset + ScbLayout.SCB_WORKER_STATE_OFFSET, state.code());
            return;
        }
        INTS.setRelease((ByteBuffer) hotBase, (int) hotOffset + ScbLayout.SCB_WORKER_STATE_OFFSET, state.code());
    }

    public static WorkerState workerState(ByteBuffer region, int scb) {
        int code = (int) INTS.getAcquire(region, scb + ScbLayout.SCB_WORKER_STATE_OFFSET);
        return WorkerState.fromCodeOr(code, WorkerState.DEAD);
    }

    /**
     * Answers every hint in {@code hintWord} (both posters' sequences). Release: the kernel sees
     * the ack after the work before it.
     */
    public static void ack(ByteBuffer region, int scb, long hintWord) {
        hotAck(region, scb, hintWord);
    }

    /** The hint word the worker last answered. */
    public static long ackWord(ByteBuffer region, int scb) {
        return (long) LONGS.getAcquire(region, scb + ScbLayout.SCB_ACK_WORD_OFFSET);
    }

    /** Enters or leaves a critical section. The entry time is written before the depth that publishes it. */
    public static void setCritical(ByteBuffer region, int scb, int depth, long entryNs) {
        hotSetCritical(region, scb, depth, entryNs);
    }

    public static int criticalDepth(ByteBuffer region, int scb) {
        return (int) INTS.getAcquire(region, scb + ScbLayout.SCB_CRITICAL_DEPTH_OFFSET);
    }

    public static long criticalEntryNanos(ByteBuffer region, int scb) {
        return (long) LONGS.getOpaque(region, scb + ScbLayout.SCB_CRITICAL_ENTRY_NS_OFFSET);
    }

    public static boolean escapable(ByteBuffer region, int scb) {
        return (int) INTS.getOpaque(region, scb + ScbLayout.SCB_ESCAPABLE_OFFSET) != 0;
    }

    /** Records a yield in the SCB's ledger fields. Only the owning worker calls this. */
    public static void recordYield(ByteBuffer region, int scb, YieldCause cause, boolean answeredHint) {
        hotRecordYield(region, scb, cause, answeredHint);
    }

    public static long yieldCount(ByteBuffer region, int scb) {
        return (long) LONGS.getOpaque(region, scb + ScbLayout.SCB_YIELD_COUNT_OFFSET);
    }

    public static long hintYieldCount(ByteBuffer region, int scb) {
        return (long) LONGS.getOpaque(region, scb + ScbLayout.SCB_HINT_YIELD_COUNT_OFFSET);
    }

    public static YieldCause lastYieldCause(ByteBuffer region, int scb) {
        return YieldCause.fromCode((int) INTS.getOpaque(region, scb + ScbLayout.SCB_LAST_YIELD_CAUSE_OFFSET));
    }

    /**
     * Starts a run (a batch of work): {@code run_seq} moves to {@code runSeq} (the worker's own
     * count, +1 per run) and the state to RUNNING. Two stores, no clock read: the JVM's samplers
     * time the run from when they first see the new sequence ({@link dev.morpheus.hint.RunClock}).
     */
    public static void beginRun(ByteBuffer region, int scb, long runSeq) {
        hotBeginRun(region, scb, runSeq);
    }

    /**
     * {@link #beginRun(ByteBuffer, int, long)} for a worker's hot path, through its SCB's hot
     * handle: the same two stores, without the buffer's checks where raw access is in use.
     */
    public static void hotBeginRun(Object hotBase, long hotOffset, long runSeq) {
        if (hotBase == null) {
            UNSAFE.putLong(null, hotOffset + ScbLayout.SCB_RUN_SEQ_OFFSET, runSeq);
            UNSAFE.putOrderedInt(null, hotOffset + ScbLayout.SCB_WORKER_STATE_OFFSET, WorkerState.RUNNING.code());
            return;
        }
        ByteBuffer region = (ByteBuffer) hotBase;
        LONGS.setOpaque(region, (int) hotOffset + ScbLayout.SCB_RUN_SEQ_OFFSET, runSeq);
        INTS.setRelease(region, (int) hotOffset + ScbLayout.SCB_WORKER_STATE_OFFSET, WorkerState.RUNNING.code());
    }

    /** The worker's run count ({@code run_seq}): a change means a new run began. */
    public static long runSeq(ByteBuffer region, int scb) {
        return (long) LONGS.getOpaque(region, scb + ScbLayout.SCB_RUN_SEQ_OFFSET);
    }

    // ---------------------------------------------------------------- the worker's own SCB, through its hot handle
    // What a worker does on its own SCB per hint, per yield, per critical section and per state
    // change, through the hot handle it made once per binding, so that none of them allocates on
    // any JDK (the FFM implementation would make a segment per (region, scb) call); the
    // (region, scb) forms above call these with the buffer as the handle. Here: raw stores when
    // the handle is a raw address (Unsafe's volatile/ordered accesses, at least as strong as the
    // opaque/release ones named), the ByteBuffer VarHandle otherwise.

    private static int hotIntOpaque(Object hotBase, long at) {
        return hotBase == null ? UNSAFE.getIntVolatile(null, at) : (int) INTS.getOpaque((ByteBuffer) hotBase, (int) at);
    }

    private static long hotLongOpaque(Object hotBase, long at) {
        return hotBase == null ? UNSAFE.getLongVolatile(null, at) : (long) LONGS.getOpaque((ByteBuffer) hotBase, (int) at);
    }

    private static void hotIntSetOpaque(Object hotBase, long at, int value) {
        if (hotBase == null) {
            UNSAFE.putOrderedInt(null, at, value);
        } else {
            INTS.setOpaque((ByteBuffer) hotBase, (int) at, value);
        }
    }

    private static void hotIntSetRelease(Object hotBase, long at, int value) {
        if (hotBase == null) {
            UNSAFE.putOrderedInt(null, at, value);
        } else {
            INTS.setRelease((ByteBuffer) hotBase, (int) at, value);
        }
    }

    private static void hotLongSetOpaque(Object hotBase, long at, long value) {
        if (hotBase == null) {
            UNSAFE.putOrderedLong(null, at, value);
        } else {
            LONGS.setOpaque((ByteBuffer) hotBase, (int) at, value);
        }
    }

    private static void hotLongSetRelease(Object hotBase, long at, long value) {
        if (hotBase == null) {
            UNSAFE.putOrderedLong(null, at, value);
        } else {
            LONGS.setRelease((ByteBuffer) hotBase, (int) at, value);
        }
    }

    /** {@link #hintReason(ByteBuffer, int)} through a hot handle. */
    public static HintReason hotHintReason(Object hotBase, long hotOffset) {
        return HintReason.fromCodeOr(hotIntOpaque(hotBase, hotOffset + ScbLayout.SCB_HINT_REASON_OFFSET), HintReason.NONE);
    }

    /** {@link #pressure(ByteBuffer, int)} through a hot handle. */
    public static int hotPressure(Object hotBase, long hotOffset) {
        return hotIntOpaque(hotBase, hotOffset + ScbLayout.SCB_PRESSURE_OFFSET);
    }

    /** {@link #hintTimeNanos(ByteBuffer, int)} through a hot handle. */
    public static long hotHintTimeNanos(Object hotBase, long hotOffset) {
        return hotLongOpaque(hotBase, hotOffset + ScbLayout.SCB_HINT_TIME_NS_OFFSET);
    }

    /** {@link #escalationCount(ByteBuffer, int)} through a hot handle. */
    public static long hotEscalationCount(Object hotBase, long hotOffset) {
        return hotLongOpaque(hotBase, hotOffset + ScbLayout.SCB_ESCALATION_COUNT_OFFSET);
    }

    /** {@link #ack(ByteBuffer, int, long)} through a hot handle (release). */
    public static void hotAck(Object hotBase, long hotOffset, long hintWord) {
        hotLongSetRelease(hotBase, hotOffset + ScbLayout.SCB_ACK_WORD_OFFSET, hintWord);
    }

    /** {@link #setCritical(ByteBuffer, int, int, long)} through a hot handle: the entry time, then the depth (release). */
    public static void hotSetCritical(Object hotBase, long hotOffset, int depth, long entryNs) {
        if (entryNs != 0) {
            hotLongSetOpaque(hotBase, hotOffset + ScbLayout.SCB_CRITICAL_ENTRY_NS_OFFSET, entryNs);
        }
        hotIntSetRelease(hotBase, hotOffset + ScbLayout.SCB_CRITICAL_DEPTH_OFFSET, depth);
    }

    /** {@link #recordYield(ByteBuffer, int, YieldCause, boolean)} through a hot handle. */
    public static void hotRecordYield(Object hotBase, long hotOffset, YieldCause cause, boolean answeredHint) {
        hotIntSetOpaque(hotBase, hotOffset + ScbLayout.SCB_LAST_YIELD_CAUSE_OFFSET, cause.code());
        long count = hotOffset + ScbLayout.SCB_YIELD_COUNT_OFFSET;
        hotLongSetOpaque(hotBase, count, hotLongOpaque(hotBase, count) + 1);
        if (answeredHint) {
            long hinted = hotOffset + ScbLayout.SCB_HINT_YIELD_COUNT_OFFSET;
            hotLongSetOpaque(hotBase, hinted, hotLongOpaque(hotBase, hinted) + 1);
        }
    }
}
