package dev.morpheus.samples.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's PNG charts, drawn by JFreeChart (headless): grouped bar charts (optionally with a
 * log-scale y axis and a dashed reference line), line charts, and scatter charts of labelled
 * points with one connecting line (the Pareto suite's frontier). Every chart has a title, axis
 * labels with units, grid lines and a legend on the right.
 *
 * <p>Why JFreeChart rather than XChart: both are on Maven Central and maintained, but
 * JFreeChart has log axes of any base on both plot kinds, value markers with labels, per-item
 * shapes and text annotations placed in data coordinates, which the Pareto charts need (labels
 * beside each point, the stock frontier as a line through some of the points); it depends on
 * nothing else (one jar), and renders to a {@link BufferedImage} without a display. This class
 * only maps the report's data onto JFreeChart's datasets and styles the result the same way for
 * every chart; {@link PointLabels} places the scatter charts' point labels.
 */
final class Charts {
    // Before any AWT class is touched: no display is needed, or looked for.
    static {
        System.setProperty("java.awt.headless", "true");
    }

    static final int W = 1100;
    static final int H = 620;
    static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 20);
    private static final Font AXIS_LABEL = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font LEGEND = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    static final Font POINT_LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font NOTE = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Color GRID = new Color(0xbbbbbb);
    private static final Color MINOR_GRID = new Color(0xe4e4e4);
    private static final Color GOAL = new Color(0xc00000);
    /** Marker shapes by series: circle, diamond, square, triangle. */
    private static final Shape[] SHAPES = {
        new Ellipse2D.Double(-6, -6, 12, 12),
        polygon(new int[] {0, 8, 0, -8}, new int[] {-8, 0, 8, 0}),
        new Rectangle2D.Double(-6, -6, 12, 12),
        polygon(new int[] {0, 7, -7}, new int[] {-8, 6, 6})};

    private static Shape polygon(int[] xs, int[] ys) {
        return new Polygon(xs, ys, xs.length);
    }

    private Charts() {}

    /** A reference line across the plot, e.g. a goal. */
    record RefLine(double y, String label) {}

    /** A labelled point of a scatter chart. */
    record Mark(double x, double y, String label) {}

    /**
     * Grouped bars: one group per category, one bar per series in it. NaN values (and values
     * <= 0 on a log axis) leave their bar out.
     */
    static void bars(Path file, String title, String xLabel, String yLabel, List<String> categories,
                     Map<String, double[]> series, boolean logY, RefLine ref) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        double min = Double.MAX_VALUE;
        double max = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            double[] v = e.getValue();
            for (int c = 0; c < categories.size(); c++) {
                boolean drawn = c < v.length && !Double.isNaN(v[c]) && !(logY && v[c] <= 0);
                data.addValue(drawn ? (Number) v[c] : null, e.getKey(), categories.get(c));
                if (drawn) {
                    min = Math.min(min, v[c]);
                    max = Math.max(max, v[c]);
                }
            }
        }
        if (ref != null) {
            min = Math.min(min, ref.y());
            max = Math.max(max, ref.y());
        }
        if (min > max) { // nothing to draw: an empty plot with a sensible axis
            min = 1;
            max = 10;
        }
        CategoryAxis x = new CategoryAxis(xLabel);
        x.setCategoryLabelPositions(CategoryLabelPositions.STANDARD);
        x.setMaximumCategoryLabelLines(2);
        x.setCategoryMargin(0.2);
        ValueAxis y = logY ? logAxis(yLabel, min, max) : linearAxis(yLabel, true, 0, max);
        BarRenderer r = new BarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setItemMargin(0.03);
        r.setDrawBarOutline(false);
        r.setMaximumBarWidth(0.12);
        for (int i = 0; i < series.size(); i++) {
            r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        CategoryPlot plot = new CategoryPlot(data, x, y, r);
        plot.setOrientation(PlotOrientation.VERTICAL);
        style(plot.getDomainAxis());
        style(y);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(GRID);
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        if (logY) {
            plot.setRangeMinorGridlinesVisible(true);
            plot.setRangeMinorGridlinePaint(MINOR_GRID);
        }
        if (ref != null) {
            plot.addRangeMarker(goal(ref));
        }
        write(file, chart(title, plot), null);
    }

    /** Lines through each series' points at the shared x values; NaN values leave a point out. */
    static void lines(Path file, String title, String xLabel, String yLabel, double[] xs,
                      Map<String, double[]> series, boolean logX, RefLine ref) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            double[] v = e.getValue();
            for (int i = 0; i < v.length && i < xs.length; i++) {
                if (!Double.isNaN(v[i]) && !(logX && xs[i] <= 0)) {
                    s.add(xs[i], v[i]);
                }
            }
            data.addSeries(s);
        }
        ValueAxis x;
        if (logX) {
            // Powers of two: the runner's worker counts (1, 2, 4, ...) each get a tick.
            LogAxis lx = new LogAxis(xLabel);
            lx.setBase(2);
            lx.setTickUnit(new NumberTickUnit(1));
            lx.setNumberFormatOverride(new DecimalFormat("0.##"));
            lx.setMinorTickMarksVisible(false);
            lx.setSmallestValue(1e-9);
            lx.setRange(xs[0] / 1.15, xs[xs.length - 1] * 1.15);
            x = lx;
        } else {
            x = linearAxis(xLabel, false, xs[0], xs[xs.length - 1]);
        }
        double yMax = 0;
        for (double[] v : series.values()) {
            for (double d : v) {
                yMax = Double.isNaN(d) ? yMax : Math.max(yMax, d);
            }
        }
        ValueAxis y = linearAxis(yLabel, true, 0, yMax);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < series.size(); i++) {
            r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            r.setSeriesStroke(i, new BasicStroke(3f));
            r.setSeriesShape(i, SHAPES[0]);
        }
        XYPlot plot = xyPlot(data, x, y, r);
        if (ref != null) {
            plot.addRangeMarker(goal(ref));
        }
        write(file, chart(title, plot), null);
    }

    /**
     * A scatter chart: each series' points in its colour and marker shape (circle, diamond,
     * square, triangle, in series order), each point labelled next to it ({@link PointLabels});
     * {@code line} (may be empty) is drawn through its points in order, in the first series'
     * colour, with a ring around each, named {@code lineName} in the legend; {@code notes} are
     * printed under the plot, one a line. Points with a NaN coordinate (or y <= 0 on a log axis)
     * are left out.
     */
    static void scatter(Path file, String title, String xLabel, String yLabel, Map<String, List<Mark>> series,
                        String lineName, List<Mark> line, boolean logY, List<String> notes) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        PointLabels labels = new PointLabels();
        double yMin = Double.MAX_VALUE;
        double yMax = -Double.MAX_VALUE;
        double xMin = Double.MAX_VALUE;
        double xMax = -Double.MAX_VALUE;
        // The line first, so its rings lie under the series' markers.
        if (!line.isEmpty()) {
            XYSeries s = new XYSeries(lineName, false, true);
            for (Mark m : line) {
                if (drawable(m, logY)) {
                    s.add(m.x(), m.y());
                }
            }
            int i = data.getSeriesCount();
            data.addSeries(s);
            r.setSeriesLinesVisible(i, true);
            r.setSeriesShapesFilled(i, false);
            r.setSeriesShape(i, new Ellipse2D.Double(-10, -10, 20, 20));
            r.setSeriesPaint(i, PALETTE[0]);
            r.setSeriesStroke(i, new BasicStroke(2.5f));
        }
        int si = 0;
        for (Map.Entry<String, List<Mark>> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            Color c = PALETTE[si % PALETTE.length];
            for (Mark m : e.getValue()) {
                if (!drawable(m, logY)) {
                    continue;
                }
                s.add(m.x(), m.y());
                labels.add(m, c.darker(), line.contains(m) ? 11 : 7);
                xMin = Math.min(xMin, m.x());
                xMax = Math.max(xMax, m.x());
                yMin = Math.min(yMin, m.y());
                yMax = Math.max(yMax, m.y());
            }
            int i = data.getSeriesCount();
            data.addSeries(s);
            r.setSeriesPaint(i, c);
            r.setSeriesShape(i, SHAPES[si % SHAPES.length]);
            si++;
        }
        if (xMin > xMax) {
            xMin = 0;
            xMax = 1;
            yMin = 1;
            yMax = 10;
        }
        double pad = Math.max((xMax - xMin) * 0.08, Math.abs(xMax) * 0.02 + 1e-9);
        NumberAxis x = linearAxis(xLabel, false, Math.max(0, xMin - pad), xMax + pad);
        x.setRange(Math.max(0, xMin - pad), xMax + pad);
        ValueAxis y;
        if (logY) {
            y = logAxis(yLabel, yMin / 1.6, yMax * 1.6);
        } else {
            NumberAxis ny = linearAxis(yLabel, false, Math.min(0, yMin), yMax * 1.1);
            ny.setRange(Math.min(0, yMin), yMax * 1.1);
            y = ny;
        }
        XYPlot plot = xyPlot(data, x, y, r);
        JFreeChart chart = chart(title, plot);
        if (!notes.isEmpty()) {
            TextTitle t = new TextTitle(String.join("\n", notes), NOTE);
            t.setPosition(RectangleEdge.BOTTOM);
            t.setHorizontalAlignment(HorizontalAlignment.LEFT);
            t.setTextAlignment(HorizontalAlignment.LEFT);
            t.setPadding(new RectangleInsets(6, 90, 2, 10));
            chart.addSubtitle(t);
        }
        write(file, chart, labels);
    }

    private static boolean drawable(Mark m, boolean logY) {
        return !Double.isNaN(m.x()) && !Double.isNaN(m.y()) && !(logY && m.y() <= 0);
    }

    /** A base-10 log axis from a decade at or below {@code lo} to one at or above {@code hi}. */
    private static LogAxis logAxis(String label, double lo, double hi) {
        LogAxis a = new LogAxis(label);
        a.setBase(10);
        a.setSmallestValue(1e-9);
        // Minor ticks (and grid lines) at 2..9 times each decade: LogAxis spaces them linearly
        // between two decades, so 9 steps land on the integers.
        a.setTickUnit(new NumberTickUnit(1, new DecimalFormat("0"), 9));
        a.setNumberFormatOverride(new DecimalFormat("0.####"));
        a.setMinorTickMarksVisible(true);
        double l = Math.pow(10, Math.floor(Math.log10(Math.max(lo, 1e-9)) - 1e-9));
        double h = Math.pow(10, Math.ceil(Math.log10(Math.max(hi, l * 10))));
        // Just past the decades, so the end ticks are drawn too.
        a.setRange(l * 0.999, h * 1.001);
        return a;
    }

    /** A linear axis whose ticks split [lo, hi] into about eight steps of 1, 2 or 5 times a power of ten. */
    private static NumberAxis linearAxis(String label, boolean fromZero, double lo, double hi) {
        NumberAxis a = new NumberAxis(label);
        a.setAutoRangeIncludesZero(fromZero);
        a.setNumberFormatOverride(new CompactFormat());
        if (hi > lo) {
            a.setTickUnit(new NumberTickUnit(niceStep((hi - lo) / 8)));
        }
        return a;
    }

    private static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / p;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
    }

    private static void style(org.jfree.chart.axis.Axis a) {
        a.setLabelFont(AXIS_LABEL);
        a.setTickLabelFont(TICK);
        a.setLabelPaint(Color.BLACK);
        a.setTickLabelPaint(Color.BLACK);
    }

    private static XYPlot xyPlot(XYSeriesCollection data, ValueAxis x, ValueAxis y, XYLineAndShapeRenderer r) {
        XYPlot plot = new XYPlot(data, x, y, r);
        style(x);
        style(y);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setOutlinePaint(Color.GRAY);
        if (y instanceof LogAxis) {
            plot.setRangeMinorGridlinesVisible(true);
            plot.setRangeMinorGridlinePaint(MINOR_GRID);
        }
        return plot;
    }

    private static ValueMarker goal(RefLine ref) {
        ValueMarker m = new ValueMarker(ref.y(), GOAL,
                new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f));
        m.setLabel(ref.label());
        m.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        m.setLabelPaint(GOAL);
        m.setLabelBackgroundColor(new Color(255, 255, 255, 0));
        m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        m.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
        m.setLabelOffset(new RectangleInsets(4, 6, 4, 6));
        return m;
    }

    private static JFreeChart chart(String title, org.jfree.chart.plot.Plot plot) {
        JFreeChart c = new JFreeChart(title, TITLE, plot, true);
        c.setBackgroundPaint(Color.WHITE);
        c.setAntiAlias(true);
        c.setTextAntiAlias(true);
        LegendTitle l = c.getLegend();
        l.setPosition(RectangleEdge.RIGHT);
        l.setVerticalAlignment(org.jfree.chart.ui.VerticalAlignment.TOP);
        l.setItemFont(LEGEND);
        l.setFrame(org.jfree.chart.block.BlockBorder.NONE);
        l.setItemLabelPadding(new RectangleInsets(4, 4, 4, 4));
        l.setMargin(new RectangleInsets(30, 10, 10, 10));
        return c;
    }

    /**
     * Renders {@code chart} to {@code file}; with {@code labels}, draws once to learn where the
     * plot's data area lies, then adds the point labels as annotations and draws again.
     */
    private static void write(Path file, JFreeChart chart, PointLabels labels) throws IOException {
        if (labels != null && chart.getPlot() instanceof XYPlot plot) {
            BufferedImage probe = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
            ChartRenderingInfo info = new ChartRenderingInfo();
            Graphics2D g = probe.createGraphics();
            chart.draw(g, new Rectangle2D.Double(0, 0, W, H), info);
            labels.annotate(plot, info.getPlotInfo().getDataArea(), g);
            g.dispose();
        }
        ChartUtils.saveChartAsPNG(file.toFile(), chart, W, H);
    }
}
