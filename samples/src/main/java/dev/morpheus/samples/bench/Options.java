package dev.morpheus.samples.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The runner's command line: GNU-style long options ({@code --name value} or {@code --name=value}),
 * validated up front; a bad value is reported with the option, the value and the allowed range.
 */
final class Options implements Cloneable {
    static final List<String> ALL_SUITES = List.of("yield", "dispatchers", "scaling", "pipelines", "runtimes", "pareto");
    /** Suites that only run when named: kernel-value needs root (morpheusd, cgroups). */
    static final List<String> NAMED_SUITES = List.of("kernel-value");

    List<String> suites = new ArrayList<>(ALL_SUITES);
    List<Integer> workers = List.of(1, 2, 4, 8);
    List<Integer> scalingWorkers = List.of(1, 2, 4, 8, 16, 32);
    List<String> modes = new ArrayList<>(List.of("blocking", "naive", "deadline", "morpheus", "morpheus-direct"));
    List<String> hintSources = new ArrayList<>(List.of("auto"));
    double durationS = 3.0;
    double warmupS = 1.0;
    int threads = Runtime.getRuntime().availableProcessors();
    int unitMicros = 75;
    int sliceMillis = 5;
    int probeMillis = 10;
    int maxBatch = 100_000;
    String morpheusExecutor = "morpheus";
    int contend = 0;
    int repeat = 1;
    int dispatcherWorkers = 8;
    int scalingUnits = 8_000;
    int pipelineItems = 2_000;
    /** Pareto suite: measured and warm-up time per point (NaN: --duration and --warmup). */
    double paretoDurationS = Double.NaN;
    double paretoWarmupS = Double.NaN;
    /** Pareto suite: the scenarios to run (null: all of the quick or the full catalogue). */
    List<String> paretoScenarios;
    /** Pareto suite: the points to run, by config name (null: every point). */
    List<String> paretoPoints;
    Path out = Path.of("target/morpheus-report");
    /** The morpheusd the kernel-value suite starts when none runs at the default socket. */
    Path morpheusd = Path.of(System.getenv().getOrDefault("ROOT", ".")).resolve("build/native/morpheusd");
    boolean quick;
    boolean help;

    static final String USAGE = """
            Usage: java -jar samples/target/morpheus-samples.jar [options]

            Runs the Morpheus throughput comparisons on Pekko and writes JSON, PNG charts and
            BENCHMARK_REPORT.md under --out.

            Options:
              --suites LIST        comma list of: yield, dispatchers, scaling, pipelines, runtimes, pareto (default: all),
                                   and kernel-value (only when named; root: issue 16's S4 noisy neighbours and
                                   S5 CPU quota, Morpheus kernel/procfs/queue against the stock points)
              --workers LIST       worker actors for the yield suite (default 1,2,4,8; --quick 1,8; full run: 1,2,4,8,16,32)
              --modes LIST         yield-suite modes: blocking, naive, deadline, morpheus, morpheus-direct (default: all)
                                   morpheus = the Morpheus dispatcher; morpheus-direct = the Morpheus API in the actors
              --hint-sources LIST  hint sources for the morpheus mode, one row each: auto, procfs, queue, none
                                   (default auto; auto picks kernel > procfs > queue)
              --duration SECONDS   measured time per run, 0.2-600 (default 3)
              --warmup SECONDS     unmeasured time before each run, 0-60 (default 1)
              --threads N          dispatcher pool threads, 1-256 (default: CPU count)
              --unit-us N          CPU time of one work unit in microseconds, 1-10000 (default 75)
              --slice-ms N         Morpheus slice and the deadline mode's throughput-deadline-time, 1-1000 (default 5)
              --probe-ms N         probe ping period in milliseconds, 1-1000 (default 10)
              --max-batch N        Morpheus max-batch: messages per batch without a hint, 1-1000000 (default 100000)
              --morpheus-executor E  executor of the morpheus mode's dispatcher: morpheus (its default: work-stealing,
                                   woken mailboxes before cut ones, wake-up preemption), thread-pool (Pekko's, one
                                   FIFO queue) or fork-join (default morpheus)
              --contend N          start N CPU-hog processes for cross-process pressure, 0-256 (default 0)
              --repeat N           runs per (mode, workers) point in the yield and dispatcher suites, interleaved;
                                   the median-throughput run is reported, 1-100 (default 1)
              --dispatcher-workers N  worker actors in the dispatcher suite, 1-1024 (default 8)
              --scaling-workers LIST  worker counts for the scaling suite (default 1,2,4,8,16,32)
              --scaling-units N    total work units per scaling run, 1-10000000 (default 8000)
              --pipeline-items N   items per pipeline, 1-10000000 (default 2000)
              --pareto-scenarios LIST  Pareto scenarios: S1-2us, S1-10us, S1-75us (8 busy actors + probe), S2-2us,
                                   S2-10us, S2-75us (S1 beside 2 CPU-hog processes), S3-10us (request/response);
                                   default all, --quick: S1-2us, S1-10us, S2-10us, S3-10us; for kernel-value:
                                   S4-steady, S4-bursty, S5-quota (default all three)
              --pareto-points LIST  Pareto points by config name (fj-t1 ... affinity-t5, morpheus-default,
                                   morpheus-queue, morpheus-procfs, morpheus-kernel); default all
              --pareto-duration SECONDS  measured time per Pareto point, 0.2-600 (default --duration; --quick 1)
              --pareto-warmup SECONDS    unmeasured time before each Pareto point, 0-60 (default --warmup; --quick 0.3)
              --morpheusd PATH     morpheusd for the kernel-value suite's kernel point when none runs at
                                   /run/morpheus/morpheusd.sock (default $ROOT/build/native/morpheusd)
              --out DIR            output directory (default target/morpheus-report)
              --quick              the short version used by `make demo` (short runs, fewer points)
              -h, --help           this text
            """;

