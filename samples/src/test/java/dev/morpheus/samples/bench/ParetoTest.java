package dev.morpheus.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Pareto suite's logic on made-up numbers: dominance, frontier, verdicts, pareto.json's shape, the chart. */
class ParetoTest {
    @TempDir
    Path dir;

    private static final ParetoScenario S1_2 = new ParetoScenario("S1-2us", "S1", 2, 0);
    private static final ParetoScenario S3 = new ParetoScenario("S3-10us", "S3", 10, 0);

    private static ParetoMeasurement stock(String config, double tput, double p99) {
        return new ParetoMeasurement(new ParetoPoint(config, ParetoPoint.STOCK, "-", "type = Dispatcher\n"), "-", tput, p99 / 2,
                p99, p99 * 1.5, p99 * 2, 100, Map.of());
    }

    private static ParetoMeasurement morpheus(String config, double tput, double p99) {
        return new ParetoMeasurement(new ParetoPoint(config, ParetoPoint.MORPHEUS, "auto", "type = x\n"), "procfs", tput, p99 / 2,
                p99, p99 * 1.5, p99 * 2, 100, Map.of("yields", Map.of("HINT", 3L)));
    }

    private static Map<String, String> statuses(ParetoResult r) {
        return ParetoVerdicts.evaluate(r).stream().collect(Collectors.toMap(ParetoVerdicts.Verdict::id, ParetoVerdicts.Verdict::status));
    }

    @Test
    void dominanceNeedsBothAxesAtLeastAsGoodAndOneStrictlyBetter() {
        ParetoMeasurement a = stock("a", 100, 5);
        assertTrue(Pareto.dominates(stock("b", 100, 4), a), "equal throughput, lower p99");
        assertTrue(Pareto.dominates(stock("b", 101, 5), a), "higher throughput, equal p99");
        assertTrue(Pareto.dominates(stock("b", 200, 1), a));
        assertFalse(Pareto.dominates(stock("b", 100, 5), a), "equal on both: neither dominates");
        assertFalse(Pareto.dominates(stock("b", 200, 6), a), "better on one axis, worse on the other");
        assertFalse(Pareto.dominates(a, stock("b", 99, 4)));
        assertFalse(Pareto.dominates(stock("b", 200, Double.NaN), a), "an unplaced point dominates nothing");
        assertFalse(Pareto.dominates(stock("b", 200, 1), stock("c", 1, Double.NaN)), "nor is it dominated");
    }

    @Test
    void frontierKeepsTheNonDominatedPointsByThroughput() {
        ParetoMeasurement naive = stock("tp-t1", 70, 0.05);
        ParetoMeasurement t5 = stock("tp-t5", 90, 2);
        ParetoMeasurement worse = stock("fj-t5", 85, 3);       // dominated by tp-t5
        ParetoMeasurement blocking = stock("tp-t1M", 100, 1000);
        ParetoMeasurement dl = stock("tp-t1M-dl5ms", 100, 20);  // dominates blocking (same throughput, lower p99)
        ParetoMeasurement twin = stock("twin", 90, 2);          // ties tp-t5: both stay
        ParetoMeasurement unplaced = stock("none", 500, Double.NaN);
        List<ParetoMeasurement> f = Pareto.frontier(List.of(blocking, worse, t5, naive, dl, twin, unplaced));
        assertEquals(List.of("tp-t1", "tp-t5", "twin", "tp-t1M-dl5ms"), f.stream().map(ParetoMeasurement::config).toList());
        assertEquals(List.of(dl), Pareto.dominators(blocking, List.of(blocking, dl, naive)));
    }

    @Test
    void verdictsAllMetWhenMorpheusIsAheadOnBothAxes() {
        ParetoResult r = new ParetoResult(S1_2, List.of(stock("tp-t1", 70, 0.05), stock("fj-t1", 60, 900), stock("tp-t5", 95, 2),
                morpheus("morpheus-default", 94, 0.9), morpheus("morpheus-queue", 50, 50)));
        // (a) 94 >= 0.97 x 95; (b) 0.9 <= max(1, 1.1 x 0.05); (c) nothing has both; (d) 94 >= 1.25 x 70 (the better t1).
        assertEquals(Map.of("a", "MET", "b", "MET", "c", "MET", "d", "MET"), statuses(r));
    }

    @Test
    void verdictsMissedWithTheNumbersBehindThem() {
        ParetoResult r = new ParetoResult(S1_2, List.of(stock("tp-t1", 80, 0.05), stock("tp-t5", 100, 2), stock("tp-t1M", 110, 900),
                morpheus("morpheus-default", 96, 10.5)));
        List<ParetoVerdicts.Verdict> v = ParetoVerdicts.evaluate(r);
        assertEquals(Map.of("a", "MISSED", "b", "MISSED", "c", "MISSED", "d", "MISSED"), statuses(r));
        assertTrue(v.get(0).measured().contains("tp-t1M") && v.get(0).measured().contains("0.873x"), v.get(0).measured());
        assertTrue(v.get(1).measured().contains("bound 1.00 ms"), v.get(1).measured());
        assertTrue(v.get(2).measured().contains("dominated by tp-t5"), v.get(2).measured());
        assertTrue(v.get(3).measured().contains("tp-t1") && v.get(3).measured().contains("1.200x"), v.get(3).measured());
        assertTrue(v.get(0).line().startsWith("S1-2us (a) [MISSED] "), v.get(0).line());
    }

