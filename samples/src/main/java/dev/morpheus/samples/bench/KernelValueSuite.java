package dev.morpheus.samples.bench;

import dev.morpheus.samples.bench.ParetoVerdicts.Verdict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 16's scenarios where only the kernel knows ({@code --suites kernel-value}, root): the
 * request/response workload of S3 (open-loop queries, latency from the scheduled send time,
 * beside CPU-bound background actors) while other processes share the CPUs ({@code S4-steady},
 * {@code S4-bursty}) or the JVM runs under a CPU quota ({@code S5-quota}, {@link CpuQuota}),
 * at every stock point of the Pareto catalogue (Pekko's default among them) and at the Morpheus
 * dispatcher on each hint source: {@code morpheus-kernel} (morpheusd's BPF observer,
 * {@link KernelDaemon}), {@code morpheus-procfs} and {@code morpheus-queue}.
 *
 * <p>Points run interleaved as in the Pareto suite (median-throughput run of {@code --repeat}).
 * S5 records the cgroup's throttled periods and time per run. Verdicts per scenario, for
 * {@code morpheus-kernel} (the claim that makes the kernel path worth running as root):
 * (k1) p99 at most half of both in-process sources'; (k2) at most half of the lowest stock
 * p99; (k3) throughput at least {@value ParetoVerdicts#THROUGHPUT_RATIO}x the best stock
 * point's. Written as {@code kernel-value.json}.
 */
final class KernelValueSuite {
    static final String KERNEL = "morpheus-kernel";
    static final double P99_FACTOR = 2.0;

    private KernelValueSuite() {}

    /** The stock points and the two in-process Morpheus sources (the kernel point joins when a daemon is found). */
    static List<ParetoPoint> basePoints(Options o) {
        return ParetoPoint.catalogue(o.threads, false).stream()
                .filter(p -> p.stock() || p.config().equals("morpheus-procfs") || p.config().equals("morpheus-queue"))
                .toList();
    }

    /** The kernel-value scenarios, or those of them named by {@code --pareto-scenarios}. */
    static List<ParetoScenario> scenarios(Options o) {
        List<ParetoScenario> all = ParetoScenario.kernelValue();
        if (o.paretoScenarios == null) {
            return all;
        }
        return all.stream().filter(s -> o.paretoScenarios.contains(s.name().toUpperCase(Locale.ROOT))).toList();
    }

    static int steps(Options o) {
        return scenarios(o).size() * (basePoints(o).size() + 1) * o.repeat;
    }

    static List<ParetoResult> run(Options o, Progress progress, List<String> notes) throws IOException, InterruptedException {
        List<ParetoResult> results = new ArrayList<>();
        try (KernelDaemon daemon = KernelDaemon.find(o.morpheusd, o.out.resolve("morpheusd"), o.sliceMillis, notes)) {
            List<ParetoPoint> points = new ArrayList<>(basePoints(o));
            if (daemon != null) {
                points.add(ParetoPoint.morpheusKernel(daemon.socket));
            } else {
                progress.skip(scenarios(o).size() * o.repeat);
            }
            List<ParetoScenario> scenarios = scenarios(o);
            for (int si = 0; si < scenarios.size(); si++) {
                ParetoScenario s = scenarios.get(si);
                Options so = o.copy();
                so.unitMicros = s.unitMicros();
                so.durationS = o.paretoDurationS;
                so.warmupS = o.paretoWarmupS;
                if (s.quotaCpus() > 0) {
                    String why = CpuQuota.unavailable();
                    if (why != null) {
                        notes.add("kernel-value: " + s.name() + " skipped: " + why);
                        progress.skip(points.size() * o.repeat);
                        continue;
                    }
                    try (CpuQuota quota = new CpuQuota(s.quotaCpus())) {
                        quota.throttling();
                        results.add(new ParetoResult(s, ParetoSuite.interleaved(so, s, points, si, progress, extras -> {
                            try {
                                extras.put("throttling", quota.throttling());
                            } catch (IOException e) {
                                extras.put("throttling", "unreadable: " + e.getMessage());
                            }
                        })));
                    }
                } else {
                    try (CpuHogs hogs = new CpuHogs(s.hogs(), s.burstyHogs())) {
                        results.add(new ParetoResult(s, ParetoSuite.interleaved(so, s, points, si, progress)));
                    }
                }
            }
        }
        return results;
    }

    static List<Verdict> evaluate(ParetoResult r) {
        String s = r.name();
        List<Verdict> out = new ArrayList<>();
        ParetoMeasurement k = r.find(KERNEL);
        String g1 = "morpheus-kernel p99 <= 1/" + fmt(P99_FACTOR) + " of both in-process sources' (procfs, queue)";
        String g2 = "morpheus-kernel p99 <= 1/" + fmt(P99_FACTOR) + " of the lowest stock p99";
        String g3 = "morpheus-kernel throughput >= " + ParetoVerdicts.THROUGHPUT_RATIO + "x the best stock point's";
        List<ParetoMeasurement> stock = r.stock();
        if (k == null || !k.placed() || stock.isEmpty()) {
            String why = k == null ? "no morpheus-kernel point (no daemon)" : !k.placed() ? "morpheus-kernel has no latency samples"
                    : "no stock point measured";
            for (String[] g : new String[][] {{"k1", g1}, {"k2", g2}, {"k3", g3}}) {
                out.add(new Verdict(s, g[0], g[1], why, "N/A"));
            }
            return out;
        }
        ParetoMeasurement procfs = r.find("morpheus-procfs");
        ParetoMeasurement queue = r.find("morpheus-queue");
        double inProcess = Math.min(procfs != null ? procfs.p99Ms() : Double.NaN, queue != null ? queue.p99Ms() : Double.NaN);
        out.add(new Verdict(s, "k1", g1, String.format(Locale.ROOT, "p99 %.2f ms vs procfs %.2f ms, queue %.2f ms (%.2fx lower than the better)",
                k.p99Ms(), procfs != null ? procfs.p99Ms() : Double.NaN, queue != null ? queue.p99Ms() : Double.NaN, inProcess / k.p99Ms()),
                status(!Double.isNaN(inProcess) && k.p99Ms() * P99_FACTOR <= inProcess)));
        ParetoMeasurement lowest = stock.stream().min((a, b) -> Double.compare(a.p99Ms(), b.p99Ms())).orElseThrow();
        out.add(new Verdict(s, "k2", g2, String.format(Locale.ROOT, "p99 %.2f ms vs %.2f ms of %s (%.2fx lower)",
                k.p99Ms(), lowest.p99Ms(), lowest.config(), lowest.p99Ms() / k.p99Ms()), status(k.p99Ms() * P99_FACTOR <= lowest.p99Ms())));
        ParetoMeasurement best = stock.stream().max((a, b) -> Double.compare(a.throughputPerS(), b.throughputPerS())).orElseThrow();
        double ratio = k.throughputPerS() / best.throughputPerS();
        out.add(new Verdict(s, "k3", g3, String.format(Locale.ROOT, "%.0f vs %.0f units/s of %s = %.3fx",
                k.throughputPerS(), best.throughputPerS(), best.config(), ratio), status(ratio >= ParetoVerdicts.THROUGHPUT_RATIO)));
        return out;
    }

    private static String status(boolean met) {
        return met ? "MET" : "MISSED";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    /** The {@code kernel-value.json} document. */
    static Map<String, Object> document(List<ParetoResult> results, Map<String, Object> machine, Map<String, Object> parameters) {
        List<Map<String, Object>> scenarios = new ArrayList<>();
        for (ParetoResult r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            List<Map<String, Object>> pts = new ArrayList<>();
            for (ParetoMeasurement p : r.points()) {
                pts.add(p.json());
            }
            m.put("points", pts);
            m.put("unit_us", r.scenario().unitMicros());
            m.put("cpu_hog_processes", r.scenario().hogs());
            m.put("bursty_hog_processes", r.scenario().burstyHogs());
            m.put("bursty_on_off_ms", List.of(CpuHogs.BURST_ON_MS, CpuHogs.BURST_OFF_MS));
            m.put("cpu_quota_cpus", r.scenario().quotaCpus());
            m.put("cpu_quota_period_us", CpuQuota.PERIOD_US);
            m.put("throughput_metric", r.scenario().throughputMetric());
            m.put("latency_metric", r.scenario().latencyMetric());
            m.put("verdicts", evaluate(r).stream().map(Verdict::json).toList());
            scenarios.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("scenarios", scenarios);
        doc.put("machine", machine);
        doc.put("parameters", parameters);
        return doc;
    }
}
