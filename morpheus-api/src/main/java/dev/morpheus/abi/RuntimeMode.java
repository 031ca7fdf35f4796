package dev.morpheus.abi;

/** How the runtime is behaving: no hints, hints flowing, or hint source lost. Codes mirror {@code morpheus_abi.h}; {@code AbiCrossCheckTest} keeps them equal. */
public enum RuntimeMode {
    DETERMINISTIC(0),
    PRESSURED(1),
    DEFENSIVE(2);

    private static final RuntimeMode[] BY_CODE = new RuntimeMode[values().length];
    static {
        for (RuntimeMode v : values()) {
            BY_CODE[v.code] = v;
        }
    }

    private final int code;

    RuntimeMode(int code) {
        this.code = code;
    }

    /** The value stored in shared memory and used by the kernel side. */
    public int code() {
        return code;
    }

    /** The constant for {@code code}; throws {@link IllegalArgumentException} naming the range. */
    public static RuntimeMode fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length || BY_CODE[code] == null) {
            throw new IllegalArgumentException("RuntimeMode code " + code + " out of range: 0 - " + (BY_CODE.length - 1));
        }
        return BY_CODE[code];
    }
}
