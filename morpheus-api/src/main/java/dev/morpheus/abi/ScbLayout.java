package dev.morpheus.abi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Java mirror of {@code bpf/include/morpheus_abi.h}: the region that holds the per-worker
 * shared control blocks (SCBs), as offsets and sizes. {@code AbiCrossCheckTest} compiles
 * {@code native/tools/abi_dump.c} against the header and fails on any difference, so this
 * class can only drift from the header by failing the build.
 *
 * <p>A region is an array of 128-byte entries: the header, then one SCB per worker slot.
 * <pre>
 *   region: | header (128) | SCB slot 0 (128) | SCB slot 1 (128) | ... | SCB slot N-1 |
 *
 *   region header
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +---------------------------------------------------------------+
 *   |                  magic "MRPH" (written last)                  |  0
 *   +-------------------------------+-------------------------------+
 *   |           abi major           |           abi minor           |  4
 *   +-------------------------------+-------------------------------+
 *   |          header size          |  8     |   scb size    | 12   |
 *   |          slot count           | 16     |  sched mode   | 20   |
 *   |          escalation           | 24     |   region id   | 28   |
 *   |                        slice ns (64)                          | 32
 *   |                        grace ns (64)                          | 40
 *   |                    max critical ns (64)                       | 48
 *   |                     daemon epoch (64)                         | 56
 *   +============================== cache line 1 ===================+
 *   |                     heartbeat ns (64)                         | 64
 *   |                     reserved (7 x 64)                         | 72..127
 *   +---------------------------------------------------------------+
 *
 *   SCB: line 0 carries hints to the worker, line 1 is the worker's. One writer per field
 *   (KERNEL program, OWNER of the region, LOCAL in-JVM posters, WORKER): the writer table in
 *   morpheus_abi.h; the column on the right repeats it.
 *   +---------------------------------------------------------------+
 *   |       kernel hint seq         |  0     | local hint seq |  4   |  KERNEL | LOCAL: the 64-bit
 *   |                                                               |  hint word, acquire-loaded
 *   |                                                               |  whole by the checkpoint
 *   |          hint reason          |   8    |    pressure   |  12  |  KERNEL
 *   |                      hint time ns (64)                        | 16  KERNEL
 *   |                  budget remaining ns (s64)                    | 24  KERNEL
 *   |                    escalation count (64)                      | 32  KERNEL
 *   |                  last escalation ns (64)                      | 40  KERNEL
 *   |                    hint loss count (64)                       | 48  KERNEL
 *   |                     kernel reserved (64)                      | 56
 *   +============================== cache line 1 ===================+
 *   |           owner tid           |  64    | worker state  |  68  |  OWNER | WORKER
 *   |        kernel ack seq         |  72    | local ack seq |  76  |  WORKER: the ack word, one
 *   |                                                               |  release store of the hint
 *   |                                                               |  word it answered
 *   |        critical depth         |  80    |   escapable   |  84  |  WORKER | OWNER
 *   |                   critical entry ns (64)                      | 88  WORKER
 *   |       last yield cause        |  96    |   reserved    | 100  |  WORKER
 *   |                      yield count (64)                         | 104 WORKER
 *   |                   hint yield count (64)                       | 112 WORKER
 *   |                        run seq (64)                           | 120 WORKER: +1 per run
 *   +---------------------------------------------------------------+
 * </pre>
 */
public final class ScbLayout {
    private ScbLayout() {}

    private static final int SIZE_OF_INT = Integer.BYTES;
    private static final int SIZE_OF_LONG = Long.BYTES;
    private static final int SIZE_OF_SHORT = Short.BYTES;

    /** "MRPH" read as a little-endian int. */
    public static final int MAGIC = 0x4850524d;
    public static final int ABI_MAJOR = 2;
    public static final int ABI_MINOR = 0;

