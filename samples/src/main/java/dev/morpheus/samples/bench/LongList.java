package dev.morpheus.samples.bench;

import java.util.Arrays;

/** A growable array of longs (latency samples); single writer, no boxing. */
final class LongList {
    private long[] values = new long[1024];
    private int size;

    void add(long v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    void addAll(LongList other) {
        for (int i = 0; i < other.size; i++) {
            add(other.values[i]);
        }
    }

    int size() {
        return size;
    }

    /** Sorted copy. */
    long[] sorted() {
        long[] c = Arrays.copyOf(values, size);
        Arrays.sort(c);
        return c;
    }
}
