package dev.morpheus.samples.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One point of a Pareto scenario as measured: the setting, the hint source it ended up with
 * (for {@code auto}: the one it resolved to; {@code -} for stock points), throughput and the
 * latency percentiles, plus the scenario-specific extras (sample count, queries/s, ...) that
 * {@code pareto.json} carries beside the required fields.
 */
record ParetoMeasurement(ParetoPoint point, String hintSource, double throughputPerS, double p50Ms, double p99Ms,
                         double p999Ms, double maxMs, int samples, Map<String, Object> extras) {

    String config() {
        return point.config();
    }

    boolean stock() {
        return point.stock();
    }

    /** Both axes measured (a run without latency samples cannot be placed on the chart). */
    boolean placed() {
        return !Double.isNaN(throughputPerS) && !Double.isNaN(p99Ms);
    }

    /** The point's object in {@code pareto.json}: the required fields first, then the extras. */
    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("config", point.config());
        m.put("kind", point.kind());
        m.put("hint_source", hintSource);
        m.put("throughput_per_s", throughputPerS);
        m.put("p99_ms", p99Ms);
        m.put("p999_ms", p999Ms);
        m.put("hint_source_requested", point.hintSource());
        m.put("p50_ms", p50Ms);
        m.put("max_ms", maxMs);
        m.put("latency_samples", samples);
        m.putAll(extras);
        m.put("dispatcher", point.dispatcherSection());
        return m;
    }
}
