package dev.morpheus.samples.cluster;

import java.util.Arrays;

/**
 * The last {@code capacity} latency samples of the probe, with percentiles over them. Used by
 * one actor at a time (not thread-safe); {@link #summary()} makes an immutable snapshot.
 */
final class LatencyWindow {
    private final long[] samples;
    private int next;
    private int size;
    private long total;

    LatencyWindow(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("latency window capacity " + capacity + " must be at least 1");
        }
        samples = new long[capacity];
    }

    void add(long nanos) {
        samples[next] = nanos;
        next = (next + 1) % samples.length;
        if (size < samples.length) {
            size++;
        }
        total++;
    }

    Summary summary() {
        if (size == 0) {
            return Summary.EMPTY;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        return new Summary(size, total, at(sorted, 0.50), at(sorted, 0.99), sorted[size - 1]);
    }

    private static long at(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** Percentiles over the window, in nanoseconds; {@code total} counts every sample ever taken. */
    public record Summary(int window, long total, long p50Nanos, long p99Nanos, long maxNanos) {
        static final Summary EMPTY = new Summary(0, 0, 0, 0, 0);
    }
}
