package dev.morpheus.samples.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The acceptance verdicts of one Pareto scenario (issue 12), for the {@code morpheus-default}
 * point against the stock points of the same scenario:
 * <ol type="a">
 *   <li>throughput at least {@value #THROUGHPUT_RATIO}x the best stock point's;</li>
 *   <li>p99 at most max({@value #P99_FLOOR_MS} ms, {@value #P99_RATIO}x the lowest p99 of any
 *       stock point);</li>
 *   <li>no stock point dominates it (better or equal on both axes, strictly better on one);</li>
 *   <li>in {@code S1-2us} only: throughput at least {@value #NAIVE_RATIO}x the stock throughput-1
 *       setting's (the seed's "naive"; the better of its fork-join and thread-pool points).</li>
 * </ol>
 * Each verdict is MET or MISSED with the numbers behind it, or N/A when the scenario lacks a
 * point it needs.
 */
final class ParetoVerdicts {
    static final double THROUGHPUT_RATIO = 0.97;
    static final double P99_FLOOR_MS = 1.0;
    static final double P99_RATIO = 1.1;
    static final double NAIVE_RATIO = 1.25;
    static final String NAIVE_SCENARIO = "S1-2us";

    private ParetoVerdicts() {}

    record Verdict(String scenario, String id, String goal, String measured, String status) {
        boolean met() {
            return status.equals("MET");
        }

        /** The verdict's object in the suites' JSON documents. */
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("goal", goal);
            m.put("measured", measured);
            m.put("status", status);
            return m;
        }

        /** One line for stderr and the report's lists. */
        String line() {
            return String.format("%s (%s) [%s] %s: %s", scenario, id, status, goal, measured);
        }
    }

    static List<Verdict> evaluate(ParetoResult r) {
        List<Verdict> out = new ArrayList<>();
        String s = r.name();
        ParetoMeasurement md = r.find(ParetoPoint.MORPHEUS_DEFAULT);
        List<ParetoMeasurement> stock = r.stock();
        String goalA = "morpheus-default throughput >= " + THROUGHPUT_RATIO + "x the best stock point's";
        String goalB = "morpheus-default p99 <= max(" + fmt(P99_FLOOR_MS) + " ms, " + P99_RATIO + "x the lowest stock p99)";
        String goalC = "no stock point dominates morpheus-default";
        String goalD = "morpheus-default throughput >= " + NAIVE_RATIO + "x stock throughput-1 (naive)";
        boolean naiveScenario = s.equals(NAIVE_SCENARIO);
        if (md == null || !md.placed() || stock.isEmpty()) {
            String why = md == null ? "morpheus-default not measured" : !md.placed() ? "morpheus-default has no latency samples"
                    : "no stock point measured";
            out.add(new Verdict(s, "a", goalA, why, "N/A"));
            out.add(new Verdict(s, "b", goalB, why, "N/A"));
            out.add(new Verdict(s, "c", goalC, why, "N/A"));
            if (naiveScenario) {
                out.add(new Verdict(s, "d", goalD, why, "N/A"));
            }
            return out;
        }
        String unit = r.scenario().requestResponse() ? "units/s (background)" : "units/s";

        ParetoMeasurement best = stock.stream().max(Comparator.comparingDouble(ParetoMeasurement::throughputPerS)).orElseThrow();
        double ratio = md.throughputPerS() / best.throughputPerS();
        out.add(new Verdict(s, "a", goalA, String.format(Locale.ROOT, "%.0f vs %.0f %s of %s = %.3fx",
                md.throughputPerS(), best.throughputPerS(), unit, best.config(), ratio),
                ratio >= THROUGHPUT_RATIO ? "MET" : "MISSED"));

        ParetoMeasurement low = stock.stream().min(Comparator.comparingDouble(ParetoMeasurement::p99Ms)).orElseThrow();
        double bound = Math.max(P99_FLOOR_MS, P99_RATIO * low.p99Ms());
        out.add(new Verdict(s, "b", goalB, String.format(Locale.ROOT, "p99 %s ms vs bound %s ms (lowest stock p99 %s ms, %s)",
                fmt(md.p99Ms()), fmt(bound), fmt(low.p99Ms()), low.config()),
                md.p99Ms() <= bound ? "MET" : "MISSED"));

        List<ParetoMeasurement> dom = Pareto.dominators(md, stock);
        String measured;
        if (dom.isEmpty()) {
            measured = String.format(Locale.ROOT, "none does (morpheus-default: %.0f %s, p99 %s ms)", md.throughputPerS(), unit,
                    fmt(md.p99Ms()));
        } else {
            StringBuilder sb = new StringBuilder("dominated by ");
            for (int i = 0; i < dom.size(); i++) {
                ParetoMeasurement d = dom.get(i);
                sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s (%.0f, %s ms)", d.config(), d.throughputPerS(),
                        fmt(d.p99Ms())));
            }
            sb.append(String.format(Locale.ROOT, "; morpheus-default %.0f %s, p99 %s ms", md.throughputPerS(), unit,
                    fmt(md.p99Ms())));
            measured = sb.toString();
        }
        out.add(new Verdict(s, "c", goalC, measured, dom.isEmpty() ? "MET" : "MISSED"));

        if (naiveScenario) {
            ParetoMeasurement naive = stock.stream().filter(p -> p.point().throughputOne())
                    .max(Comparator.comparingDouble(ParetoMeasurement::throughputPerS)).orElse(null);
            if (naive == null) {
                out.add(new Verdict(s, "d", goalD, "no stock throughput-1 point measured", "N/A"));
            } else {
                double n = md.throughputPerS() / naive.throughputPerS();
                // The ceiling: how far any batch setting gets past naive on this workload and machine
                // (throughput 1M never re-schedules a mailbox: what batching alone can win).
                ParetoMeasurement bestStock = stock.stream().max(Comparator.comparingDouble(ParetoMeasurement::throughputPerS)).orElseThrow();
                out.add(new Verdict(s, "d", goalD, String.format(Locale.ROOT,
                        "%.0f vs %.0f %s of %s = %.3fx (ceiling here: the best stock point, %s, makes %.3fx naive)",
                        md.throughputPerS(), naive.throughputPerS(), unit, naive.config(), n, bestStock.config(),
                        bestStock.throughputPerS() / naive.throughputPerS()),
                        n >= NAIVE_RATIO ? "MET" : "MISSED"));
            }
        }
        return out;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 1 ? "%.2f" : "%.3f", v);
    }
}
