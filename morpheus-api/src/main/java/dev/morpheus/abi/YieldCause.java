package dev.morpheus.abi;

/** The yield-cause ledger: why a worker gave up its thread. Codes mirror {@code morpheus_abi.h}; {@code AbiCrossCheckTest} keeps them equal. */
public enum YieldCause {
    VOLUNTARY(0),
    HINT(1),
    BUDGET(2),
    DEADLINE(3),
    DEFENSIVE(4),
    ESCALATION_RECOVERY(5);

    private static final YieldCause[] BY_CODE = new YieldCause[values().length];
    static {
        for (YieldCause v : values()) {
            BY_CODE[v.code] = v;
        }
    }

    private final int code;

    YieldCause(int code) {
        this.code = code;
    }

    /** The value stored in shared memory and used by the kernel side. */
    public int code() {
        return code;
    }

    /** The constant for {@code code}; throws {@link IllegalArgumentException} naming the range. */
    public static YieldCause fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length || BY_CODE[code] == null) {
            throw new IllegalArgumentException("YieldCause code " + code + " out of range: 0 - " + (BY_CODE.length - 1));
        }
        return BY_CODE[code];
    }
}
