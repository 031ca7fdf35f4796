package dev.morpheus.samples.bench;

/** Percentiles, Jain's fairness index and small number helpers. */
final class Stats {
    private Stats() {}

    /** Nearest-rank percentile of sorted values, or NaN when empty. */
    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    static double max(long[] sorted) {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    /** Jain's fairness index: (sum x)^2 / (n * sum x^2); 1 = perfectly even, 1/n = one gets all. */
    static double jain(long[] xs) {
        if (xs.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        double s2 = 0;
        for (long x : xs) {
            s += x;
            s2 += (double) x * x;
        }
        return s2 == 0 ? 1.0 : s * s / (xs.length * s2);
    }

    static double ms(double nanos) {
        return nanos / 1e6;
    }

    static double round(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