    public static final int CACHE_LINE = 64;
    public static final int ENTRY_SIZE = 128;
    public static final int HEADER_SIZE = ENTRY_SIZE;
    public static final int SCB_SIZE = ENTRY_SIZE;
    public static final int MAX_SLOTS = 255;
    public static final int REGION_ENTRIES = MAX_SLOTS + 1;
    public static final int REGION_SIZE = REGION_ENTRIES * ENTRY_SIZE;

    public static final long SLICE_MIN_NS = 100_000L;
    public static final long SLICE_MAX_NS = 1_000_000_000L;
    public static final long SLICE_DEFAULT_NS = 5_000_000L;
    public static final long GRACE_MIN_NS = 0L;
    public static final long GRACE_MAX_NS = 10_000_000_000L;
    public static final long GRACE_DEFAULT_NS = 100_000_000L;
    public static final long MAX_CRITICAL_MIN_NS = 1_000_000L;
    public static final long MAX_CRITICAL_MAX_NS = 60_000_000_000L;
    public static final long MAX_CRITICAL_DEFAULT_NS = 1_000_000_000L;

    // Region header, cache line 0: identity and configuration.
    public static final int HEADER_MAGIC_OFFSET = 0;
    public static final int HEADER_ABI_MAJOR_OFFSET = HEADER_MAGIC_OFFSET + SIZE_OF_INT;
    public static final int HEADER_ABI_MINOR_OFFSET = HEADER_ABI_MAJOR_OFFSET + SIZE_OF_SHORT;
    public static final int HEADER_HEADER_SIZE_OFFSET = HEADER_ABI_MINOR_OFFSET + SIZE_OF_SHORT;
    public static final int HEADER_SCB_SIZE_OFFSET = HEADER_HEADER_SIZE_OFFSET + SIZE_OF_INT;
    public static final int HEADER_SLOT_COUNT_OFFSET = HEADER_SCB_SIZE_OFFSET + SIZE_OF_INT;
    public static final int HEADER_SCHED_MODE_OFFSET = HEADER_SLOT_COUNT_OFFSET + SIZE_OF_INT;
    public static final int HEADER_ESCALATION_OFFSET = HEADER_SCHED_MODE_OFFSET + SIZE_OF_INT;
    public static final int HEADER_REGION_ID_OFFSET = HEADER_ESCALATION_OFFSET + SIZE_OF_INT;
    public static final int HEADER_SLICE_NS_OFFSET = HEADER_REGION_ID_OFFSET + SIZE_OF_INT;
    public static final int HEADER_GRACE_NS_OFFSET = HEADER_SLICE_NS_OFFSET + SIZE_OF_LONG;
    public static final int HEADER_MAX_CRITICAL_NS_OFFSET = HEADER_GRACE_NS_OFFSET + SIZE_OF_LONG;
    public static final int HEADER_DAEMON_EPOCH_OFFSET = HEADER_MAX_CRITICAL_NS_OFFSET + SIZE_OF_LONG;
    // Region header, cache line 1: liveness.
    public static final int HEADER_HEARTBEAT_NS_OFFSET = HEADER_DAEMON_EPOCH_OFFSET + SIZE_OF_LONG;

