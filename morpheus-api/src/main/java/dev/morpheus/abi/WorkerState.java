package dev.morpheus.abi;

import java.util.EnumSet;
import java.util.Set;

/**
 * A worker's lifecycle, shared with the kernel through the SCB's {@code worker_state}:
 * <pre>
 *   INIT --&gt; REGISTERED --&gt; RUNNING &lt;--&gt; QUIESCING
 *     \            \            \            \
 *      +------------+------------+------------+--&gt; DEAD
 * </pre>
 * RUNNING means the worker is executing work (the kernel may hint it); QUIESCING means it is
 * between batches, parking or yielding (nothing to hint). DEAD is final. Codes mirror
 * {@code morpheus_abi.h}; {@code AbiCrossCheckTest} keeps them equal.
 */
public enum WorkerState {
    INIT(0),
    REGISTERED(1),
    RUNNING(2),
    QUIESCING(3),
    DEAD(4);

    /** Indexed by code (codes are the ordinals), built once: {@code values()} copies its array on every call. */
    private static final WorkerState[] BY_CODE = values();

    private final int code;
    private Set<WorkerState> next;

    static {
        INIT.next = EnumSet.of(REGISTERED, DEAD);
        REGISTERED.next = EnumSet.of(RUNNING, QUIESCING, DEAD);
        RUNNING.next = EnumSet.of(QUIESCING, DEAD);
        QUIESCING.next = EnumSet.of(RUNNING, DEAD);
        DEAD.next = EnumSet.noneOf(WorkerState.class);
    }

    WorkerState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Whether a worker in this state may move to {@code target}. */
    public boolean canMoveTo(WorkerState target) {
        return next.contains(target);
    }

    /** The states reachable from this one, for error messages. */
    public Set<WorkerState> successors() {
        return EnumSet.copyOf(next.isEmpty() ? EnumSet.noneOf(WorkerState.class) : next);
    }

    public static WorkerState fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("WorkerState code " + code + " out of range: 0 - " + (BY_CODE.length - 1));
        }
        return BY_CODE[code];
    }

    /**
     * The constant for {@code code}, or {@code otherwise} for a code no constant has (a value
     * read from shared memory that a newer or broken writer put there). Allocation-free:
     * unlike {@code values()}, which copies its array on every call.
     */
    public static WorkerState fromCodeOr(int code, WorkerState otherwise) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : otherwise;
    }
}
