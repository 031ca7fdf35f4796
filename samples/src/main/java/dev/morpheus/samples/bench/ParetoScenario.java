package dev.morpheus.samples.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One workload of the Pareto suite, run at every {@link ParetoPoint}:
 * <ul>
 *   <li>{@code S1-<unit>us}: the yield workload ({@link YieldingWorkload}): 8 always-busy
 *       CPU-bound actors doing {@code unit} us work units and a probe actor pinged every probe
 *       period, on {@code threads} pool threads. Throughput = work units/s; latency = the
 *       probe's send-to-receive delay;</li>
 *   <li>{@code S2-<unit>us}: S1 with {@link #hogs} CPU-hog processes beside the JVM
 *       ({@link CpuHogs}), pressure that only the kernel sees;</li>
 *   <li>{@code S3-<unit>us}: request/response ({@link RequestResponseWorkload}): 8 client actors
 *       sending queries open-loop on a fixed schedule to 8 service actors, beside 8 background
 *       actors doing {@code unit} us work units. Throughput = background work units/s; latency =
 *       answer time minus the query's scheduled send time.</li>
 * </ul>
 * {@code --quick} runs S1 at 2 and 10 us, S2 at 10 us and S3; the full suite runs S1 and S2 at
 * 2, 10 and 75 us, and S3.
 */
record ParetoScenario(String name, String family, int unitMicros, int hogs) {
    static final int WORKERS = 8;
    static final int HOGS = 2;
    static final int S3_UNIT_US = 10;

    boolean requestResponse() {
        return family.equals("S3");
    }

    static List<ParetoScenario> catalogue(boolean quick) {
        List<ParetoScenario> s = new ArrayList<>();
        List<Integer> s1 = quick ? List.of(2, 10) : List.of(2, 10, 75);
        List<Integer> s2 = quick ? List.of(10) : List.of(2, 10, 75);
        for (int u : s1) {
            s.add(new ParetoScenario("S1-" + u + "us", "S1", u, 0));
        }
        for (int u : s2) {
            s.add(new ParetoScenario("S2-" + u + "us", "S2", u, HOGS));
        }
        s.add(new ParetoScenario("S3-" + S3_UNIT_US + "us", "S3", S3_UNIT_US, 0));
        return s;
    }

    /** What throughput_per_s counts in this scenario. */
    String throughputMetric() {
        return requestResponse() ? "background work units/s (answered queries/s: queries_per_s)" : "work units/s";
    }

    /** What p99_ms and p999_ms are percentiles of. */
    String latencyMetric() {
        return requestResponse() ? "query latency from the scheduled send time to the answer's arrival"
                : "probe delay from the ping's send to its receipt";
    }
}
