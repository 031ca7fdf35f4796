package dev.morpheus.benchmarks.dispatcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Summarizes the message-heavy JMH benchmarks ({@code MessageHeavy*Benchmark}) the way the
 * goal is stated: per benchmark (JDK, method and every @Param but {@code dispatcher}), each
 * dispatcher's score as the median over forks (a fork's score is the mean of its measurement
 * iterations), as a ratio to {@code pekko-default}'s, with the A/A ratio
 * ({@code pekko-default-aa / pekko-default}: two identical dispatchers, so its distance from
 * 1.0 is how far this run's noise reaches) printed beside it, and a verdict line for the goal
 * "morpheus-default >= 0.98x pekko-default".
 *
 * <p>Forks are not paired (JMH runs one parameter point's forks after another), so the median
 * over forks is what damps a fork that landed on a busy moment; the per-fork range is printed
 * too. Only groups that have a {@code pekko-default} row are summarized; one without a
 * {@code morpheus-default} score (a failed or deselected point) counts as not met.
 *
 * <pre>
 * # run the suite (JMH options as for benchmarks.jar; default selection: MessageHeavy), then summarize
 * java -cp benchmarks/target/benchmarks.jar dev.morpheus.benchmarks.dispatcher.MessageHeavySummary -f 5 [-jvm /path/to/java]
 * # summarize JMH JSON results already written (-rf json), e.g. by scripts/bench.sh
 * java -cp benchmarks/target/benchmarks.jar dev.morpheus.benchmarks.dispatcher.MessageHeavySummary --json run-17.json run-25.json
 * </pre>
 */
public final class MessageHeavySummary {
    static final String BASELINE = MessageHeavyDispatchers.PEKKO_DEFAULT;
    static final String AA = MessageHeavyDispatchers.PEKKO_DEFAULT_AA;
    static final String CANDIDATE = MessageHeavyDispatchers.MORPHEUS_DEFAULT;
    static final double GOAL = 0.98;

    private MessageHeavySummary() {}

    public static void main(String[] args) throws Exception {
        List<Path> files = new ArrayList<>();
        if (args.length > 0 && args[0].equals("--json")) {
            for (int a = 1; a < args.length; a++) {
                files.add(Path.of(args[a]));
            }
            if (files.isEmpty()) {
                System.err.println("usage: MessageHeavySummary --json RESULT.json...  |  MessageHeavySummary [JMH options]");
                System.exit(2);
            }
        } else {
            files.add(run(args));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Path f : files) {
            rows.addAll(read(f));
        }
        System.out.print(summarize(rows));
    }

    /** Runs JMH with {@code args} (the MessageHeavy benchmarks unless they select others); returns the JSON result file. */
    private static Path run(String[] args) throws Exception {
        CommandLineOptions cmd = new CommandLineOptions(args);
        if (cmd.shouldHelp()) {
            System.out.println("MessageHeavySummary [JMH options]: runs JMH (default selection: MessageHeavy), then summarizes;"
                    + " MessageHeavySummary --json FILE...: summarizes JMH JSON results.");
            cmd.showHelp();
            System.exit(0);
        }
        ChainedOptionsBuilder b = new OptionsBuilder().parent(cmd);
        if (cmd.getIncludes().isEmpty()) {
            b.include("MessageHeavy");
        }
        Path out;
        if (cmd.getResult().hasValue()) {
            out = Path.of(cmd.getResult().get());
        } else {
            String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
            out = Path.of("target", "morpheus-report", "jmh-message-heavy-" + stamp + ".json");
        }
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        b.result(out.toString()).resultFormat(ResultFormatType.JSON);
        new Runner(b.build()).run();
        System.out.println();
        System.out.println("JMH results: " + out);
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> read(Path file) throws IOException {
        Object v = JmhJson.parse(Files.readString(file, StandardCharsets.UTF_8));
        if (!(v instanceof List<?> l)) {
            throw new IllegalArgumentException(file + ": not a JMH JSON result (an array of runs)");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Object o : l) {
            rows.add((Map<String, Object>) o);
        }
        return rows;
    }

    /** The summary text of JMH JSON rows (see the class comment). */
    @SuppressWarnings("unchecked")
    static String summarize(List<Map<String, Object>> rows) {
        // group -> dispatcher -> per-fork scores; groups and dispatchers in the order JMH ran them
        Map<String, Map<String, double[]>> groups = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        for (Map<String, Object> r : rows) {
            Map<String, Object> params = (Map<String, Object>) r.getOrDefault("params", Map.of());
            Object dispatcher = params.get("dispatcher");
            if (dispatcher == null) {
                continue;
            }
            StringBuilder key = new StringBuilder();
            key.append("JDK ").append(r.getOrDefault("jdkVersion", "?")).append("  ").append(shortName(String.valueOf(r.get("benchmark"))));
            for (Map.Entry<String, Object> p : new TreeMap<>(params).entrySet()) {
                if (!p.getKey().equals("dispatcher")) {
                    key.append(' ').append(p.getKey()).append('=').append(p.getValue());
                }
            }
            Map<String, Object> metric = (Map<String, Object>) r.get("primaryMetric");
            List<Object> raw = (List<Object>) metric.get("rawData");
            double[] forks = new double[raw.size()];
            for (int f = 0; f < forks.length; f++) {
                List<Object> its = (List<Object>) raw.get(f);
                double sum = 0;
                for (Object it : its) {
                    sum += JmhJson.number(it);
                }
                forks[f] = sum / its.size();
            }
            String k = key.toString();
            groups.computeIfAbsent(k, x -> new LinkedHashMap<>()).merge(String.valueOf(dispatcher), forks, MessageHeavySummary::concat);
            units.put(k, String.valueOf(metric.get("scoreUnit")));
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format("Message-heavy summary: median over forks of each dispatcher's score, as a ratio to %s;%n"
                + "A/A = %s / %s (identical dispatchers: how far this run's noise reaches). Goal: %s >= %.2fx %s.%n",
                BASELINE, AA, BASELINE, CANDIDATE, GOAL, BASELINE));
        int met = 0;
        int judged = 0;
        for (Map.Entry<String, Map<String, double[]>> g : groups.entrySet()) {
            Map<String, double[]> byDispatcher = g.getValue();
            double[] base = byDispatcher.get(BASELINE);
            if (base == null) {
                continue;
            }
            double baseMedian = median(base);
            double aa = byDispatcher.containsKey(AA) ? median(byDispatcher.get(AA)) / baseMedian : Double.NaN;
            out.append(String.format("%n%s  (%s; %s: %d fork%s)%n", g.getKey(), units.get(g.getKey()), BASELINE, base.length,
                    base.length == 1 ? "" : "s"));
            for (Map.Entry<String, double[]> d : byDispatcher.entrySet()) {
                double[] forks = d.getValue();
                double m = median(forks);
                double[] sorted = forks.clone();
                Arrays.sort(sorted);
                String beside = d.getKey().equals(BASELINE) || d.getKey().equals(AA) ? "" : "   (A/A " + times(aa) + ")";
                out.append(String.format("  %-18s %14.0f  %6.3fx   forks %.3f..%.3fx (%d)%s%n", d.getKey(), m, m / baseMedian,
                        sorted[0] / baseMedian, sorted[sorted.length - 1] / baseMedian, forks.length, beside));
            }
            double[] cand = byDispatcher.get(CANDIDATE);
            judged++;
            if (cand == null) {
                out.append(String.format("  goal %s >= %.2fx %s: NO RESULT (no %s score: it failed or was not run)%n",
                        CANDIDATE, GOAL, BASELINE, CANDIDATE));
            } else {
                double ratio = median(cand) / baseMedian;
                boolean ok = ratio >= GOAL;
                met += ok ? 1 : 0;
                String noise = !Double.isNaN(aa) && Math.abs(ratio - GOAL) <= Math.abs(1 - aa)
                        ? "; inside the A/A spread, so noise cannot decide it" : "";
                out.append(String.format("  goal %s >= %.2fx %s: %s (%.3fx, A/A %s%s)%n", CANDIDATE, GOAL, BASELINE,
                        ok ? "MET" : "MISSED", ratio, times(aa), noise));
            }
        }
        if (judged == 0) {
            out.append(String.format("%nno results with a %s row to compare with%n", BASELINE));
        } else {
            out.append(String.format("%n%s >= %.2fx %s: MET on %d of %d benchmarks%n", CANDIDATE, GOAL, BASELINE, met, judged));
        }
        return out.toString();
    }

    /** A ratio as {@code 0.987x}, or {@code n/a} (no A/A row in the results). */
    private static String times(double ratio) {
        return Double.isNaN(ratio) ? "n/a" : String.format("%.3fx", ratio);
    }

    /** {@code MessageHeavyPingPongBenchmark.pingPong} from the fully qualified benchmark name. */
    private static String shortName(String benchmark) {
        int method = benchmark.lastIndexOf('.');
        int cls = method > 0 ? benchmark.lastIndexOf('.', method - 1) : -1;
        return benchmark.substring(cls + 1);
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
