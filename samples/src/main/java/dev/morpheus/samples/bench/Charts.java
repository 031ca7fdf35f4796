package dev.morpheus.samples.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * PNG charts drawn with plain Java2D (headless, no dependency): grouped bar charts (optionally
 * with a log-scale y axis and a dashed reference line), line charts, and scatter charts of
 * labelled points with one connecting line (the Pareto suite's frontier). Every chart has a
 * title, axis labels with units, grid lines and a legend.
 */
final class Charts {
    private static final int W = 1100;
    private static final int H = 620;
    private static final int LEFT = 100;
    private static final int RIGHT = 220;
    private static final int TOP = 70;
    private static final int BOTTOM = 80;
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /** A reference line across the plot, e.g. a goal. */
    record RefLine(double y, String label) {}

    static void bars(Path file, String title, String xLabel, String yLabel, List<String> categories,
                     Map<String, double[]> series, boolean logY, RefLine ref) throws IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = begin(img, title);
        double max = 0;
        double min = Double.MAX_VALUE;
        for (double[] v : series.values()) {
            for (double x : v) {
                if (!Double.isNaN(x) && x > 0) {
                    max = Math.max(max, x);
                    min = Math.min(min, x);
                }
            }
        }
        if (ref != null) {
            max = Math.max(max, ref.y());
            min = Math.min(min, ref.y());
        }
        Axis y = logY ? Axis.log(min, max) : Axis.linear(0, max);
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;
        yAxis(g, y, yLabel, pw, ph);
        int groups = categories.size();
        int n = series.size();
        double groupW = (double) pw / groups;
        double barW = groupW * 0.8 / Math.max(1, n);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int si = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            g.setColor(PALETTE[si % PALETTE.length]);
            double[] v = e.getValue();
            for (int c = 0; c < groups && c < v.length; c++) {
                if (Double.isNaN(v[c]) || (logY && v[c] <= 0)) {
                    continue;
                }
                int x = (int) (LEFT + c * groupW + groupW * 0.1 + si * barW);
                int top = (int) (TOP + ph - y.frac(v[c]) * ph);
                g.fillRect(x, top, Math.max(1, (int) barW - 2), TOP + ph - top);
            }
            si++;
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        FontMetrics fm = g.getFontMetrics();
        for (int c = 0; c < groups; c++) {
            String s = categories.get(c);
            int cx = (int) (LEFT + c * groupW + groupW / 2);
            int paren = s.indexOf('(');
            if (fm.stringWidth(s) > groupW - 6 && paren > 0) {
                // Two lines: "mode" over "(source)".
                String a = s.substring(0, paren);
                String b2 = s.substring(paren);
                g.drawString(a, cx - fm.stringWidth(a) / 2, TOP + ph + 18);
                g.drawString(b2, cx - fm.stringWidth(b2) / 2, TOP + ph + 34);
            } else {
                g.drawString(s, cx - fm.stringWidth(s) / 2, TOP + ph + 20);
            }
        }
        xLabel(g, xLabel, pw, ph);
        if (ref != null) {
            refLine(g, y, ref, pw, ph);
        }
        legend(g, series.keySet().toArray(new String[0]), false);
        end(g, img, file);
    }

    static void lines(Path file, String title, String xLabel, String yLabel, double[] xs,
                      Map<String, double[]> series, boolean logX, RefLine ref) throws IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = begin(img, title);
        double max = 0;
        for (double[] v : series.values()) {
            for (double x : v) {
                if (!Double.isNaN(x)) {
                    max = Math.max(max, x);
                }
            }
        }
        if (ref != null) {
            max = Math.max(max, ref.y());
        }
        Axis y = Axis.linear(0, max);
        Axis x = logX ? new Axis(xs[0], xs[xs.length - 1], true) : Axis.linear(Math.min(0, xs[0]), xs[xs.length - 1]);
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;
        yAxis(g, y, yLabel, pw, ph);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        FontMetrics fm = g.getFontMetrics();
        for (double xv : xs) {
            int px = (int) (LEFT + x.frac(xv) * pw);
            g.setColor(new Color(0xdddddd));
            g.drawLine(px, TOP, px, TOP + ph);
            g.setColor(Color.BLACK);
            String s = Axis.fmt(xv);
            g.drawString(s, px - fm.stringWidth(s) / 2, TOP + ph + 20);
        }
        xLabel(g, xLabel, pw, ph);
        if (ref != null) {
            refLine(g, y, ref, pw, ph);
        }
        int si = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            Color c = PALETTE[si % PALETTE.length];
            g.setColor(c);
            g.setStroke(new BasicStroke(3f));
            double[] v = e.getValue();
            int prevX = -1;
            int prevY = -1;
            for (int i = 0; i < v.length && i < xs.length; i++) {
                if (Double.isNaN(v[i])) {
                    continue;
                }
                int px = (int) (LEFT + x.frac(xs[i]) * pw);
                int py = (int) (TOP + ph - y.frac(v[i]) * ph);
                if (prevX >= 0) {
                    g.drawLine(prevX, prevY, px, py);
                }
                g.fillOval(px - 5, py - 5, 10, 10);
                prevX = px;
                prevY = py;
            }
            si++;
        }
        g.setStroke(new BasicStroke(1f));
        legend(g, series.keySet().toArray(new String[0]), true);
        end(g, img, file);
    }

    /** A labelled point of a scatter chart. */
    record Mark(double x, double y, String label) {}

    /**
     * A scatter chart: each series' points in its colour and marker shape (circle, diamond,
     * square, triangle, in series order), each point labelled next to it where the label
     * overlaps no other; {@code line} (may be empty) is drawn through its points in order, in
     * the first series' colour, with a ring around each, named {@code lineName} in the legend; {@code notes} are
     * printed under the legend, wrapped to its width. Points with a NaN coordinate (or y <= 0
     * on a log axis) are left out.
     */
    static void scatter(Path file, String title, String xLabel, String yLabel, Map<String, List<Mark>> series,
                        String lineName, List<Mark> line, boolean logY, List<String> notes) throws IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = begin(img, title);
        double xMin = Double.MAX_VALUE;
        double xMax = -Double.MAX_VALUE;
        double yMin = Double.MAX_VALUE;
        double yMax = -Double.MAX_VALUE;
        for (List<Mark> ms : series.values()) {
            for (Mark m : ms) {
                if (drawable(m, logY)) {
                    xMin = Math.min(xMin, m.x());
                    xMax = Math.max(xMax, m.x());
                    yMin = Math.min(yMin, m.y());
                    yMax = Math.max(yMax, m.y());
                }
            }
        }
        if (xMin > xMax) {
            xMin = 0;
            xMax = 1;
            yMin = 1;
            yMax = 10;
        }
        double pad = Math.max((xMax - xMin) * 0.06, Math.abs(xMax) * 0.01 + 1e-9);
        Axis x = Axis.span(Math.max(0, xMin - pad), xMax + pad);
        // Headroom on a log axis: a point on a decade does not sit on the plot's edge, nor its label outside.
        Axis y = logY ? Axis.log(yMin / 1.6, yMax * 1.6) : Axis.span(Math.min(0, yMin), yMax * 1.05);
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;
        yAxis(g, y, yLabel, pw, ph);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics tf = g.getFontMetrics();
        for (double t : x.ticks()) {
            int px = (int) (LEFT + x.frac(t) * pw);
            g.setColor(new Color(0xdddddd));
            g.drawLine(px, TOP, px, TOP + ph);
            g.setColor(Color.BLACK);
            String s = Axis.fmt(t);
            g.drawString(s, px - tf.stringWidth(s) / 2, TOP + ph + 20);
        }
        g.drawLine(LEFT, TOP + ph, LEFT + pw, TOP + ph);
        xLabel(g, xLabel, pw, ph);

        // The line first, under the markers, with a ring around each of its points (visible
        // even when the line has a single point).
        g.setColor(PALETTE[0]);
        g.setStroke(new BasicStroke(2.5f));
        int prevX = Integer.MIN_VALUE;
        int prevY = 0;
        for (Mark m : line) {
            if (!drawable(m, logY)) {
                continue;
            }
            int px = (int) (LEFT + x.frac(m.x()) * pw);
            int py = (int) (TOP + ph - y.frac(m.y()) * ph);
            if (prevX != Integer.MIN_VALUE) {
                g.drawLine(prevX, prevY, px, py);
            }
            g.drawOval(px - 10, py - 10, 20, 20);
            prevX = px;
            prevY = py;
        }
        g.setStroke(new BasicStroke(1f));

        // Markers, then labels placed to avoid each other and the markers.
        List<Rectangle> taken = new ArrayList<>();
        List<Object[]> labels = new ArrayList<>();
        int si = 0;
        for (List<Mark> ms : series.values()) {
            Color c = PALETTE[si % PALETTE.length];
            for (Mark m : ms) {
                if (!drawable(m, logY)) {
                    continue;
                }
                int px = (int) (LEFT + x.frac(m.x()) * pw);
                int py = (int) (TOP + ph - y.frac(m.y()) * ph);
                marker(g, si, c, px, py);
                int r = line.contains(m) ? 11 : 6; // ringed points take more room
                taken.add(new Rectangle(px - r, py - r, 2 * r, 2 * r));
                labels.add(new Object[] {m.label(), px, py, c, r});
            }
            si++;
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics lf = g.getFontMetrics();
        Rectangle plot = new Rectangle(LEFT + 1, TOP, pw - 1, ph);
        for (Object[] l : labels) {
            String text = (String) l[0];
            int px = (int) l[1];
            int py = (int) l[2];
            int w = lf.stringWidth(text);
            int h = lf.getAscent();
            int d = (int) l[4] + 3;
            int[][] offsets = {{d, -4}, {d, h + 2}, {-d - w, -4}, {-d - w, h + 2}, {-w / 2, -d - 1}, {-w / 2, h + d + 1},
                {d, -h - 6}, {d, 2 * h + 6}, {-d - w, -h - 6}, {-d - w, 2 * h + 6}, {-w / 2, -h - d - 5}, {-w / 2, 2 * h + d + 5},
                {-w / 2, -2 * h - d - 9}, {-w / 2, 3 * h + d + 9}, {d, -2 * h - 10}, {d, 3 * h + 10}, {-d - w, -2 * h - 10},
                {-d - w, 3 * h + 10}};
            Rectangle best = null;
            long bestOverlap = Long.MAX_VALUE;
            for (int[] off : offsets) {
                Rectangle r = new Rectangle(px + off[0], py + off[1] - h, w, h + 2);
                long overlap = 0;
                for (Rectangle t : taken) {
                    Rectangle i = r.intersection(t);
                    if (!i.isEmpty()) {
                        overlap += (long) i.width * i.height;
                    }
                }
                if (!plot.contains(r)) {
                    overlap += 1_000_000;
                }
                if (overlap < bestOverlap) {
                    bestOverlap = overlap;
                    best = r;
                }
                if (overlap == 0) {
                    break;
                }
            }
            taken.add(best);
            // A label pushed away from its marker gets a leader line to the label's nearest edge.
            int ex = Math.max(best.x, Math.min(px, best.x + best.width));
            int ey = Math.max(best.y, Math.min(py, best.y + best.height));
            if (Math.hypot(ex - px, ey - py) > 12) {
                g.setColor(new Color(0x999999));
                g.drawLine(px, py, ex, ey);
            }
            g.setColor(((Color) l[3]).darker());
            g.drawString(text, best.x, best.y + h);
        }

        // Legend: series markers, the line, then the notes.
        int lx = W - RIGHT + 20;
        int ly = TOP + 10;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString("Legend", lx, ly);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        int row = 0;
        si = 0;
        for (String name : series.keySet()) {
            int ry = ly + 24 + row++ * 24;
            marker(g, si, PALETTE[si % PALETTE.length], lx + 11, ry - 5);
            g.setColor(Color.BLACK);
            g.drawString(name, lx + 30, ry);
            si++;
        }
        if (!line.isEmpty()) {
            int ry = ly + 24 + row++ * 24;
            g.setColor(PALETTE[0]);
            g.setStroke(new BasicStroke(2.5f));
            g.drawLine(lx, ry - 5, lx + 22, ry - 5);
            g.drawOval(lx + 5, ry - 11, 12, 12);
            g.setStroke(new BasicStroke(1f));
            g.setColor(Color.BLACK);
            g.drawString(lineName, lx + 30, ry);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics nf = g.getFontMetrics();
        int ny = ly + 24 + row * 24 + 14;
        for (String n : notes) {
            for (String wrapped : wrap(n, nf, RIGHT - 30)) {
                g.drawString(wrapped, lx, ny);
                ny += nf.getHeight();
            }
            ny += 4;
        }
        end(g, img, file);
    }

    private static boolean drawable(Mark m, boolean logY) {
        return !Double.isNaN(m.x()) && !Double.isNaN(m.y()) && !(logY && m.y() <= 0);
    }

    private static void marker(Graphics2D g, int shape, Color c, int px, int py) {
        g.setColor(c);
        int r = 6;
        switch (shape % 4) {
            case 1 -> g.fillPolygon(new int[] {px, px + r + 2, px, px - r - 2}, new int[] {py - r - 2, py, py + r + 2, py}, 4);
            case 2 -> g.fillRect(px - r + 1, py - r + 1, 2 * r - 2, 2 * r - 2);
            case 3 -> g.fillPolygon(new int[] {px, px + r + 1, px - r - 1}, new int[] {py - r - 1, py + r, py + r}, 3);
            default -> g.fillOval(px - r, py - r, 2 * r, 2 * r);
        }
        g.setColor(Color.BLACK);
    }

    /** Words of {@code text} in lines at most {@code width} pixels wide. */
    private static List<String> wrap(String text, FontMetrics fm, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String word : text.split(" ")) {
            String next = cur.length() == 0 ? word : cur + " " + word;
            if (fm.stringWidth(next) > width && cur.length() > 0) {
                lines.add(cur.toString());
                cur = new StringBuilder(word);
            } else {
                cur = new StringBuilder(next);
            }
        }
        if (cur.length() > 0) {
            lines.add(cur.toString());
        }
        return lines;
    }

    private static Graphics2D begin(BufferedImage img, String title) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
        FontMetrics fm = g.getFontMetrics();
        g.drawString(title, (W - RIGHT + LEFT) / 2 - fm.stringWidth(title) / 2, 38);
        return g;
    }

    private static void end(Graphics2D g, BufferedImage img, Path file) throws IOException {
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private static void yAxis(Graphics2D g, Axis y, String label, int pw, int ph) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        for (double t : y.ticks()) {
            int py = (int) (TOP + ph - y.frac(t) * ph);
            g.setColor(new Color(0xdddddd));
            g.drawLine(LEFT, py, LEFT + pw, py);
            g.setColor(Color.BLACK);
            String s = Axis.fmt(t);
            g.drawString(s, LEFT - 8 - fm.stringWidth(s), py + 5);
        }
        g.setColor(Color.BLACK);
        g.drawLine(LEFT, TOP, LEFT, TOP + ph);
        g.drawLine(LEFT, TOP + ph, LEFT + pw, TOP + ph);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        fm = g.getFontMetrics();
        AffineTransform old = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(label, -(TOP + ph / 2) - fm.stringWidth(label) / 2, 28);
        g.setTransform(old);
    }

    private static void xLabel(Graphics2D g, String label, int pw, int ph) {
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        FontMetrics fm = g.getFontMetrics();
        g.setColor(Color.BLACK);
        g.drawString(label, LEFT + pw / 2 - fm.stringWidth(label) / 2, TOP + ph + 58);
    }

    private static void refLine(Graphics2D g, Axis y, RefLine ref, int pw, int ph) {
        int py = (int) (TOP + ph - y.frac(ref.y()) * ph);
        g.setColor(new Color(0xc00000));
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f));
        g.drawLine(LEFT, py, LEFT + pw, py);
        g.setStroke(new BasicStroke(1f));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(ref.label(), LEFT + 6, py - 6);
    }

    private static void legend(Graphics2D g, String[] names, boolean lines) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        int x = W - RIGHT + 20;
        int y = TOP + 10;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString("Legend", x, y);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        for (int i = 0; i < names.length; i++) {
            int ly = y + 24 + i * 24;
            g.setColor(PALETTE[i % PALETTE.length]);
            if (lines) {
                g.setStroke(new BasicStroke(3f));
                g.drawLine(x, ly - 5, x + 22, ly - 5);
                g.setStroke(new BasicStroke(1f));
            } else {
                g.fillRect(x, ly - 13, 22, 14);
            }
            g.setColor(Color.BLACK);
            g.drawString(names[i], x + 30, ly);
        }
    }

    /** A linear or log10 axis. */
    private record Axis(double lo, double hi, boolean log) {
        static Axis linear(double lo, double hi) {
            double step = niceStep((hi - lo) / 6);
            return new Axis(lo, Math.max(step, Math.ceil(hi / step) * step), false);
        }

        /** A linear axis from lo to hi, both rounded outwards to a tick step. */
        static Axis span(double lo, double hi) {
            if (hi <= lo) {
                hi = lo + Math.max(1, Math.abs(lo) * 0.1);
            }
            // The step ticks() derives from the rounded range must be the one the range was rounded to.
            double step = niceStep((hi - lo) / 6);
            double l = Math.floor(lo / step) * step;
            double h = Math.ceil(hi / step) * step;
            for (int i = 0; i < 4; i++) {
                double s = niceStep((h - l) / 6);
                if (s == step) {
                    break;
                }
                step = s;
                l = Math.floor(lo / step) * step;
                h = Math.ceil(hi / step) * step;
            }
            return new Axis(l, h, false);
        }

        static Axis log(double lo, double hi) {
            double l = Math.pow(10, Math.floor(Math.log10(Math.max(lo, 1e-9)) - 1e-9)); // a value on a decade stays above the axis
            double h = Math.pow(10, Math.ceil(Math.log10(Math.max(hi, l * 10))));
            return new Axis(l, h, true);
        }

        double frac(double v) {
            if (log) {
                return (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
            }
            return (v - lo) / (hi - lo);
        }

        double[] ticks() {
            if (log) {
                int n = (int) Math.round(Math.log10(hi / lo)) + 1;
                double[] t = new double[n];
                for (int i = 0; i < n; i++) {
                    t[i] = lo * Math.pow(10, i);
                }
                return t;
            }
            double step = niceStep((hi - lo) / 6);
            int n = (int) Math.floor((hi - lo) / step + 1e-9) + 1; // none past the axis's end
            double[] t = new double[n];
            for (int i = 0; i < n; i++) {
                t[i] = lo + i * step;
            }
            return t;
        }

        static double niceStep(double raw) {
            if (raw <= 0) {
                return 1;
            }
            double p = Math.pow(10, Math.floor(Math.log10(raw)));
            double f = raw / p;
            return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
        }

        static String fmt(double v) {
            double a = Math.abs(v);
            if (a >= 1e6) {
                return trimZero(v / 1e6) + "M";
            }
            if (a >= 1e3) {
                return trimZero(v / 1e3) + "k";
            }
            if (a >= 1 || a == 0) {
                return trimZero(v);
            }
            return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
        }

        private static String trimZero(double v) {
            String s = String.format("%.2f", v);
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
            return s;
        }
    }
}
