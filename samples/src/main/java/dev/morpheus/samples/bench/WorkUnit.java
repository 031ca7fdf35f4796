package dev.morpheus.samples.bench;

/**
 * The CPU-bound work unit every suite runs: xorshift rounds, calibrated once per JVM to take
 * a given number of microseconds. Deterministic: the same input gives the same output, which the
 * pipeline suite uses to check that every dispatcher computed the same results.
 */
final class WorkUnit {
    private static volatile double roundsPerMicro = -1;

    private WorkUnit() {}

    /** {@code rounds} xorshift steps starting from {@code seed}. */
    static long spin(long seed, long rounds) {
        long x = seed | 1L;
        for (long i = 0; i < rounds; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }

    /** Measures the rounds per microsecond on this machine (after JIT warm-up); idempotent. */
    static synchronized double calibrate() {
        if (roundsPerMicro > 0) {
            return roundsPerMicro;
        }
        long sink = 0;
        for (int i = 0; i < 200; i++) {
            sink += spin(i, 50_000);
        }
        double best = 0;
        for (int t = 0; t < 7; t++) {
            long start = System.nanoTime();
            sink += spin(t, 2_000_000);
            long ns = System.nanoTime() - start;
            best = Math.max(best, 2_000_000.0 / (ns / 1000.0));
        }
        if (sink == 42) {
            System.out.print("");
        }
        roundsPerMicro = best;
        return best;
    }

    /** Rounds that take about {@code micros} microseconds. */
    static long roundsFor(double micros) {
        return Math.max(1, Math.round(calibrate() * micros));
    }
}
