package dev.morpheus.samples.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Result rows as JSON-ready maps, and the summary tables printed on the terminal. */
final class Tables {
    private Tables() {}

    static List<Map<String, Object>> rows(List<RunResult> results) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (RunResult r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mode", r.mode());
            m.put("hint_source", r.hintSource());
            m.put("workers", r.workers());
            m.put("pool_threads", r.threads());
            m.put("throughput_per_s", r.throughputPerS());
            m.put("probe_p50_ms", r.probeP50Ms());
            m.put("probe_p99_ms", r.probeP99Ms());
            m.put("probe_p999_ms", r.probeP999Ms());
            m.put("probe_max_ms", r.probeMaxMs());
            m.put("probe_pings", r.probeSent());
            m.put("probe_delivered_after_window", r.probeLate());
            m.put("assign_p50_ms", r.assignP50Ms());
            m.put("assign_p99_ms", r.assignP99Ms());
            m.put("jain_fairness_actors", r.jainActors());
            m.put("jain_fairness_threads", r.jainThreads());
            m.put("yields", r.yields());
            m.put("thread_switches", r.threadSwitches());
            m.put("units", r.units());
            m.put("window_s", r.windowS());
            m.put("actor_system_startup_ms", r.startupMs());
            m.put("peak_rss_mb", r.peakRssKb() < 0 ? -1 : r.peakRssKb() / 1024.0);
            m.put("morpheus_runtime_mode", r.morpheusMode());
            m.put("load_avg_1m", r.loadAvg1m());
            rows.add(m);
        }
        return rows;
    }

    /** Per pipeline scenario: whether every dispatcher produced the same output checksum. */
    static Map<String, Object> identicalOutputs(List<Map<String, Object>> pipelineRows) {
        Map<String, Set<Object>> sums = new LinkedHashMap<>();
        for (Map<String, Object> r : pipelineRows) {
            sums.computeIfAbsent((String) r.get("scenario"), k -> new HashSet<>()).add(r.get("checksum"));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<String, Set<Object>> e : sums.entrySet()) {
            m.put(e.getKey(), e.getValue().size() == 1);
        }
        return m;
    }

    static RunResult find(List<RunResult> rows, String mode, int workers) {
        for (RunResult r : rows) {
            if (r.mode().equals(mode) && r.workers() == workers) {
                return r;
            }
        }
        return null;
    }

    static String yieldsText(Map<String, Long> y) {
        StringBuilder sb = new StringBuilder();
        y.forEach((k, v) -> {
            if (v != 0) {
                sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v);
            }
        });
        return sb.length() == 0 ? "0" : sb.toString();
    }

    static void printSummary(BenchmarkRunner b) {
        if (!b.yieldRows.isEmpty()) {
            System.out.println();
            System.out.println("Cooperative yielding (units/s; probe delay in ms; ratio against blocking at the same worker count)");
            System.out.printf("%-7s %-18s %-7s %12s %8s %9s %9s %9s  %s%n", "workers", "mode", "source", "units/s", "vs blk",
                    "probe p50", "probe p99", "probe max", "yields");
            for (RunResult r : b.yieldRows) {
                RunResult blk = find(b.yieldRows, "blocking", r.workers());
                String ratio = blk == null ? "-" : String.format("%.3f", r.throughputPerS() / blk.throughputPerS());
                System.out.printf("%-7d %-18s %-7s %12.0f %8s %9.2f %9.2f %9.2f  %s%n", r.workers(), r.mode(), r.hintSource(),
                        r.throughputPerS(), ratio, r.probeP50Ms(), r.probeP99Ms(), r.probeMaxMs(), yieldsText(r.yields()));
            }
        }
        if (!b.dispatcherRows.isEmpty()) {
            System.out.println();
            System.out.println("Dispatchers (" + b.o.dispatcherWorkers + " workers; assignment latency = send to start of processing)");
            System.out.printf("%-18s %12s %10s %10s %10s %8s %8s%n", "dispatcher", "units/s", "assign p50", "assign p99", "probe p99",
                    "jain(a)", "jain(t)");
            for (RunResult r : b.dispatcherRows) {
                System.out.printf("%-18s %12.0f %10.3f %10.3f %10.2f %8.3f %8.3f%n", r.mode(), r.throughputPerS(), r.assignP50Ms(),
                        r.assignP99Ms(), r.probeP99Ms(), r.jainActors(), r.jainThreads());
            }
        }
        if (!b.scalingRows.isEmpty()) {
            System.out.println();
            System.out.println("Scaling (fixed work split over N workers)");
            System.out.printf("%-18s %7s %9s %12s %8s %10s %10s%n", "mode", "workers", "time s", "units/s", "speedup", "eff/worker",
                    "eff/core");
            for (Map<String, Object> r : b.scalingRows) {
                System.out.printf("%-18s %7d %9.3f %12.0f %8.2f %10.2f %10.2f%n", r.get("mode"), (int) r.get("workers"),
                        (double) r.get("time_s"), (double) r.get("throughput_per_s"), (double) r.get("speedup"),
                        (double) r.get("efficiency_per_worker"), (double) r.get("efficiency_per_core"));
            }
        }
        if (!b.pipelineRows.isEmpty()) {
            System.out.println();
            System.out.println("Pipelines (per-item latency ms)");
            System.out.printf("%-16s %-18s %10s %8s %8s %8s %10s %8s%n", "scenario", "dispatcher", "items/s", "p50", "p95", "p99",
                    "startup ms", "RSS MB");
            for (Map<String, Object> r : b.pipelineRows) {
                System.out.printf("%-16s %-18s %10.0f %8.2f %8.2f %8.2f %10.1f %8.1f%n", r.get("scenario"), r.get("dispatcher"),
                        (double) r.get("items_per_s"), (double) r.get("latency_p50_ms"), (double) r.get("latency_p95_ms"),
                        (double) r.get("latency_p99_ms"), (double) r.get("startup_ms"), (double) r.get("peak_rss_mb"));
            }
            System.out.println("identical output across dispatchers: " + identicalOutputs(b.pipelineRows));
        }
        if (b.runtimes != null) {
            System.out.println();
            System.out.println("Checkpoint runtimes (1 us steps, ns per step; overhead per checkpoint against none)");
            for (String v : CheckpointRuntimes.VARIANTS) {
                @SuppressWarnings("unchecked")
                Map<String, Object> r = (Map<String, Object>) b.runtimes.get(v);
                System.out.printf("  %-12s %9.1f ns/step  %+7.2f ns  x%.4f%n", v, (double) r.get("ns_per_step"),
                        (double) r.get("overhead_ns_per_checkpoint"), (double) r.get("relative_to_none"));
            }
        }
        ParetoReport.printSummary(b.paretoResults);
        List<Goals.Goal> goals = Goals.evaluate(b);
        if (!goals.isEmpty()) {
            System.out.println();
            System.out.println("Goals");
            for (Goals.Goal g : goals) {
                System.out.printf("  [%s] %s: %s%n", g.status(), g.goal(), g.measured());
            }
        }
    }
}
