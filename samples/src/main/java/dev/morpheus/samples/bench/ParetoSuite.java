package dev.morpheus.samples.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Pareto suite (issue 12): every {@link ParetoScenario} at every {@link ParetoPoint}, the
 * stock Pekko settings a user could choose by configuration against the Morpheus dispatcher's
 * defaults and its hint sources, each point giving throughput and p99/p999 latency.
 *
 * <p>Within a scenario the points run interleaved: {@code --repeat} rounds, each in a rotated
 * order (the rotation also shifts by scenario, so no point always runs first), the median
 * throughput run of each point kept, so slow phases of a noisy machine hit every point alike.
 * Each run starts after a full GC. S2's CPU-hog processes run for the whole scenario and stop
 * before the next. Per point the runs use {@code --pareto-duration} and {@code --pareto-warmup}
 * (quick: 1 s and 0.3 s); before the first scenario, two short unmeasured runs warm the JVM up.
 */
final class ParetoSuite {
    private ParetoSuite() {}

    static List<ParetoScenario> scenarios(Options o) {
        List<ParetoScenario> all = ParetoScenario.catalogue(o.quick && o.paretoScenarios == null);
        if (o.paretoScenarios == null) {
            return all;
        }
        List<ParetoScenario> r = new ArrayList<>();
        for (ParetoScenario s : ParetoScenario.catalogue(false)) {
            if (o.paretoScenarios.contains(s.name())) {
                r.add(s);
            }
        }
        return r;
    }

    static List<ParetoPoint> points(Options o) {
        List<ParetoPoint> all = ParetoPoint.catalogue(o.threads, ParetoPoint.kernelSocketPresent());
        return o.paretoPoints == null ? all : all.stream().filter(p -> o.paretoPoints.contains(p.config())).toList();
    }

    /** Runs (steps) the suite will take, for the progress bar. */
    static int steps(Options o) {
        return scenarios(o).size() * points(o).size() * o.repeat;
    }

