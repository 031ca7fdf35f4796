package dev.morpheus.samples.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Pareto dominance on the suite's two axes: throughput (higher is better) and p99 latency
 * (lower is better). A point dominates another when it is at least as good on both axes and
 * strictly better on one; the frontier of a set is its points that no other point of the set
 * dominates. Points without both measurements ({@link ParetoMeasurement#placed}) neither
 * dominate nor belong to a frontier.
 */
final class Pareto {
    private Pareto() {}

    static boolean dominates(ParetoMeasurement a, ParetoMeasurement b) {
        if (!a.placed() || !b.placed()) {
            return false;
        }
        boolean atLeast = a.throughputPerS() >= b.throughputPerS() && a.p99Ms() <= b.p99Ms();
        boolean strictly = a.throughputPerS() > b.throughputPerS() || a.p99Ms() < b.p99Ms();
        return atLeast && strictly;
    }

    /** The points of {@code set} that dominate {@code p} (none: p is not dominated by the set). */
    static List<ParetoMeasurement> dominators(ParetoMeasurement p, List<ParetoMeasurement> set) {
        List<ParetoMeasurement> r = new ArrayList<>();
        for (ParetoMeasurement q : set) {
            if (q != p && dominates(q, p)) {
                r.add(q);
            }
        }
        return r;
    }

    /** The non-dominated points of {@code set}, by throughput ascending (p99 then ascends too). */
    static List<ParetoMeasurement> frontier(List<ParetoMeasurement> set) {
        List<ParetoMeasurement> r = new ArrayList<>();
        for (ParetoMeasurement p : set) {
            if (p.placed() && dominators(p, set).isEmpty()) {
                r.add(p);
            }
        }
        r.sort(Comparator.comparingDouble(ParetoMeasurement::throughputPerS).thenComparingDouble(ParetoMeasurement::p99Ms));
        return r;
    }
}
