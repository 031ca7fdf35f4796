package dev.morpheus.samples.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One PNG per Pareto scenario ({@code pareto_<scenario>.png}): throughput (x) against p99
 * latency (y, log scale), every point labelled with its config; the stock Pekko points, the
 * stock frontier drawn through the non-dominated ones, the {@code morpheus-default} point and
 * the per-hint-source Morpheus points beside them; the scenario's verdicts under the legend.
 */
final class ParetoCharts {
    private ParetoCharts() {}

    static String fileName(ParetoResult r) {
        return "pareto_" + r.name() + ".png";
    }

    static void render(Path dir, ParetoResult r, int threads) throws IOException {
        List<Charts.Mark> stock = new ArrayList<>();
        List<Charts.Mark> dflt = new ArrayList<>();
        List<Charts.Mark> sources = new ArrayList<>();
        for (ParetoMeasurement p : r.points()) {
            if (!p.placed()) {
                continue;
            }
            if (p.stock()) {
                stock.add(mark(p, p.config()));
            } else if (p.config().equals(ParetoPoint.MORPHEUS_DEFAULT)) {
                dflt.add(mark(p, p.config() + " [" + p.hintSource() + "]"));
            } else {
                sources.add(mark(p, p.config()));
            }
        }
        Map<String, List<Charts.Mark>> series = new LinkedHashMap<>();
        series.put("stock Pekko setting", stock);
        series.put("morpheus-default", dflt);
        series.put("morpheus-<source>", sources);
        List<Charts.Mark> frontier = new ArrayList<>();
        for (ParetoMeasurement p : r.stockFrontier()) {
            frontier.add(mark(p, p.config()));
        }
        List<String> notes = new ArrayList<>();
        notes.add("Verdicts for morpheus-default:");
        for (ParetoVerdicts.Verdict v : ParetoVerdicts.evaluate(r)) {
            notes.add("(" + v.id() + ") " + v.status() + ": " + shortGoal(v.id()));
        }
        ParetoScenario s = r.scenario();
        String what = switch (s.family()) {
            case "S1" -> "8 busy actors + probe";
            case "S2" -> "8 busy actors + probe, " + s.hogs() + " CPU hogs";
            default -> "8 query pairs beside 8 busy actors";
        };
        String title = String.format(Locale.ROOT, "Pareto %s: %s, %d threads, %d us units", r.name(), what, threads, s.unitMicros());
        String xLabel = s.requestResponse() ? "background work units per second" : "work units per second";
        String yLabel = s.requestResponse() ? "query latency p99, ms (log scale)" : "probe delay p99, ms (log scale)";
        Charts.scatter(dir.resolve(fileName(r)), title, xLabel, yLabel, series, "stock frontier", frontier, true, notes);
    }

    private static Charts.Mark mark(ParetoMeasurement p, String label) {
        return new Charts.Mark(p.throughputPerS(), p.p99Ms(), label);
    }

    private static String shortGoal(String id) {
        return switch (id) {
            case "a" -> "throughput >= " + ParetoVerdicts.THROUGHPUT_RATIO + "x best stock";
            case "b" -> "p99 <= max(1 ms, " + ParetoVerdicts.P99_RATIO + "x lowest stock p99)";
            case "c" -> "not dominated by a stock point";
            case "d" -> "throughput >= " + ParetoVerdicts.NAIVE_RATIO + "x throughput-1";
            default -> id;
        };
    }
}