    @Test
    void latencyBoundIsTenPercentOverTheLowestStockP99AboveOneMillisecond() {
        List<ParetoMeasurement> stock = List.of(stock("tp-t1", 50, 4), stock("tp-t5", 100, 9));
        List<ParetoMeasurement> in = new ArrayList<>(stock);
        in.add(morpheus("morpheus-default", 100, 4.4));
        assertEquals("MET", statuses(new ParetoResult(S3, in)).get("b"));
        List<ParetoMeasurement> out = new ArrayList<>(stock);
        out.add(morpheus("morpheus-default", 100, 4.41));
        assertEquals("MISSED", statuses(new ParetoResult(S3, out)).get("b"));
        assertFalse(statuses(new ParetoResult(S3, out)).containsKey("d"), "(d) is S1-2us's only");
        // Equal to the best stock point on throughput, lower p99: (c) met.
        assertEquals("MET", statuses(new ParetoResult(S3, in)).get("c"));
    }

    @Test
    void verdictsNotApplicableWithoutTheDefaultPoint() {
        ParetoResult r = new ParetoResult(S1_2, List.of(stock("tp-t5", 100, 2), morpheus("morpheus-queue", 96, 1)));
        assertEquals(Map.of("a", "N/A", "b", "N/A", "c", "N/A", "d", "N/A"), statuses(r));
    }

    @Test
    void catalogueHasEveryStockSettingAndTheMorpheusPoints() {
        List<ParetoPoint> pts = ParetoPoint.catalogue(2, false);
        List<String> names = pts.stream().map(ParetoPoint::config).toList();
        assertEquals(List.of("fj-t1", "tp-t1", "fj-t5", "tp-t5", "fj-t100", "tp-t100", "fj-t1M", "tp-t1M", "tp-t1M-dl1ms",
                "tp-t1M-dl5ms", "affinity-t5", "morpheus-default", "morpheus-queue", "morpheus-procfs"), names);
        assertTrue(ParetoPoint.catalogue(2, true).stream().anyMatch(p -> p.config().equals("morpheus-kernel")));
        ParetoPoint md = pts.get(names.indexOf("morpheus-default"));
        // No executor key and no morpheus key but jmx: the suite measures the Morpheus defaults.
        assertFalse(md.dispatcherSection().contains("executor"), md.dispatcherSection());
        assertEquals("type = \"dev.morpheus.pekko.MorpheusDispatcherConfigurator\"\nmorpheus {\n  jmx = off\n}\n",
                md.dispatcherSection());
        assertTrue(pts.get(names.indexOf("tp-t1M-dl1ms")).dispatcherSection().contains("throughput-deadline-time = 1ms"));
        assertTrue(pts.get(names.indexOf("fj-t1M")).dispatcherSection().contains("throughput = 1000000"));
        assertTrue(pts.get(names.indexOf("tp-t100")).dispatcherSection().contains("fixed-pool-size = 2"));
        assertTrue(pts.stream().filter(ParetoPoint::throughputOne).map(ParetoPoint::config).toList().equals(List.of("fj-t1", "tp-t1")));
        // Every section parses as HOCON.
        for (ParetoPoint p : ParetoPoint.catalogue(2, true)) {
            PekkoSystems.config(p.dispatcherSection()).getConfig(PekkoSystems.DISPATCHER).getString("type");
        }
    }

    @Test
    void scenariosQuickAndFullAndTheOption() {
        assertEquals(List.of("S1-2us", "S1-10us", "S2-10us", "S3-10us"),
                ParetoScenario.catalogue(true).stream().map(ParetoScenario::name).toList());
        assertEquals(List.of("S1-2us", "S1-10us", "S1-75us", "S2-2us", "S2-10us", "S2-75us", "S3-10us"),
                ParetoScenario.catalogue(false).stream().map(ParetoScenario::name).toList());
        Options o = Options.parse(new String[] {"--quick", "--pareto-scenarios", "s3-10us,S1-75us"});
        assertEquals(List.of("S1-75us", "S3-10us"), ParetoSuite.scenarios(o).stream().map(ParetoScenario::name).toList());
        assertEquals(1.0, o.paretoDurationS);
        assertEquals(0.3, o.paretoWarmupS);
        Options some = Options.parse(new String[] {"--pareto-points", "tp-t5,morpheus-default"});
        assertEquals(List.of("tp-t5", "morpheus-default"), ParetoSuite.points(some).stream().map(ParetoPoint::config).toList());
        Options full = Options.parse(new String[] {"--duration", "4"});
        assertEquals(4.0, full.paretoDurationS);
        assertEquals(List.of(2, 10, 75), ParetoSuite.scenarios(full).stream().filter(s -> s.hogs() > 0)
                .map(ParetoScenario::unitMicros).toList());
    }

