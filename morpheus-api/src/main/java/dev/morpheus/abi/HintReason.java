package dev.morpheus.abi;

/** Why a hint was posted into an SCB. Codes mirror {@code morpheus_abi.h}; {@code AbiCrossCheckTest} keeps them equal. */
public enum HintReason {
    NONE(0),
    SLICE_EXPIRED(1),
    RUNQ_PRESSURE(2),
    QUEUE_PRESSURE(3),
    SCHED_WAIT(4),
    DEFENSIVE(5),
    MANUAL(6),
    REBIND(7),
    ESCALATION(8);

    /** Indexed by code, built once: {@code values()} copies its array on every call. */
    private static final HintReason[] BY_CODE = new HintReason[values().length];
    static {
        for (HintReason v : values()) {
            BY_CODE[v.code] = v;
        }
    }

    private final int code;

    HintReason(int code) {
        this.code = code;
    }

    /** The value stored in shared memory and used by the kernel side. */
    public int code() {
        return code;
    }

    /** The constant for {@code code}; throws {@link IllegalArgumentException} naming the range. */
    public static HintReason fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length || BY_CODE[code] == null) {
            throw new IllegalArgumentException("HintReason code " + code + " out of range: 0 - " + (BY_CODE.length - 1));
        }
        return BY_CODE[code];
    }

    /**
     * The constant for {@code code}, or {@code otherwise} for a code no constant has (a value
     * read from shared memory that a newer or broken writer put there). Allocation-free:
     * unlike {@code values()}, which copies its array on every call.
     */
    public static HintReason fromCodeOr(int code, HintReason otherwise) {
        return code >= 0 && code < BY_CODE.length && BY_CODE[code] != null ? BY_CODE[code] : otherwise;
    }
}