    // SCB, cache line 0: hints to the worker. The hint word holds both posters' sequences.
    public static final int SCB_HINT_WORD_OFFSET = 0;
    public static final int SCB_KERNEL_HINT_SEQ_OFFSET = SCB_HINT_WORD_OFFSET;
    public static final int SCB_LOCAL_HINT_SEQ_OFFSET = SCB_KERNEL_HINT_SEQ_OFFSET + SIZE_OF_INT;
    public static final int SCB_HINT_REASON_OFFSET = SCB_LOCAL_HINT_SEQ_OFFSET + SIZE_OF_INT;
    public static final int SCB_PRESSURE_OFFSET = SCB_HINT_REASON_OFFSET + SIZE_OF_INT;
    public static final int SCB_HINT_TIME_NS_OFFSET = SCB_PRESSURE_OFFSET + SIZE_OF_INT;
    public static final int SCB_BUDGET_REMAINING_NS_OFFSET = SCB_HINT_TIME_NS_OFFSET + SIZE_OF_LONG;
    public static final int SCB_ESCALATION_COUNT_OFFSET = SCB_BUDGET_REMAINING_NS_OFFSET + SIZE_OF_LONG;
    public static final int SCB_LAST_ESCALATION_NS_OFFSET = SCB_ESCALATION_COUNT_OFFSET + SIZE_OF_LONG;
    public static final int SCB_HINT_LOSS_COUNT_OFFSET = SCB_LAST_ESCALATION_NS_OFFSET + SIZE_OF_LONG;
    private static final int SCB_KERNEL_RESERVED_OFFSET = SCB_HINT_LOSS_COUNT_OFFSET + SIZE_OF_LONG;
    // SCB, cache line 1: the worker's (owner_tid and escapable: the region owner's, at hand-out).
    public static final int SCB_OWNER_TID_OFFSET = SCB_KERNEL_RESERVED_OFFSET + SIZE_OF_LONG;
    public static final int SCB_WORKER_STATE_OFFSET = SCB_OWNER_TID_OFFSET + SIZE_OF_INT;
    public static final int SCB_ACK_WORD_OFFSET = SCB_WORKER_STATE_OFFSET + SIZE_OF_INT;
    public static final int SCB_KERNEL_ACK_SEQ_OFFSET = SCB_ACK_WORD_OFFSET;
    public static final int SCB_LOCAL_ACK_SEQ_OFFSET = SCB_KERNEL_ACK_SEQ_OFFSET + SIZE_OF_INT;
    public static final int SCB_CRITICAL_DEPTH_OFFSET = SCB_LOCAL_ACK_SEQ_OFFSET + SIZE_OF_INT;
    public static final int SCB_ESCAPABLE_OFFSET = SCB_CRITICAL_DEPTH_OFFSET + SIZE_OF_INT;
    public static final int SCB_CRITICAL_ENTRY_NS_OFFSET = SCB_ESCAPABLE_OFFSET + SIZE_OF_INT;
    public static final int SCB_LAST_YIELD_CAUSE_OFFSET = SCB_CRITICAL_ENTRY_NS_OFFSET + SIZE_OF_LONG;
    private static final int SCB_RUNTIME_RESERVED0_OFFSET = SCB_LAST_YIELD_CAUSE_OFFSET + SIZE_OF_INT;
    public static final int SCB_YIELD_COUNT_OFFSET = SCB_RUNTIME_RESERVED0_OFFSET + SIZE_OF_INT;
    public static final int SCB_HINT_YIELD_COUNT_OFFSET = SCB_YIELD_COUNT_OFFSET + SIZE_OF_LONG;
    public static final int SCB_RUN_SEQ_OFFSET = SCB_HINT_YIELD_COUNT_OFFSET + SIZE_OF_LONG;

    /** Number of entries in the kernel's stats table ({@link KernelStat}). */
    public static final int STAT_COUNT = 12;

    /** Byte offset of slot {@code slot}'s SCB inside its region. */
    public static int scbOffset(int slot) {
        return HEADER_SIZE + slot * SCB_SIZE;
    }

    /** Bytes needed for a region of {@code slots} SCBs. */
    public static int regionSize(int slots) {
        return HEADER_SIZE + slots * SCB_SIZE;
    }

    /** Allocates an in-process region for {@code slots} SCBs, cache-line aligned and zeroed. */
    public static ByteBuffer allocateRegion(int slots) {
        if (slots < 1 || slots > MAX_SLOTS) {
            throw new IllegalArgumentException("slots " + slots + " out of range: 1 - " + MAX_SLOTS);
        }
        int size = regionSize(slots);
        ByteBuffer raw = ByteBuffer.allocateDirect(size + CACHE_LINE);
        ByteBuffer aligned = raw.alignedSlice(CACHE_LINE);
        aligned.limit(size);
        return aligned.slice().order(ByteOrder.nativeOrder());
    }
}
