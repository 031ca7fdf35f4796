package dev.morpheus.samples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Morpheus benchmark runner: the seeds' experiments (000 cooperative yielding, 002
 * dispatchers and scaling, 003 pipelines and the "three runtimes") as one command that writes
 * {@code throughput.json}, {@code dispatchers.json}, {@code scaling.json}, {@code pipelines.json},
 * and issue 12's Pareto suite ({@link ParetoSuite}) as {@code pareto.json}, with PNG charts and
 * {@code BENCHMARK_REPORT.md} under {@code --out}. See {@link Options#USAGE}.
 *
 * <p>Every suite runs its modes side by side in the same JVM on the same machine state, so the
 * report compares ratios within one run; absolute numbers depend on the machine and its load.
 */
public final class BenchmarkRunner {
    final Options o;
    final Map<String, Object> machine = Machine.describe();
    final List<RunResult> yieldRows = new ArrayList<>();
    final List<RunResult> dispatcherRows = new ArrayList<>();
    final List<Map<String, Object>> scalingRows = new ArrayList<>();
    final List<Map<String, Object>> pipelineRows = new ArrayList<>();
    Map<String, Object> runtimes;
    final List<ParetoResult> paretoResults = new ArrayList<>();
    final List<ParetoResult> kernelValueResults = new ArrayList<>();
    final List<String> charts = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    final String started = Instant.now().toString();
    double calibratedRoundsPerUs;

    private BenchmarkRunner(Options o) {
        this.o = o;
    }

    public static void main(String[] args) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (o.help) {
            System.out.print(Options.USAGE);
            return;
        }
        Logging.quiet();
        try {
            new BenchmarkRunner(o).runAll();
        } catch (Exception e) {
            System.err.println("error: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private List<Mode> yieldModes() {
        List<Mode> modes = new ArrayList<>();
        for (String m : o.modes) {
            if (m.startsWith("morpheus")) {
                for (String hs : o.hintSources) {
                    modes.add(new Mode(m, hs));
                }
            } else {
                modes.add(Mode.of(m));
            }
        }
        return modes;
    }

    private List<Mode> dispatcherModes() {
        List<Mode> modes = new ArrayList<>();
        for (String m : List.of("fork-join", "thread-pool", "affinity-pool", "pinned", "virtual-thread")) {
            if (m.equals("virtual-thread") && !Mode.virtualThreadsAvailable()) {
                notes.add("virtual-thread executor skipped: JDK " + Runtime.version().feature()
                        + " has no virtual threads (needs 21+; run the runner on JDK 21+ to include it)");
                continue;
            }
            modes.add(Mode.of(m));
        }
        for (String m : List.of("morpheus", "morpheus-direct")) {
            if (o.modes.contains(m)) {
                for (String hs : o.hintSources) {
                    modes.add(new Mode(m, hs));
                }
            }
        }
        return modes;
    }

    private void runAll() throws Exception {
        Files.createDirectories(o.out);
        System.err.printf("Morpheus benchmark runner: %s cpus, %s, pool threads %d, unit %d us, slice %d ms; morpheus mode: %s%n",
                machine.get("cpus"), machine.get("jdk"), o.threads, o.unitMicros, o.sliceMillis, MorpheusMode.realisation());
        MorpheusMode.initTelemetry();
        calibratedRoundsPerUs = WorkUnit.calibrate();
        List<Mode> ym = yieldModes();
        List<Mode> dm = dispatcherModes();
        List<Mode> sm = new ArrayList<>(List.of(Mode.of("fork-join")));
        sm.add(new Mode("morpheus", o.hintSources.get(0)));
        if (o.modes.contains("morpheus-direct")) {
            sm.add(new Mode("morpheus-direct", o.hintSources.get(o.hintSources.size() - 1)));
        }
        List<Mode> pm = new ArrayList<>(List.of(Mode.of("fork-join"), Mode.of("blocking"), Mode.of("naive")));
        pm.add(new Mode("morpheus", o.hintSources.get(0)));
        int total = 0;
        if (o.suites.contains("yield")) {
            total += ym.size() * o.workers.size() * o.repeat;
        }
        if (o.suites.contains("dispatchers")) {
            total += dm.size() * o.repeat;
        }
        if (o.suites.contains("scaling")) {
            total += sm.size() * o.scalingWorkers.size();
        }
        if (o.suites.contains("pipelines")) {
            total += pm.size() * 4;
        }
        if (o.suites.contains("runtimes")) {
            total += 1;
        }
        if (o.suites.contains("pareto")) {
            total += ParetoSuite.steps(o);
        }
        if (o.suites.contains("kernel-value")) {
            total += KernelValueSuite.steps(o);
        }
        Progress progress = new Progress(total);
        try (CpuHogs hogs = new CpuHogs(o.contend)) {
            if (hogs.count() > 0) {
                System.err.println("started " + hogs.count() + " competing CPU-hog processes (--contend)");
            }
            if (o.suites.contains("yield")) {
                for (int wi = 0; wi < o.workers.size(); wi++) {
                    yieldRows.addAll(interleaved(ym, o.workers.get(wi), wi, "yield", progress));
                }
                writeJson("throughput.json", Tables.rows(yieldRows));
            }
            if (o.suites.contains("dispatchers")) {
                dispatcherRows.addAll(interleaved(dm, o.dispatcherWorkers, 0, "dispatchers", progress));
                writeJson("dispatchers.json", Tables.rows(dispatcherRows));
            }
            if (o.suites.contains("scaling")) {
                for (Mode m : sm) {
                    Map<String, Object> base = null;
                    for (int w : o.scalingWorkers) {
                        progress.step("scaling " + m.label() + " workers=" + w);
                        Map<String, Object> row = ScalingWorkload.run(o, m, w);
                        if (base == null) {
                            base = row;
                        }
                        double speedup = (double) base.get("time_s") / (double) row.get("time_s")
                                * ((long) row.get("units") / (double) (long) base.get("units"));
                        row.put("speedup", speedup);
                        row.put("efficiency_per_worker", speedup / w);
                        row.put("efficiency_per_core", speedup / Math.min(w, o.threads));
                        scalingRows.add(row);
                    }
                }
                writeJson("scaling.json", scalingRows);
            }
            if (o.suites.contains("pipelines")) {
                for (int stages : List.of(3, 5)) {
                    for (int pipes : List.of(1, 10)) {
                        for (Mode m : pm) {
                            progress.step("pipelines " + stages + "-stage x" + pipes + " " + m.label());
                            pipelineRows.add(PipelineWorkload.run(o, m, stages, pipes));
                        }
                    }
                }
            }
            if (o.suites.contains("runtimes")) {
                progress.step("checkpoint runtimes: none / mmapped SCB / JNA");
                runtimes = CheckpointRuntimes.run(1.0, o.quick ? 100_000 : 200_000, o.quick ? 11 : 31);
            }
            if (o.suites.contains("pipelines") || o.suites.contains("runtimes")) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("parameters", o.asMap());
                p.put("identical_output", Tables.identicalOutputs(pipelineRows));
                p.put("rows", pipelineRows);
                p.put("checkpoint_runtimes", runtimes);
                writeJson("pipelines.json", p);
            }
        }
        if (o.suites.contains("pareto")) {
            // Outside --contend's hogs: S1 and S3 run on a quiet machine, S2 brings its own hogs.
            if (o.contend > 0) {
                notes.add("--contend does not apply to the Pareto suite (its S2 scenarios start "
                        + ParetoScenario.HOGS + " CPU-hog processes of their own)");
            }
            paretoResults.addAll(ParetoSuite.run(o, progress, notes));
            writeJson("pareto.json", ParetoSuite.document(paretoResults, machine, o.asMap()));
        }
        if (o.suites.contains("kernel-value")) {
            kernelValueResults.addAll(KernelValueSuite.run(o, progress, notes));
            writeJson("kernel-value.json", KernelValueSuite.document(kernelValueResults, machine, o.asMap()));
        }
        progress.finish();
        machine.put("loadavg_at_end", Machine.read("/proc/loadavg").trim());
        Charts.class.getName();
        ReportCharts.render(this);
        Report.write(this);
        Tables.printSummary(this);
        if (!paretoResults.isEmpty()) {
            System.err.println();
            System.err.println("Pareto verdicts (morpheus-default against the stock Pekko settings, per scenario)");
            for (ParetoResult r : paretoResults) {
                for (ParetoVerdicts.Verdict v : ParetoVerdicts.evaluate(r)) {
                    System.err.println("  " + v.line());
                }
                String load = ParetoReport.loadNote(r, (int) machine.get("cpus"));
                if (load != null) {
                    System.err.println("  note: " + load);
                }
            }
        }
        if (!kernelValueResults.isEmpty()) {
            ParetoReport.printSummary("Kernel-value suite", kernelValueResults);
            System.err.println();
            System.err.println("Kernel-value verdicts (morpheus-kernel against the in-process sources and the stock Pekko settings)");
            for (ParetoResult r : kernelValueResults) {
                for (ParetoVerdicts.Verdict v : KernelValueSuite.evaluate(r)) {
                    System.err.println("  " + v.line());
                }
            }
        }
        System.err.println("report: " + o.out.resolve("BENCHMARK_REPORT.md").toAbsolutePath());
    }

    /**
     * Runs every mode at {@code workers}, {@code repeat} rounds with the modes in rotating order
     * (so slow phases of a noisy machine hit all modes; {@code offset} also rotates the first
     * round, so no mode always runs first), and keeps each mode's median-throughput run. Each run
     * starts after a full GC, so garbage of the previous run is not collected during it.
     */
    private List<RunResult> interleaved(List<Mode> modes, int workers, int offset, String suite, Progress progress)
            throws InterruptedException {
        List<List<RunResult>> runs = new ArrayList<>();
        modes.forEach(m -> runs.add(new ArrayList<>()));
        for (int round = 0; round < o.repeat; round++) {
            for (int k = 0; k < modes.size(); k++) {
                int i = (k + round + offset) % modes.size();
                Mode m = modes.get(i);
                System.gc();
                Thread.sleep(50);
                progress.step(suite + " " + m.label() + " workers=" + workers + (o.repeat > 1 ? " #" + (round + 1) : ""));
                runs.get(i).add(YieldingWorkload.run(o, m, workers));
            }
        }
        List<RunResult> chosen = new ArrayList<>();
        for (List<RunResult> r : runs) {
            r.sort(java.util.Comparator.comparingDouble(RunResult::throughputPerS));
            chosen.add(r.get(r.size() / 2));
        }
        return chosen;
    }

    void writeJson(String name, Object value) throws IOException {
        Object doc = value;
        if (value instanceof List<?> rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("machine", machine);
            m.put("parameters", o.asMap());
            m.put("morpheus_realisation", MorpheusMode.realisation());
            m.put("rows", rows);
            doc = m;
        }
        Files.writeString(o.out.resolve(name), Json.write(doc));
    }

    Path out() {
        return o.out;
    }
}
