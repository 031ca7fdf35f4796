package dev.morpheus.abi;

/** What the kernel side does to a worker that ignores a hint past its grace period. Codes mirror {@code morpheus_abi.h}; {@code AbiCrossCheckTest} keeps them equal. */
public enum EscalationPolicy {
    NONE(0),
    THREAD_KICK(1),
    CGROUP_THROTTLE(2),
    HYBRID(3);

    private static final EscalationPolicy[] BY_CODE = new EscalationPolicy[values().length];
    static {
        for (EscalationPolicy v : values()) {
            BY_CODE[v.code] = v;
        }
    }

    private final int code;

    EscalationPolicy(int code) {
        this.code = code;
    }

    /** The value stored in shared memory and used by the kernel side. */
    public int code() {
        return code;
    }

    /** The constant for {@code code}; throws {@link IllegalArgumentException} naming the range. */
    public static EscalationPolicy fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length || BY_CODE[code] == null) {
            throw new IllegalArgumentException("EscalationPolicy code " + code + " out of range: 0 - " + (BY_CODE.length - 1));
        }
        return BY_CODE[code];
    }
}