    @Test
    void paretoJsonHasTheRequiredShape() throws Exception {
        ParetoResult r = new ParetoResult(S1_2, List.of(stock("tp-t1", 70, 0.05), stock("tp-t5", 95, 2),
                morpheus("morpheus-default", 94, 0.9)));
        String text = Json.write(ParetoSuite.document(List.of(r, new ParetoResult(S3, List.of(stock("tp-t5", 1, 1)))),
                Map.of("cpus", 2), Map.of("quick", true)));
        JsonNode doc = new ObjectMapper().readTree(text);
        assertEquals("scenarios", doc.fieldNames().next(), "scenarios first");
        JsonNode scenarios = doc.get("scenarios");
        assertEquals(2, scenarios.size());
        JsonNode s = scenarios.get(0);
        assertEquals("S1-2us", s.get("name").asText());
        assertEquals("S3-10us", scenarios.get(1).get("name").asText());
        JsonNode points = s.get("points");
        assertEquals(3, points.size());
        for (JsonNode p : points) {
            Iterator<String> keys = p.fieldNames();
            for (String k : List.of("config", "kind", "hint_source", "throughput_per_s", "p99_ms", "p999_ms")) {
                assertEquals(k, keys.next(), "required fields first, in order");
            }
            assertTrue(p.get("config").isTextual() && p.get("hint_source").isTextual());
            assertTrue(p.get("kind").asText().equals("stock") || p.get("kind").asText().equals("morpheus"));
            assertTrue(p.get("throughput_per_s").isNumber() && p.get("p99_ms").isNumber() && p.get("p999_ms").isNumber());
        }
        JsonNode md = points.get(2);
        assertEquals("morpheus-default", md.get("config").asText());
        assertEquals("morpheus", md.get("kind").asText());
        assertEquals("procfs", md.get("hint_source").asText());
        assertEquals(94.0, md.get("throughput_per_s").asDouble());
        assertEquals(0.9, md.get("p99_ms").asDouble());
        assertEquals(1.35, md.get("p999_ms").asDouble(), 1e-9);
        assertEquals("-", points.get(0).get("hint_source").asText());
        assertTrue(points.get(0).get("on_stock_frontier").asBoolean());
        assertEquals(4, s.get("verdicts").size());
        assertEquals("MET", s.get("verdicts").get(0).get("status").asText());
    }

    @Test
    void loadNoteOnlyWhenOtherProcessesHeldTheCpus() {
        ParetoMeasurement busy = new ParetoMeasurement(new ParetoPoint("tp-t5", ParetoPoint.STOCK, "-", ""), "-", 1, 1, 1, 1, 1, 1,
                Map.of("load_avg_1m", 4.5));
        assertEquals(null, ParetoReport.loadNote(new ParetoResult(S1_2, List.of(stock("tp-t1", 1, 1))), 2));
        assertTrue(ParetoReport.loadNote(new ParetoResult(S1_2, List.of(busy)), 2).contains("up to 4.5 on 2 CPUs"));
        ParetoScenario s2 = new ParetoScenario("S2-10us", "S2", 10, 2);
        ParetoMeasurement ownLoad = new ParetoMeasurement(new ParetoPoint("tp-t5", ParetoPoint.STOCK, "-", ""), "-", 1, 1, 1, 1, 1,
                1, Map.of("load_avg_1m", 3.0));
        assertEquals(null, ParetoReport.loadNote(new ParetoResult(S1_2, List.of(ownLoad)), 2), "the pool plus one thread");
        ParetoMeasurement withHogs = new ParetoMeasurement(new ParetoPoint("tp-t5", ParetoPoint.STOCK, "-", ""), "-", 1, 1, 1, 1, 1,
                1, Map.of("load_avg_1m", 5.0));
        assertEquals(null, ParetoReport.loadNote(new ParetoResult(s2, List.of(withHogs)), 2), "S2's own hogs are expected load");
    }

    @Test
    void chartIsAReadablePng() throws Exception {
        ParetoResult r = new ParetoResult(S1_2, List.of(stock("tp-t1", 70_000, 0.05), stock("tp-t5", 95_000, 2),
                stock("tp-t1M", 100_000, 1000), stock("fj-t1", 99_000, Double.NaN), morpheus("morpheus-default", 94_000, 0.9),
                morpheus("morpheus-queue", 96_000, 5)));
        ParetoCharts.render(dir, r, 2);
        Path png = dir.resolve("pareto_S1-2us.png");
        assertTrue(Files.size(png) > 10_000);
        assertEquals(1100, ImageIO.read(png.toFile()).getWidth());
    }
}
