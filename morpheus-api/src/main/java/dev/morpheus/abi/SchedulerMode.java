package dev.morpheus.abi;

/** Does the kernel side ever force a worker off its CPU? OBSERVER never does. Codes mirror {@code morpheus_abi.h}; {@code AbiCrossCheckTest} keeps them equal. */
public enum SchedulerMode {
    OBSERVER(0),
    ENFORCED(1);

    private static final SchedulerMode[] BY_CODE = new SchedulerMode[values().length];
    static {
        for (SchedulerMode v : values()) {
            BY_CODE[v.code] = v;
        }
    }

    private final int code;

    SchedulerMode(int code) {
        this.code = code;
    }

    /** The value stored in shared memory and used by the kernel side. */
    public int code() {
        return code;
    }

    /** The constant for {@code code}; throws {@link IllegalArgumentException} naming the range. */
    public static SchedulerMode fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length || BY_CODE[code] == null) {
            throw new IllegalArgumentException("SchedulerMode code " + code + " out of range: 0 - " + (BY_CODE.length - 1));
        }
        return BY_CODE[code];
    }
}
