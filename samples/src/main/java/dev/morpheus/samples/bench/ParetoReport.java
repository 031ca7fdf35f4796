package dev.morpheus.samples.bench;

import java.util.List;
import java.util.Locale;

/**
 * The Pareto suite's part of BENCHMARK_REPORT.md (a verdict table over all scenarios, then per
 * scenario its points, verdicts and chart) and of the terminal summary.
 */
final class ParetoReport {
    private ParetoReport() {}

    static void section(BenchmarkRunner b, StringBuilder md) {
        List<ParetoResult> results = b.paretoResults;
        if (results.isEmpty()) {
            return;
        }
        Options o = b.o;
        md.append("## Pareto suite (issue 12): Morpheus default against every stock Pekko setting\n\n");
        md.append("Each scenario ran at every point, interleaved (rotated order").append(o.repeat > 1
                ? ", " + o.repeat + " rounds, the median-throughput run of each point shown" : "").append("), ")
                .append(fmt1(o.paretoDurationS)).append(" s measured after ").append(fmt1(o.paretoWarmupS))
                .append(" s of warm-up per point. Stock points: `type = Dispatcher` with `throughput` 1, 5, 100, 1M on ")
                .append("fork-join (`fj-`, parallelism ").append(o.threads).append(") and thread-pool (`tp-`, fixed-pool-size ")
                .append(o.threads).append("), throughput 1M with `throughput-deadline-time` 1 ms and 5 ms on thread-pool, ")
                .append("affinity-pool with throughput 5. `fj-t5` is Pekko's default dispatcher. `morpheus-default` is the ")
                .append("Morpheus configurator with no executor and no `morpheus` key but `jmx = off` (its source column shows ")
                .append("what `auto` resolved to); `morpheus-<source>` sets only the hint source. S1: ")
                .append(ParetoScenario.WORKERS).append(" always-busy actors + a probe pinged every ").append(o.probeMillis)
                .append(" ms; throughput = work units/s, latency = probe delay. S2: S1 beside ").append(ParetoScenario.HOGS)
                .append(" CPU-hog processes. S3: ").append(RequestResponseWorkload.PAIRS).append(" client/service pairs, each ")
                .append("client sending a query every ").append(RequestResponseWorkload.PERIOD_US / 1000.0)
                .append(" ms on a schedule fixed in advance (service work ").append(RequestResponseWorkload.SERVICE_US)
                .append(" us), beside ").append(ParetoScenario.WORKERS).append(" always-busy actors; throughput = ")
                .append("background work units/s, latency = answer arrival minus the query's scheduled send time (no ")
                .append("coordinated omission). Raw data: `pareto.json`.\n\n");

        md.append("| scenario | (a) throughput >= ").append(ParetoVerdicts.THROUGHPUT_RATIO).append("x best stock | (b) p99 <= max(1 ms, ")
                .append(ParetoVerdicts.P99_RATIO).append("x lowest stock p99) | (c) not dominated by a stock point | (d) >= ")
                .append(ParetoVerdicts.NAIVE_RATIO).append("x throughput-1 (S1-2us) |\n|---|---|---|---|---|\n");
        for (ParetoResult r : results) {
            List<ParetoVerdicts.Verdict> vs = ParetoVerdicts.evaluate(r);
            md.append("| ").append(r.name());
            for (String id : new String[] {"a", "b", "c", "d"}) {
                ParetoVerdicts.Verdict v = vs.stream().filter(x -> x.id().equals(id)).findFirst().orElse(null);
                md.append(" | ").append(v == null ? "-" : "**" + v.status() + "**");
            }
            md.append(" |\n");
        }
        md.append('\n');

        for (ParetoResult r : results) {
            md.append("### ").append(r.name()).append("\n\n");
            double best = r.stock().stream().mapToDouble(ParetoMeasurement::throughputPerS).max().orElse(Double.NaN);
            List<ParetoMeasurement> frontier = r.stockFrontier();
            md.append("| config | kind | source | throughput/s | vs best stock | p50 ms | p99 ms | p999 ms | samples | stock frontier |\n");
            md.append("|---|---|---|---|---|---|---|---|---|---|\n");
            for (ParetoMeasurement p : r.points()) {
                String where;
                if (p.stock()) {
                    where = frontier.contains(p) ? "on it" : "";
                } else {
                    List<ParetoMeasurement> dom = Pareto.dominators(p, r.stock());
                    where = dom.isEmpty() ? "not dominated" : "dominated by " + String.join(", ",
                            dom.stream().map(ParetoMeasurement::config).toList());
                }
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.0f | %.3fx | %s | %s | %s | %d | %s |%n", p.config(),
                        p.point().kind(), p.hintSource(), p.throughputPerS(), p.throughputPerS() / best, ParetoVerdicts.fmt(p.p50Ms()),
                        ParetoVerdicts.fmt(p.p99Ms()), ParetoVerdicts.fmt(p.p999Ms()), p.samples(), where));
            }
            md.append('\n');
            for (ParetoVerdicts.Verdict v : ParetoVerdicts.evaluate(r)) {
                md.append("- (").append(v.id()).append(") **").append(v.status()).append("** ").append(v.goal()).append(": ")
                        .append(v.measured()).append('\n');
            }
            String load = loadNote(r, (int) b.machine.get("cpus"));
            if (load != null) {
                md.append("\nNote: ").append(load).append(".\n");
            }
            md.append("\n![pareto ").append(r.name()).append("](").append(ParetoCharts.fileName(r)).append(")\n\n");
        }
    }

    /**
     * A warning when the 1-minute load average exceeded the CPUs plus the scenario's own hogs
     * plus one (the JVM's timer or driver thread beside its pool) during the scenario: other
     * processes took CPU time, so its numbers are noisier; null otherwise. The average lags by
     * about a minute, so a busy scenario can still raise it for the next.
     */
    static String loadNote(ParetoResult r, int cpus) {
        double load = r.maxLoad();
        int hogs = r.scenario().hogs();
        if (Double.isNaN(load) || load <= cpus + hogs + 1) {
            return null;
        }
        return String.format(Locale.ROOT, "%s: load average up to %.1f on %d CPUs%s: other processes competed for the CPUs, "
                + "compare with care", r.name(), load, cpus, hogs > 0 ? " (" + hogs + " of it the scenario's own CPU hogs)" : "");
    }

    /** The terminal table (stdout), one block per scenario. */
    static void printSummary(List<ParetoResult> results) {
        printSummary("Pareto suite", results);
    }

    static void printSummary(String suite, List<ParetoResult> results) {
        if (results.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.println(suite + " (throughput/s; p99 and p999 latency in ms; * = on the stock frontier)");
        for (ParetoResult r : results) {
            System.out.println("  " + r.name() + " (" + r.scenario().throughputMetric() + ")");
            List<ParetoMeasurement> frontier = r.stockFrontier();
            for (ParetoMeasurement p : r.points()) {
                System.out.printf(Locale.ROOT, "    %-18s %-8s %-7s %12.0f %9s %9s %s%n", p.config(), p.point().kind(), p.hintSource(),
                        p.throughputPerS(), ParetoVerdicts.fmt(p.p99Ms()), ParetoVerdicts.fmt(p.p999Ms()),
                        frontier.contains(p) ? "*" : "");
            }
        }
    }

    private static String fmt1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
