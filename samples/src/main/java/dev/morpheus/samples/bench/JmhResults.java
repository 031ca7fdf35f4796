package dev.morpheus.samples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the checkpoint-cost results of the last {@code make bench} ({@code jmh-latest.json} in
 * the report directory) so the report can show them next to the runner's numbers. A small
 * pattern-based reader of JMH's JSON (benchmark, primary score and error, gc.alloc.rate.norm).
 */
final class JmhResults {
    private JmhResults() {}

    record Row(String benchmark, double score, double error, String unit, double allocBytesPerOp) {}

    private static final Pattern BENCH = Pattern.compile("\"benchmark\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern PRIMARY = Pattern.compile(
            "\"primaryMetric\"\\s*:\\s*\\{\\s*\"score\"\\s*:\\s*([-0-9.eE]+|\"NaN\")\\s*,\\s*\"scoreError\"\\s*:\\s*([-0-9.eE]+|\"NaN\")");
    private static final Pattern UNIT = Pattern.compile("\"scoreUnit\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ALLOC = Pattern.compile(
            "\"gc\\.alloc\\.rate\\.norm\"\\s*:\\s*\\{\\s*\"score\"\\s*:\\s*([-0-9.eE]+|\"NaN\")", Pattern.DOTALL);

    static List<Row> read(Path file) {
        List<Row> rows = new ArrayList<>();
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            return rows;
        }
        Matcher b = BENCH.matcher(text);
        List<int[]> spans = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (b.find()) {
            spans.add(new int[] {b.start(), 0});
            names.add(b.group(1));
        }
        for (int i = 0; i < spans.size(); i++) {
            int end = i + 1 < spans.size() ? spans.get(i + 1)[0] : text.length();
            String part = text.substring(spans.get(i)[0], end);
            Matcher p = PRIMARY.matcher(part);
            if (!p.find()) {
                continue;
            }
            Matcher a = ALLOC.matcher(part);
            double alloc = a.find() ? num(a.group(1)) : Double.NaN;
            Matcher u = UNIT.matcher(part);
            String unit = u.find(p.end()) ? u.group(1) : "?";
            rows.add(new Row(names.get(i), num(p.group(1)), num(p.group(2)), unit, alloc));
        }
        return rows;
    }

    private static double num(String s) {
        return s.startsWith("\"") ? Double.NaN : Double.parseDouble(s);
    }
}
