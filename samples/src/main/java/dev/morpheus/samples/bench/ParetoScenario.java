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
record ParetoScenario(String name, String family, int unitMicros, int hogs, int burstyHogs, double quotaCpus) {
    static final int WORKERS = 8;
    static final int HOGS = 2;
    static final int S3_UNIT_US = 10;

    /** A scenario with neither hogs nor a CPU quota. */
    ParetoScenario(String name, String family, int unitMicros, int hogs) {
        this(name, family, unitMicros, hogs, 0, 0);
    }

    /** S3, S4 and S5 run the request/response workload. */
    boolean requestResponse() {
        return !family.equals("S1") && !family.equals("S2");
    }

    /**
     * The scenarios where only the kernel sees the pressure ({@link KernelValueSuite}, issue 16),
     * each the request/response workload of S3:
     * <ul>
     *   <li>{@code S4-steady}: {@link #HOGS} steady CPU-hog processes share the CPUs;</li>
     *   <li>{@code S4-bursty}: {@link #HOGS} bursty ones (on 20 ms, off 80 ms);</li>
     *   <li>{@code S5-quota}: the JVM in a cgroup limited to 1 CPU (100 ms period), the
     *       container case.</li>
     * </ul>
     */
    static List<ParetoScenario> kernelValue() {
        return List.of(
                new ParetoScenario("S4-steady", "S4", S3_UNIT_US, HOGS, 0, 0),
                new ParetoScenario("S4-bursty", "S4", S3_UNIT_US, 0, HOGS, 0),
                new ParetoScenario("S5-quota", "S5", S3_UNIT_US, 0, 0, 1.0));
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
