package dev.morpheus.samples.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Renders the report's PNG charts from the suites' results. */
final class ReportCharts {
    private ReportCharts() {}

    static void render(BenchmarkRunner b) throws IOException {
        String setup = " (" + b.o.threads + " pool threads, " + b.o.unitMicros + " us units)";
        if (!b.yieldRows.isEmpty()) {
            List<String> cats = new ArrayList<>();
            for (int w : b.o.workers) {
                cats.add(w + (w == 1 ? " worker" : " workers"));
            }
            Set<String> modes = new LinkedHashSet<>();
            b.yieldRows.forEach(r -> modes.add(r.mode()));
            Map<String, double[]> tput = new LinkedHashMap<>();
            Map<String, double[]> p99 = new LinkedHashMap<>();
            for (String m : modes) {
                double[] t = new double[cats.size()];
                double[] p = new double[cats.size()];
                for (int i = 0; i < b.o.workers.size(); i++) {
                    RunResult r = Tables.find(b.yieldRows, m, b.o.workers.get(i));
                    t[i] = r == null ? Double.NaN : r.throughputPerS();
                    p[i] = r == null ? Double.NaN : r.probeP99Ms();
                }
                tput.put(m, t);
                p99.put(m, p);
            }
            Charts.bars(b.out().resolve("throughput.png"), "Work-unit throughput by mode" + setup, "worker actors",
                    "work units per second", cats, tput, false, null);
            b.charts.add("throughput.png");
            Charts.bars(b.out().resolve("probe_p99.png"), "Probe scheduling delay p99 (pinged every " + b.o.probeMillis + " ms)",
                    "worker actors", "probe delay p99, ms (log scale)", cats, p99, true,
                    new Charts.RefLine(2.0 * b.o.sliceMillis, "goal: 2 x slice = " + 2 * b.o.sliceMillis + " ms"));
            b.charts.add("probe_p99.png");
        }
        if (!b.dispatcherRows.isEmpty()) {
            List<String> cats = new ArrayList<>();
            double[] t = new double[b.dispatcherRows.size()];
            double[] a50 = new double[t.length];
            double[] a99 = new double[t.length];
            double[] p99 = new double[t.length];
            for (int i = 0; i < t.length; i++) {
                RunResult r = b.dispatcherRows.get(i);
                cats.add(r.mode());
                t[i] = r.throughputPerS();
                a50[i] = Math.max(r.assignP50Ms(), 1e-4);
                a99[i] = Math.max(r.assignP99Ms(), 1e-4);
                p99[i] = r.probeP99Ms();
            }
            Map<String, double[]> ts = new LinkedHashMap<>();
            ts.put("work units/s", t);
            Charts.bars(b.out().resolve("dispatchers_throughput.png"),
                    "Dispatcher comparison: throughput, " + b.o.dispatcherWorkers + " workers" + setup, "dispatcher / executor",
                    "work units per second", cats, ts, false, null);
            b.charts.add("dispatchers_throughput.png");
            Map<String, double[]> ls = new LinkedHashMap<>();
            ls.put("assignment p50", a50);
            ls.put("assignment p99", a99);
            ls.put("probe p99", p99);
            Charts.bars(b.out().resolve("dispatchers_latency.png"),
                    "Dispatcher comparison: assignment latency and probe delay", "dispatcher / executor",
                    "milliseconds (log scale)", cats, ls, true, null);
            b.charts.add("dispatchers_latency.png");
        }
        if (!b.scalingRows.isEmpty()) {
            double[] xs = b.o.scalingWorkers.stream().mapToDouble(Integer::doubleValue).toArray();
            Map<String, double[]> sp = new LinkedHashMap<>();
            double[] ideal = new double[xs.length];
            for (int i = 0; i < xs.length; i++) {
                ideal[i] = Math.min(xs[i], b.o.threads);
            }
            for (Map<String, Object> r : b.scalingRows) {
                double[] s = sp.computeIfAbsent((String) r.get("mode"), k -> {
                    double[] a = new double[xs.length];
                    java.util.Arrays.fill(a, Double.NaN);
                    return a;
                });
                s[b.o.scalingWorkers.indexOf((Integer) r.get("workers"))] = (double) r.get("speedup");
            }
            sp.put("ideal: min(N, " + b.o.threads + " threads)", ideal);
            Charts.lines(b.out().resolve("scaling.png"), "Scaling: speedup over 1 worker (fixed total work)" + setup,
                    "worker actors (log scale)", "speedup (x)", xs, sp, true, null);
            b.charts.add("scaling.png");
        }
        if (!b.pipelineRows.isEmpty()) {
            Set<String> scen = new LinkedHashSet<>();
            Set<String> disp = new LinkedHashSet<>();
            b.pipelineRows.forEach(r -> {
                scen.add((String) r.get("scenario"));
                disp.add((String) r.get("dispatcher"));
            });
            List<String> cats = new ArrayList<>(scen);
            Map<String, double[]> s = new LinkedHashMap<>();
            for (String d : disp) {
                double[] v = new double[cats.size()];
                java.util.Arrays.fill(v, Double.NaN);
                for (Map<String, Object> r : b.pipelineRows) {
                    if (r.get("dispatcher").equals(d)) {
                        v[cats.indexOf((String) r.get("scenario"))] = (double) r.get("latency_p99_ms");
                    }
                }
                s.put(d, v);
            }
            Charts.bars(b.out().resolve("pipelines.png"), "Pipelines: per-item latency p99 by dispatcher", "scenario",
                    "item latency p99, ms (log scale)", cats, s, true, null);
            b.charts.add("pipelines.png");
        }
        for (ParetoResult r : b.paretoResults) {
            ParetoCharts.render(b.out(), r, b.o.threads);
            b.charts.add(ParetoCharts.fileName(r));
        }
    }
}
