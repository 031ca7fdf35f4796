package dev.morpheus;

import dev.morpheus.hint.HintSourceSettings;
import dev.morpheus.abi.ScbLayout;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The validated settings of a {@link Morpheus} instance. Every setting has a key (the same one
 * the Pekko dispatcher's configuration uses), a default and an allowed range; a bad value is
 * rejected with a message naming the key, the value and the range.
 *
 * <pre>
 *   MorpheusConfig c = MorpheusConfig.builder().hintSource("procfs").slice(Duration.ofMillis(2)).build();
 *   MorpheusConfig d = MorpheusConfig.fromMap("my-dispatcher", Map.of("slice", "2ms"));
 * </pre>
 */
public final class MorpheusConfig {

    /** Valid values of {@code hint-source}. */
    public static final List<String> HINT_SOURCES = List.of("auto", "kernel", "procfs", "queue", "manual", "none");

    public static final String HINT_SOURCE = "hint-source";
    public static final String SLICE = "slice";
    public static final String GRACE = "grace";
    public static final String MAX_CRITICAL = "max-critical";
    public static final String SAMPLE_INTERVAL = "sample-interval";
    public static final String DEFENSIVE_SLICE = "defensive-slice";
    public static final String STALE_AFTER = "stale-after";
    public static final String MODE_WINDOW = "mode-window";
    public static final String QUEUE_HINTS = "queue-hints";
    public static final String ESCAPABLE = "escapable";
    public static final String MAX_WORKERS = "max-workers";
    public static final String SOCKET = "socket";

    /** Every key, in documentation order. */
    public static final List<String> KEYS = List.of(HINT_SOURCE, SLICE, GRACE, MAX_CRITICAL, SAMPLE_INTERVAL, DEFENSIVE_SLICE,
            STALE_AFTER, MODE_WINDOW, QUEUE_HINTS, ESCAPABLE, MAX_WORKERS, SOCKET);

    static final long SAMPLE_MIN_NS = 100_000L;
    static final long SAMPLE_MAX_NS = 1_000_000_000L;
    static final long STALE_MIN_NS = 1_000_000L;
    static final long STALE_MAX_NS = 60_000_000_000L;
    static final int MAX_WORKERS_LIMIT = 65_535;

    private final String hintSource;
    private final long sliceNanos;
    private final long graceNanos;
    private final long maxCriticalNanos;
    private final long sampleIntervalNanos;
    private final long defensiveSliceNanos;
    private final long staleAfterNanos;
    private final long modeWindowNanos;
    private final boolean queueHints;
    private final boolean escapable;
    private final int maxWorkers;
    private final String socket;

    private MorpheusConfig(Builder b) {
        String where = b.where;
        hintSource = oneOf(where, HINT_SOURCE, b.hintSource, HINT_SOURCES);
        sliceNanos = inRange(where, SLICE, b.sliceNanos, ScbLayout.SLICE_MIN_NS, ScbLayout.SLICE_MAX_NS);
        graceNanos = inRange(where, GRACE, b.graceNanos, ScbLayout.GRACE_MIN_NS, ScbLayout.GRACE_MAX_NS);
        maxCriticalNanos = inRange(where, MAX_CRITICAL, b.maxCriticalNanos, ScbLayout.MAX_CRITICAL_MIN_NS,
                ScbLayout.MAX_CRITICAL_MAX_NS);
        sampleIntervalNanos = inRange(where, SAMPLE_INTERVAL, b.sampleIntervalNanos, SAMPLE_MIN_NS, SAMPLE_MAX_NS);
        defensiveSliceNanos = inRange(where, DEFENSIVE_SLICE, b.defensiveSliceNanos, ScbLayout.SLICE_MIN_NS,
                ScbLayout.SLICE_MAX_NS);
        staleAfterNanos = inRange(where, STALE_AFTER, b.staleAfterNanos, STALE_MIN_NS, STALE_MAX_NS);
        modeWindowNanos = inRange(where, MODE_WINDOW, b.modeWindowNanos, STALE_MIN_NS, STALE_MAX_NS);
        queueHints = b.queueHints;
        escapable = b.escapable;
        if (b.maxWorkers < 1 || b.maxWorkers > MAX_WORKERS_LIMIT) {
            throw new MorpheusConfigException(where, MAX_WORKERS, Integer.toString(b.maxWorkers),
                    "must be between 1 and " + MAX_WORKERS_LIMIT);
        }
        maxWorkers = b.maxWorkers;
        if (b.socket == null || b.socket.isBlank()) {
            throw new MorpheusConfigException(where, SOCKET, String.valueOf(b.socket), "must be a Unix socket path");
        }
        socket = b.socket;
    }

    public static MorpheusConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads settings from string values (a Pekko config section, system properties, a file).
     * Durations take a unit: {@code ns, us, ms, s} (for example {@code 5ms}, {@code 500us}).
     * @param where names the source in error messages, for example the dispatcher id
     * @throws MorpheusConfigException on an unknown key or a bad value
     */
    public static MorpheusConfig fromMap(String where, Map<String, String> values) {
        Builder b = builder().where(where);
        for (Map.Entry<String, String> e : values.entrySet()) {
            String key = e.getKey();
            String v = e.getValue() == null ? "" : e.getValue().trim();
            switch (key) {
                case HINT_SOURCE -> b.hintSource(v);
                case SLICE -> b.sliceNanos = Durations.parseNanos(where, key, v, ScbLayout.SLICE_MIN_NS, ScbLayout.SLICE_MAX_NS);
                case GRACE -> b.graceNanos = Durations.parseNanos(where, key, v, ScbLayout.GRACE_MIN_NS, ScbLayout.GRACE_MAX_NS);
                case MAX_CRITICAL -> b.maxCriticalNanos = Durations.parseNanos(where, key, v, ScbLayout.MAX_CRITICAL_MIN_NS,
                        ScbLayout.MAX_CRITICAL_MAX_NS);
                case SAMPLE_INTERVAL -> b.sampleIntervalNanos = Durations.parseNanos(where, key, v, SAMPLE_MIN_NS, SAMPLE_MAX_NS);
                case DEFENSIVE_SLICE -> b.defensiveSliceNanos = Durations.parseNanos(where, key, v, ScbLayout.SLICE_MIN_NS,
                        ScbLayout.SLICE_MAX_NS);
                case STALE_AFTER -> b.staleAfterNanos = Durations.parseNanos(where, key, v, STALE_MIN_NS, STALE_MAX_NS);
                case MODE_WINDOW -> b.modeWindowNanos = Durations.parseNanos(where, key, v, STALE_MIN_NS, STALE_MAX_NS);
                case QUEUE_HINTS -> b.queueHints(parseBoolean(where, key, v));
                case ESCAPABLE -> b.escapable(parseBoolean(where, key, v));
                case MAX_WORKERS -> b.maxWorkers(parseInt(where, key, v));
                case SOCKET -> b.socket(v);
                default -> throw new MorpheusConfigException(where, key, v, "is not a Morpheus setting; valid keys: " + KEYS);
            }
        }
        return b.build();
    }

    /** The settings as strings, in the form {@link #fromMap} reads. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(HINT_SOURCE, hintSource);
        m.put(SLICE, Durations.format(sliceNanos));
        m.put(GRACE, Durations.format(graceNanos));
        m.put(MAX_CRITICAL, Durations.format(maxCriticalNanos));
        m.put(SAMPLE_INTERVAL, Durations.format(sampleIntervalNanos));
        m.put(DEFENSIVE_SLICE, Durations.format(defensiveSliceNanos));
        m.put(STALE_AFTER, Durations.format(staleAfterNanos));
        m.put(MODE_WINDOW, Durations.format(modeWindowNanos));
        m.put(QUEUE_HINTS, Boolean.toString(queueHints));
        m.put(ESCAPABLE, Boolean.toString(escapable));
        m.put(MAX_WORKERS, Integer.toString(maxWorkers));
        m.put(SOCKET, socket);
        return m;
    }

    /** auto, kernel, procfs, queue, manual or none. */
    public String hintSource() {
        return hintSource;
    }

    /** How long a worker may run while others wait before it is asked to yield. */
    public long sliceNanos() {
        return sliceNanos;
    }

    /** How long an unanswered hint is tolerated before it counts as late (and, enforced, escalates). */
    public long graceNanos() {
        return graceNanos;
    }

    /**
     * How long a critical section may last, and with it a critical actor's whole batch: past it,
     * a waiting hint ends the batch at the next message (morpheusd's {@code --max-critical-ms}
     * bounds the same sections in the kernel; the default is the daemon's).
     */
    public long maxCriticalNanos() {
        return maxCriticalNanos;
    }

    /** Period of the housekeeping thread: in-process samplers, mode decisions, reaping. */
    public long sampleIntervalNanos() {
        return sampleIntervalNanos;
    }

    /** In DEFENSIVE mode, workers are told to yield after running this long. */
    public long defensiveSliceNanos() {
        return defensiveSliceNanos;
    }

    /** A kernel source whose heartbeat is older than this counts as lost. */
    public long staleAfterNanos() {
        return staleAfterNanos;
    }

    /** PRESSURED while a hint arrived within this window, DETERMINISTIC after. */
    public long modeWindowNanos() {
        return modeWindowNanos;
    }

    /**
     * Whether in-process queue pressure (work waiting for a pool thread of this JVM) is sampled
     * beside a kernel or procfs source, which cannot see it.
     */
    public boolean queueHints() {
        return queueHints;
    }

    /** Whether new workers may be force-preempted by an enforcing kernel outside critical sections. */
    public boolean escapable() {
        return escapable;
    }

    /** Upper bound of workers registered at once with in-process sources. */
    public int maxWorkers() {
        return maxWorkers;
    }

    /** The settings hint sources work with ({@link HintSourceSettings}), from this configuration. */
    public HintSourceSettings hintSourceSettings() {
        return new HintSourceSettings(hintSource(), sliceNanos(), graceNanos(), maxCriticalNanos(), sampleIntervalNanos(),
                staleAfterNanos(), maxWorkers(), socket());
    }

    /** morpheusd's socket, for the kernel hint source. */
    public String socket() {
        return socket;
    }

    @Override
    public String toString() {
        return "MorpheusConfig" + toMap();
    }

    private static String oneOf(String where, String key, String value, List<String> allowed) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw new MorpheusConfigException(where, key, String.valueOf(value), "must be one of " + String.join(", ", allowed));
        }
        return v;
    }

    private static long inRange(String where, String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new MorpheusConfigException(where, key, Durations.format(value),
                    "must be between " + Durations.format(min) + " and " + Durations.format(max));
        }
        return value;
    }

    private static boolean parseBoolean(String where, String key, String v) {
        switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes" -> { return true; }
            case "false", "off", "no" -> { return false; }
            default -> throw new MorpheusConfigException(where, key, v, "must be true or false (on/off)");
        }
    }

    private static int parseInt(String where, String key, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new MorpheusConfigException(where, key, v, "must be an integer between 1 and " + MAX_WORKERS_LIMIT);
        }
    }

    /** Collects settings; {@link #build()} validates them all. */
    public static final class Builder {
        private String where = "morpheus";
        private String hintSource = "auto";
        private long sliceNanos = ScbLayout.SLICE_DEFAULT_NS;
        private long graceNanos = ScbLayout.GRACE_DEFAULT_NS;
        private long maxCriticalNanos = ScbLayout.MAX_CRITICAL_DEFAULT_NS;
        private long sampleIntervalNanos = 1_000_000L;
        private long defensiveSliceNanos = 10_000_000L;
        private long staleAfterNanos = 2_000_000_000L;
        private long modeWindowNanos = 1_000_000_000L;
        private boolean queueHints = true;
        private boolean escapable = true;
        private int maxWorkers = 4096;
        private String socket = "/run/morpheus/morpheusd.sock";

        private Builder() {}

        /** Names the configuration in error messages (for example a dispatcher id). */
        public Builder where(String where) {
            this.where = where;
            return this;
        }

        public Builder hintSource(String name) {
            this.hintSource = name;
            return this;
        }

        public Builder slice(Duration d) {
            this.sliceNanos = d.toNanos();
            return this;
        }

        public Builder maxCritical(Duration d) {
            this.maxCriticalNanos = d.toNanos();
            return this;
        }

        public Builder grace(Duration d) {
            this.graceNanos = d.toNanos();
            return this;
        }

        public Builder sampleInterval(Duration d) {
            this.sampleIntervalNanos = d.toNanos();
            return this;
        }

        public Builder defensiveSlice(Duration d) {
            this.defensiveSliceNanos = d.toNanos();
            return this;
        }

        public Builder staleAfter(Duration d) {
            this.staleAfterNanos = d.toNanos();
            return this;
        }

        public Builder modeWindow(Duration d) {
            this.modeWindowNanos = d.toNanos();
            return this;
        }

        public Builder queueHints(boolean queueHints) {
            this.queueHints = queueHints;
            return this;
        }

        public Builder escapable(boolean escapable) {
            this.escapable = escapable;
            return this;
        }

        public Builder maxWorkers(int maxWorkers) {
            this.maxWorkers = maxWorkers;
            return this;
        }

        public Builder socket(String socket) {
            this.socket = socket;
            return this;
        }

        public MorpheusConfig build() {
            return new MorpheusConfig(this);
        }
    }
}