    static List<ParetoResult> run(Options o, Progress progress, List<String> notes) throws IOException, InterruptedException {
        List<ParetoPoint> points = points(o);
        if (points.stream().noneMatch(p -> p.config().equals("morpheus-kernel"))) {
            notes.add("Pareto: no morpheus-kernel point (morpheusd's socket does not exist)");
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        if (o.threads != cpus) {
            notes.add("Pareto: stock points use --threads " + o.threads + "; Morpheus points use the Morpheus default pool size "
                    + "(one thread per core: " + cpus + ")");
        }
        warmUp(o, points);
        List<ParetoResult> results = new ArrayList<>();
        List<ParetoScenario> scenarios = scenarios(o);
        for (int si = 0; si < scenarios.size(); si++) {
            ParetoScenario s = scenarios.get(si);
            Options so = o.copy();
            so.unitMicros = s.unitMicros();
            so.durationS = o.paretoDurationS;
            so.warmupS = o.paretoWarmupS;
            try (CpuHogs hogs = new CpuHogs(s.hogs())) {
                results.add(new ParetoResult(s, interleaved(so, s, points, si, progress)));
            }
        }
        return results;
    }

    /**
     * Unmeasured short runs of S1 at one stock and one Morpheus point (where selected), so the
     * suite's first measured points do not pay for class loading and JIT compilation alone
     * when no other suite ran before it in this JVM.
     */
    private static void warmUp(Options o, List<ParetoPoint> points) throws InterruptedException {
        Options w = o.copy();
        w.unitMicros = 10;
        w.warmupS = 0;
        w.durationS = 0.3;
        ParetoPoint stock = points.stream().filter(ParetoPoint::stock).findFirst().orElse(null);
        ParetoPoint morpheus = points.stream().filter(p -> !p.stock()).findFirst().orElse(null);
        for (ParetoPoint p : new ParetoPoint[] {stock, morpheus}) {
            if (p != null) {
                YieldingWorkload.run(w, p.mode(), ParetoScenario.WORKERS, p.dispatcherSection());
            }
        }
    }

    static List<ParetoMeasurement> interleaved(Options o, ParetoScenario s, List<ParetoPoint> points, int offset,
                                                       Progress progress) throws InterruptedException {
        return interleaved(o, s, points, offset, progress, extras -> {});
    }

    /** As above; {@code afterRun} adds to each run's extras right after it (S5's throttling counters). */
    static List<ParetoMeasurement> interleaved(Options o, ParetoScenario s, List<ParetoPoint> points, int offset,
                                               Progress progress, java.util.function.Consumer<Map<String, Object>> afterRun)
            throws InterruptedException {
        List<List<ParetoMeasurement>> runs = new ArrayList<>();
        points.forEach(p -> runs.add(new ArrayList<>()));
        for (int round = 0; round < o.repeat; round++) {
            for (int k = 0; k < points.size(); k++) {
                int i = (k + round + offset) % points.size();
                ParetoPoint p = points.get(i);
                System.gc();
                Thread.sleep(50);
                progress.step("pareto " + s.name() + " " + p.config() + (o.repeat > 1 ? " #" + (round + 1) : ""));
                ParetoMeasurement m = runOne(o, s, p);
                afterRun.accept(m.extras());
                runs.get(i).add(m);
            }
        }
        List<ParetoMeasurement> chosen = new ArrayList<>();
        for (List<ParetoMeasurement> r : runs) {
            r.sort(Comparator.comparingDouble(ParetoMeasurement::throughputPerS));
            chosen.add(r.get(r.size() / 2));
        }
        return chosen;
    }

    private static ParetoMeasurement runOne(Options o, ParetoScenario s, ParetoPoint p) throws InterruptedException {
        if (s.requestResponse()) {
            return RequestResponseWorkload.run(o, p);
        }
        RunResult r = YieldingWorkload.run(o, p.mode(), ParetoScenario.WORKERS, p.dispatcherSection());
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("units", r.units());
        extras.put("window_s", r.windowS());
        extras.put("probe_delivered_after_window", r.probeLate());
        extras.put("jain_fairness_actors", r.jainActors());
        if (p.stock()) {
            extras.put("mailbox_switches", r.threadSwitches());
        } else {
            extras.put("yields", r.yields());
        }
        extras.put("load_avg_1m", r.loadAvg1m());
        return new ParetoMeasurement(p, r.hintSource(), r.throughputPerS(), r.probeP50Ms(), r.probeP99Ms(), r.probeP999Ms(),
                r.probeMaxMs(), r.probeSent(), extras);
    }

    /** The {@code pareto.json} document. */
    static Map<String, Object> document(List<ParetoResult> results, Map<String, Object> machine, Map<String, Object> parameters) {
        List<Map<String, Object>> scenarios = new ArrayList<>();
        for (ParetoResult r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            List<Map<String, Object>> pts = new ArrayList<>();
            List<ParetoMeasurement> frontier = r.stockFrontier();
            for (ParetoMeasurement p : r.points()) {
                Map<String, Object> j = p.json();
                if (p.stock()) {
                    j.put("on_stock_frontier", frontier.contains(p));
                }
                pts.add(j);
            }
            m.put("points", pts);
            m.put("unit_us", r.scenario().unitMicros());
            m.put("cpu_hog_processes", r.scenario().hogs());
            m.put("throughput_metric", r.scenario().throughputMetric());
            m.put("latency_metric", r.scenario().latencyMetric());
            m.put("stock_frontier", frontier.stream().map(ParetoMeasurement::config).toList());
            m.put("verdicts", ParetoVerdicts.evaluate(r).stream().map(ParetoVerdicts.Verdict::json).toList());
            scenarios.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("scenarios", scenarios);
        doc.put("machine", machine);
        doc.put("parameters", parameters);
        return doc;
    }
}
