package dev.morpheus.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        Path none = dir.resolve("none.png");
        Charts.bars(none, "t", "x", "y", List.of("a"), Map.of("s", new double[] {Double.NaN}), true, null);
        assertEquals(1100, ImageIO.read(none.toFile()).getWidth());
    }

    @Test
    void rendersAScatterWithALineLabelsAndNotes() throws Exception {
        Map<String, List<Charts.Mark>> s = new LinkedHashMap<>();
        s.put("stock", List.of(new Charts.Mark(100, 0.05, "a"), new Charts.Mark(120, 3, "b"), new Charts.Mark(Double.NaN, 1, "gone")));
        s.put("other", List.of(new Charts.Mark(110, 0.5, "c"), new Charts.Mark(110, 0.5, "same place")));
        Path f = dir.resolve("scatter.png");
        Charts.scatter(f, "t", "x", "y", s, "frontier", List.of(s.get("stock").get(0), s.get("stock").get(1)), true,
                List.of("a note long enough to need wrapping in the legend panel"));
        BufferedImage img = ImageIO.read(f.toFile());
        assertEquals(1100, img.getWidth());
        // The second series' markers (and its labels' darker shade) are drawn in its palette colour.
        assertTrue(count(img, Charts.PALETTE[1].getRGB()) > 50, "no marker of the second series");
        Path empty = dir.resolve("empty.png");
        Charts.scatter(empty, "t", "x", "y", Map.of(), "frontier", List.of(), true, List.of());
        assertEquals(620, ImageIO.read(empty.toFile()).getHeight());
    }

    private static int count(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                n += (img.getRGB(x, y) | 0xff000000) == (rgb | 0xff000000) ? 1 : 0;
            }
        }
        return n;
    }
}
