package dev.morpheus.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
    @TempDir
    Path dir;

    @Test
    void rendersBarAndLineChartsAsPngs() throws Exception {
        Map<String, double[]> s = new LinkedHashMap<>();
        s.put("blocking", new double[] {10, 2000});
        s.put("morpheus(queue)", new double[] {5, Double.NaN});
        Path bars = dir.resolve("bars.png");
        Charts.bars(bars, "t", "x", "y", List.of("1 worker", "8 workers"), s, true, new Charts.RefLine(10, "goal"));
        BufferedImage img = ImageIO.read(bars.toFile());
        assertEquals(1100, img.getWidth());
        Path lines = dir.resolve("lines.png");
        Charts.lines(lines, "t", "x", "y", new double[] {1, 2, 4}, Map.of("a", new double[] {1, 1.9, 2}), true, null);
        assertEquals(620, ImageIO.read(lines.toFile()).getHeight());
    }

    @Test
    void rendersAScatterWithALineLabelsAndNotes() throws Exception {
        Map<String, List<Charts.Mark>> s = new LinkedHashMap<>();
        s.put("stock", List.of(new Charts.Mark(100, 0.05, "a"), new Charts.Mark(120, 3, "b"), new Charts.Mark(Double.NaN, 1, "gone")));
        s.put("other", List.of(new Charts.Mark(110, 0.5, "c"), new Charts.Mark(110, 0.5, "same place")));
        Path f = dir.resolve("scatter.png");
        Charts.scatter(f, "t", "x", "y", s, "frontier", List.of(s.get("stock").get(0), s.get("stock").get(1)), true,
                List.of("a note long enough to need wrapping in the legend panel"));
        assertEquals(1100, ImageIO.read(f.toFile()).getWidth());
        Path empty = dir.resolve("empty.png");
        Charts.scatter(empty, "t", "x", "y", Map.of(), "frontier", List.of(), true, List.of());
        assertEquals(620, ImageIO.read(empty.toFile()).getHeight());
    }
}
