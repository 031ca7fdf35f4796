package dev.morpheus.samples.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.TextAnchor;

/**
 * The labels of a scatter chart's points, placed so they overlap neither each other nor the
 * markers where the plot leaves room. JFreeChart's item labels sit at one fixed offset, which on
 * the Pareto charts (several configs within a few pixels) piles them on top of each other; so
 * the chart is laid out once, each label is tried at a list of positions around its point in
 * screen space (right, left, above, below, then further out), the one with the least overlap
 * wins, and it is added to the plot as a text annotation in data coordinates (with a grey
 * leader line when it ended up away from its point).
 */
final class PointLabels {
    private static final int GAP = 4;

    private record Pending(Charts.Mark mark, Color colour, int radius) {}

    private final List<Pending> pending = new ArrayList<>();

    /** A label for {@code m}, in {@code colour}, kept clear of a marker of {@code radius} pixels. */
    void add(Charts.Mark m, Color colour, int radius) {
        pending.add(new Pending(m, colour, radius));
    }

    /** Places every label inside {@code area} (the plot's data area as last drawn) and adds it to {@code plot}. */
    void annotate(XYPlot plot, Rectangle2D area, Graphics2D g) {
        FontMetrics fm = g.getFontMetrics(Charts.POINT_LABEL);
        List<Rectangle> taken = new ArrayList<>();
        int[][] px = new int[pending.size()][];
        for (int i = 0; i < pending.size(); i++) {
            Pending p = pending.get(i);
            int x = (int) plot.getDomainAxis().valueToJava2D(p.mark().x(), area, plot.getDomainAxisEdge());
            int y = (int) plot.getRangeAxis().valueToJava2D(p.mark().y(), area, plot.getRangeAxisEdge());
            px[i] = new int[] {x, y};
            taken.add(new Rectangle(x - p.radius(), y - p.radius(), 2 * p.radius(), 2 * p.radius()));
        }
        Rectangle inside = area.getBounds();
        for (int i = 0; i < pending.size(); i++) {
            Pending p = pending.get(i);
            String text = p.mark().label();
            int x = px[i][0];
            int y = px[i][1];
            int w = fm.stringWidth(text);
            int h = fm.getAscent();
            Rectangle best = place(x, y, w, h, p.radius() + 2 + GAP, taken, inside);
            taken.add(best);
            double lx = plot.getDomainAxis().java2DToValue(best.x, area, plot.getDomainAxisEdge());
            double ly = plot.getRangeAxis().java2DToValue(best.y + h, area, plot.getRangeAxisEdge());
            XYTextAnnotation a = new XYTextAnnotation(text, lx, ly);
            a.setFont(Charts.POINT_LABEL);
            a.setPaint(p.colour());
            a.setTextAnchor(TextAnchor.BASELINE_LEFT);
            plot.addAnnotation(a, false);
            // A label pushed away from its point gets a leader line to the label's nearest edge.
            int ex = Math.max(best.x, Math.min(x, best.x + best.width));
            int ey = Math.max(best.y, Math.min(y, best.y + best.height));
            if (Math.hypot(ex - x, ey - y) > p.radius() + GAP + 10) {
                plot.addAnnotation(new XYLineAnnotation(p.mark().x(), p.mark().y(),
                        plot.getDomainAxis().java2DToValue(ex, area, plot.getDomainAxisEdge()),
                        plot.getRangeAxis().java2DToValue(ey, area, plot.getRangeAxisEdge()),
                        new BasicStroke(1f), new Color(0x999999)), false);
            }
        }
    }

    /** The candidate box for a w x h label around (x, y) with the least overlap with {@code taken}. */
    private static Rectangle place(int x, int y, int w, int h, int d, List<Rectangle> taken, Rectangle inside) {
        int[][] offsets = {{d, -4}, {d, h + 2}, {-d - w, -4}, {-d - w, h + 2}, {-w / 2, -d - 1}, {-w / 2, h + d + 1},
            {d, -h - 6}, {d, 2 * h + 6}, {-d - w, -h - 6}, {-d - w, 2 * h + 6}, {-w / 2, -h - d - 5}, {-w / 2, 2 * h + d + 5},
            {-w / 2, -2 * h - d - 9}, {-w / 2, 3 * h + d + 9}, {d, -2 * h - 10}, {d, 3 * h + 10}, {-d - w, -2 * h - 10},
            {-d - w, 3 * h + 10}};
        Rectangle best = null;
        long bestOverlap = Long.MAX_VALUE;
        for (int[] off : offsets) {
            Rectangle r = new Rectangle(x + off[0], y + off[1] - h, w, h + 2);
            long overlap = inside.contains(r) ? 0 : 1_000_000;
            // Labels keep a few pixels apart, so two side by side still read as two.
            Rectangle spaced = new Rectangle(r.x - GAP, r.y - 1, r.width + 2 * GAP, r.height + 2);
            for (Rectangle t : taken) {
                Rectangle i = spaced.intersection(t);
                if (!i.isEmpty()) {
                    overlap += (long) i.width * i.height;
                }
            }
            if (overlap < bestOverlap) {
                bestOverlap = overlap;
                best = r;
            }
            if (overlap == 0) {
                break;
            }
        }
        return best;
    }
}