    static Options parse(String[] args) {
        Options o = new Options();
        Map<String, String> seen = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                o.help = true;
                continue;
            }
            if (a.equals("--quick")) {
                o.quick = true;
                continue;
            }
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "' (options start with --; see --help)");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option --" + name + " needs a value (see --help)");
                }
                value = args[++i];
            }
            seen.put(name, value);
        }
        if (o.quick) {
            o.durationS = 1.2;
            o.warmupS = 0.4;
            o.workers = List.of(1, 8); // 2 and 4 left out: the Pareto suite needs the time (make demo < 3 min)
            o.scalingWorkers = List.of(1, 2, 4, 8, 16);
            o.scalingUnits = 2_400;
            o.pipelineItems = 400;
            o.paretoDurationS = 1.0;
            o.paretoWarmupS = 0.3;
        }
        for (Map.Entry<String, String> e : seen.entrySet()) {
            o.apply(e.getKey(), e.getValue());
        }
        if (Double.isNaN(o.paretoDurationS)) {
            o.paretoDurationS = o.durationS;
        }
        if (Double.isNaN(o.paretoWarmupS)) {
            o.paretoWarmupS = o.warmupS;
        }
        return o;
    }

    private void apply(String name, String v) {
        switch (name) {
            case "suites" -> suites = oneOfList(name, v, java.util.stream.Stream.concat(ALL_SUITES.stream(), NAMED_SUITES.stream()).toList());
            case "workers" -> workers = intList(name, v, 1, 1024);
            case "scaling-workers" -> scalingWorkers = intList(name, v, 1, 1024);
            case "modes" -> modes = oneOfList(name, v, List.of("blocking", "naive", "deadline", "morpheus", "morpheus-direct"));
            case "hint-sources" -> hintSources = oneOfList(name, v, List.of("auto", "kernel", "procfs", "queue", "none"));
            case "duration" -> durationS = dbl(name, v, 0.2, 600);
            case "warmup" -> warmupS = dbl(name, v, 0, 60);
            case "threads" -> threads = integer(name, v, 1, 256);
            case "unit-us" -> unitMicros = integer(name, v, 1, 10_000);
            case "slice-ms" -> sliceMillis = integer(name, v, 1, 1000);
            case "probe-ms" -> probeMillis = integer(name, v, 1, 1000);
            case "max-batch" -> maxBatch = integer(name, v, 1, 1_000_000);
            case "morpheus-executor" -> {
                if (!v.equals("morpheus") && !v.equals("thread-pool") && !v.equals("fork-join")) {
                    throw new IllegalArgumentException("--" + name + " = '" + v + "': must be morpheus, thread-pool or fork-join");
                }
                morpheusExecutor = v;
            }
            case "contend" -> contend = integer(name, v, 0, 256);
            case "repeat" -> repeat = integer(name, v, 1, 100);
            case "dispatcher-workers" -> dispatcherWorkers = integer(name, v, 1, 1024);
            case "scaling-units" -> scalingUnits = integer(name, v, 1, 10_000_000);
            case "pipeline-items" -> pipelineItems = integer(name, v, 1, 10_000_000);
            case "pareto-scenarios" -> paretoScenarios = oneOfList(name, v.toUpperCase(Locale.ROOT).replace("US", "us"),
                    java.util.stream.Stream.concat(ParetoScenario.catalogue(false).stream(), ParetoScenario.kernelValue().stream())
                            .map(ParetoScenario::name).map(n -> n.toUpperCase(Locale.ROOT).replace("US", "us")).toList(), false);
            case "pareto-points" -> paretoPoints = oneOfList(name, v,
                    ParetoPoint.catalogue(threads, true).stream().map(ParetoPoint::config).toList(), false);
            case "pareto-duration" -> paretoDurationS = dbl(name, v, 0.2, 600);
            case "pareto-warmup" -> paretoWarmupS = dbl(name, v, 0, 60);
            case "out" -> out = Path.of(v);
            case "morpheusd" -> morpheusd = Path.of(v);
            default -> throw new IllegalArgumentException("unknown option --" + name + " (see --help)");
        }
    }

    private static int integer(String name, String v, int min, int max) {
        long x;
        try {
            x = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " = '" + v + "': must be an integer between " + min + " and " + max);
        }
        if (x < min || x > max) {
            throw new IllegalArgumentException("--" + name + " = " + v + ": must be between " + min + " and " + max);
        }
        return (int) x;
    }

    private static double dbl(String name, String v, double min, double max) {
        double x;
        try {
            x = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " = '" + v + "': must be a number between " + min + " and " + max);
        }
        if (!(x >= min && x <= max)) {
            throw new IllegalArgumentException("--" + name + " = " + v + ": must be between " + min + " and " + max);
        }
        return x;
    }

    private static List<Integer> intList(String name, String v, int min, int max) {
        List<Integer> r = new ArrayList<>();
        for (String s : v.split(",")) {
            if (!s.isBlank()) {
                r.add(integer(name, s, min, max));
            }
        }
        if (r.isEmpty()) {
            throw new IllegalArgumentException("--" + name + " = '" + v + "': must list at least one integer between " + min + " and " + max);
        }
        return r;
    }

    private static List<String> oneOfList(String name, String v, List<String> allowed) {
        return oneOfList(name, v, allowed, true);
    }

    private static List<String> oneOfList(String name, String v, List<String> allowed, boolean lowerCase) {
        List<String> r = new ArrayList<>();
        for (String s : v.split(",")) {
            String t = lowerCase ? s.trim().toLowerCase(Locale.ROOT) : s.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (!allowed.contains(t)) {
                throw new IllegalArgumentException("--" + name + " = '" + v + "': '" + t + "' is not one of " + String.join(", ", allowed));
            }
            r.add(t);
        }
        if (r.isEmpty()) {
            throw new IllegalArgumentException("--" + name + " = '" + v + "': must name at least one of " + String.join(", ", allowed));
        }
        return r;
    }

    /** A copy to adjust for one suite's runs (durations, unit); lists are shared, not copied. */
    Options copy() {
        try {
            return (Options) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /** Every parameter, for the report and the JSON files. */
    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("suites", suites);
        m.put("workers", workers);
        m.put("modes", modes);
        m.put("hint_sources", hintSources);
        m.put("duration_s", durationS);
        m.put("warmup_s", warmupS);
        m.put("pool_threads", threads);
        m.put("unit_us", unitMicros);
        m.put("slice_ms", sliceMillis);
        m.put("probe_period_ms", probeMillis);
        m.put("max_batch", maxBatch);
        m.put("morpheus_executor", morpheusExecutor);
        m.put("contend_processes", contend);
        m.put("repeat", repeat);
        m.put("dispatcher_workers", dispatcherWorkers);
        m.put("scaling_workers", scalingWorkers);
        m.put("scaling_units", scalingUnits);
        m.put("pipeline_items", pipelineItems);
        m.put("pareto_duration_s", paretoDurationS);
        m.put("pareto_warmup_s", paretoWarmupS);
        m.put("pareto_scenarios", paretoScenarios == null ? "all" : paretoScenarios);
        m.put("pareto_points", paretoPoints == null ? "all" : paretoPoints);
        m.put("quick", quick);
        return m;
    }
}
