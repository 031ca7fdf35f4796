package dev.morpheus.samples.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The measured points of one Pareto scenario, in catalogue order (stock first), with the
 * look-ups the verdicts, the chart and the report need.
 */
record ParetoResult(ParetoScenario scenario, List<ParetoMeasurement> points) {

    String name() {
        return scenario.name();
    }

    /** The stock points with both axes measured. */
    List<ParetoMeasurement> stock() {
        List<ParetoMeasurement> r = new ArrayList<>();
        for (ParetoMeasurement p : points) {
            if (p.stock() && p.placed()) {
                r.add(p);
            }
        }
        return r;
    }

    /** The Morpheus points (placed or not). */
    List<ParetoMeasurement> morpheus() {
        List<ParetoMeasurement> r = new ArrayList<>();
        for (ParetoMeasurement p : points) {
            if (!p.stock()) {
                r.add(p);
            }
        }
        return r;
    }

    /** The point named {@code config}, or null. */
    ParetoMeasurement find(String config) {
        for (ParetoMeasurement p : points) {
            if (p.config().equals(config)) {
                return p;
            }
        }
        return null;
    }

    /** The highest 1-minute load average seen at the end of a point's run (NaN if none recorded). */
    double maxLoad() {
        double max = Double.NaN;
        for (ParetoMeasurement p : points) {
            if (p.extras().get("load_avg_1m") instanceof Double d && !d.isNaN()) {
                max = Double.isNaN(max) ? d : Math.max(max, d);
            }
        }
        return max;
    }

    /** The stock frontier: the stock points no other stock point dominates. */
    List<ParetoMeasurement> stockFrontier() {
        return Pareto.frontier(stock());
    }
}
