package dev.tracebench.views.analysis;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Heatmap;
import dev.tracebench.views.common.Format;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYBoxAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * Requests by start time and duration (log scale), coloured by how many fall in each cell. Dragging a rectangle
 * (or clicking a cell) selects those requests as the cohort; the selection stays outlined.
 */
final class HeatmapChart extends ChartPane {
    /** Called with a start-time range [fromNs, toNs) and a duration range [minNs, maxNs). */
    interface RegionListener {
        void selected(long fromNs, long toNs, long minNs, long maxNs);
    }

    private final TextTitle subtitle;
    private final PaintScaleLegend legend;
    private Heatmap shown;
    private Cohort region;
    private RegionListener listener;

    HeatmapChart() {
        super(create());
        setId("heatmap-chart");
        subtitle = Charts.subtitle(chart());
        CountAxis counts = new CountAxis();
        legend = new PaintScaleLegend(new CountScale(1), counts);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
        legend.setStripWidth(10);
        legend.setMargin(new RectangleInsets(8, 8, 8, 4));
        legend.setBackgroundPaint(Color.WHITE);
        legend.setSubdivisionCount(64);
        chart().addSubtitle(legend);
        setMessage("Loading…");
        setBrushListener(this::brushed);
    }

    private static JFreeChart create() {
        DateAxis x = Charts.timeAxis();
        LogDurationAxis y = new LogDurationAxis("Duration (log scale)");
        XYBlockRenderer r = new XYBlockRenderer();
        r.setBlockAnchor(RectangleAnchor.CENTER);
        XYPlot plot = new XYPlot(new DefaultXYZDataset(), x, y, r);
        plot.setDomainGridlinesVisible(false);
        JFreeChart chart = new JFreeChart(null, null, plot, false);
        Charts.style(chart, "Latency heatmap");
        return chart;
    }

    void setRegionListener(RegionListener l) {
        this.listener = l;
    }

    Heatmap shown() {
        return shown;
    }

    DefaultXYZDataset dataset() {
        return (DefaultXYZDataset) plot().getDataset();
    }

    void show(Heatmap h, String cohortLabel) {
        chart().setNotify(false); // one redraw, with the renderers and datasets in step
        try {
            update(h, cohortLabel);
        } finally {
            chart().setNotify(true);
        }
    }

    private void update(Heatmap h, String cohortLabel) {
        shown = h;
        XYPlot plot = plot();
        if (h == null) {
            plot.setDataset(new DefaultXYZDataset());
            subtitle.setText("");
            return;
        }
        int cells = 0;
        for (long[] row : h.counts()) {
            for (long c : row) {
                cells += c > 0 ? 1 : 0;
            }
        }
        double[][] series = new double[3][cells];
        long total = 0;
        int k = 0;
        double bucketMs = Charts.ms(h.timeEdge(1)) - Charts.ms(h.timeEdge(0));
        double logStep = LogDurationAxis.value(h.durationEdge(1)) - LogDurationAxis.value(h.durationEdge(0));
        for (int t = 0; t < h.timeBuckets(); t++) {
            for (int d = 0; d < h.durationBuckets(); d++) {
                long c = h.counts()[t][d];
                if (c > 0) {
                    series[0][k] = (Charts.ms(h.timeEdge(t)) + Charts.ms(h.timeEdge(t + 1))) / 2;
                    series[1][k] = (LogDurationAxis.value(h.durationEdge(d)) + LogDurationAxis.value(h.durationEdge(
                            d + 1))) / 2;
                    series[2][k] = c;
                    total += c;
                    k++;
                }
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("requests", series);
        XYBlockRenderer r = (XYBlockRenderer) plot.getRenderer();
        r.setBlockWidth(bucketMs);
        r.setBlockHeight(logStep);
        CountScale scale = new CountScale(Math.max(1, h.maxCount()));
        r.setPaintScale(scale);
        r.setDefaultToolTipGenerator((ds, s, i) -> {
            long z = Math.round(ds instanceof DefaultXYZDataset xyz ? xyz.getZValue(s, i) : 0);
            long tNs = Math.round(ds.getXValue(s, i) * 1e6);
            int ti = (int) Math.min(h.timeBuckets() - 1, Math.max(0, (tNs - h.fromNs()) * (double) h.timeBuckets()
                    / Math.max(1, h.toNs() - h.fromNs())));
            double y = ds.getYValue(s, i);
            int di = (int) Math.max(0, Math.min(h.durationBuckets() - 1, Math.round((y - LogDurationAxis.value(
                    h.durationEdge(0))) / logStep - 0.5)));
            return Format.count(z) + " request" + (z == 1 ? "" : "s") + " · started "
                    + Format.dateTime(h.timeEdge(ti)).substring(11, 16) + "–"
                    + Format.dateTime(h.timeEdge(ti + 1)).substring(11, 16) + " · took "
                    + Charts.duration(h.durationEdge(di)) + " – " + Charts.duration(h.durationEdge(di + 1))
                    + "\nDrag a rectangle to analyse those requests";
        });
        plot.setDataset(data);
        plot.getDomainAxis().setRange(Charts.ms(h.fromNs()), Math.max(Charts.ms(h.toNs()), Charts.ms(h.fromNs()) + 1));
        plot.getRangeAxis().setRange(LogDurationAxis.value(h.durationEdge(0)),
                Math.max(LogDurationAxis.value(h.durationEdge(h.durationBuckets())),
                        LogDurationAxis.value(h.durationEdge(0)) + 0.1));
        Charts.fitTimeFormat((DateAxis) plot.getDomainAxis(), h.fromNs(), h.toNs());
        legend.setScale(scale);
        legend.getAxis().setRange(1, scale.getUpperBound());
        subtitle.setText(Character.toUpperCase(cohortLabel.charAt(0)) + cohortLabel.substring(1) + ": "
                + Format.count(total) + " · drag a rectangle or click a cell to select requests");
        setMessage(total == 0 ? "No requests in this cohort" : null);
        showRegion(region);
    }

    /** Outlines the selected region (a REGION cohort) or removes the outline (null). */
    void showRegion(Cohort r) {
        region = r;
        XYPlot plot = plot();
        plot.clearAnnotations();
        if (r != null) {
            double maxNs = Math.min(r.maxDurationNs(), shown == null ? r.maxDurationNs() : shown.maxDurationNs());
            plot.addAnnotation(new XYBoxAnnotation(Charts.ms(r.fromNs()), LogDurationAxis.value(r.minDurationNs()),
                    Charts.ms(r.toNs()), LogDurationAxis.value(maxNs), new BasicStroke(2f), Charts.ACCENT,
                    new Color(0x2f, 0x66, 0x90, 40)));
        }
    }

    private void brushed(double x0, double x1, double y0, double y1, boolean click) {
        Heatmap h = shown;
        if (listener == null || h == null) {
            return;
        }
        if (click) {
            // one cell: the bucket under the pointer
            long tNs = Math.round(x0 * 1e6);
            int ti = (int) Math.min(h.timeBuckets() - 1, Math.max(0, (tNs - h.fromNs()) * (double) h.timeBuckets()
                    / Math.max(1, h.toNs() - h.fromNs())));
            double logStep = LogDurationAxis.value(h.durationEdge(1)) - LogDurationAxis.value(h.durationEdge(0));
            int di = (int) Math.min(h.durationBuckets() - 1, Math.max(0, Math.floor((y0 - LogDurationAxis.value(
                    h.durationEdge(0))) / logStep)));
            if (h.counts()[ti][di] == 0) {
                return;
            }
            listener.selected(h.timeEdge(ti), h.timeEdge(ti + 1), h.durationEdge(di), h.durationEdge(di + 1));
            return;
        }
        listener.selected(Math.round(x0 * 1e6), Math.round(x1 * 1e6), LogDurationAxis.nanos(y0),
                LogDurationAxis.nanos(y1));
    }

    /** The legend's axis: counts on the log scale the colours use, ticks on whole 1, 2, 5 × a power of ten. */
    static final class CountAxis extends LogAxis {
        private static final long serialVersionUID = 1L;

        CountAxis() {
            super("requests per cell");
            setSmallestValue(1);
            Charts.styleAxis(this);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public java.util.List refreshTicks(java.awt.Graphics2D g2, org.jfree.chart.axis.AxisState state,
                java.awt.geom.Rectangle2D dataArea, RectangleEdge edge) {
            boolean vertical = RectangleEdge.isLeftOrRight(edge);
            double pixels = vertical ? dataArea.getHeight() : dataArea.getWidth();
            return ticks(getLowerBound(), getUpperBound(), Math.max(2, (int) (pixels / (vertical ? 16 : 40))), edge);
        }

        /** Ticks on 1, 2, 5 × 10^k, or 1, 3 × 10^k, or 10^k: the most of them that fit {@code room} labels. */
        static java.util.List<org.jfree.chart.axis.NumberTick> ticks(double lo, double hi, int room,
                RectangleEdge edge) {
            TextAnchor anchor = RectangleEdge.isLeftOrRight(edge) ? TextAnchor.CENTER_LEFT : TextAnchor.TOP_CENTER;
            java.util.List<org.jfree.chart.axis.NumberTick> out = new java.util.ArrayList<>();
            for (double[] mults : new double[][] {{1, 2, 5}, {1, 3}, {1}}) {
                out.clear();
                for (long p = 1; p <= hi && p > 0; p *= 10) {
                    for (double m : mults) {
                        double v = m * p;
                        if (v >= lo - 1e-9 && v <= hi + 1e-9) {
                            out.add(new org.jfree.chart.axis.NumberTick(org.jfree.chart.axis.TickType.MAJOR, v,
                                    Format.count((long) v), anchor, anchor, 0.0));
                        }
                    }
                }
                if (out.size() <= room) {
                    break;
                }
            }
            return out;
        }
    }

    /**
     * Counts to colours on a log scale (a few very busy cells would otherwise wash out the rest): from a light but
     * clearly visible green for one request to dark blue for the busiest cell; empty cells are not drawn. One request
     * starts {@link #FLOOR} up the ramp, so a lone request never fades into the white background.
     */
    static final class CountScale implements PaintScale {
        private static final Color[] RAMP = {new Color(0xff, 0xff, 0xcc), new Color(0xa1, 0xda, 0xb4),
            new Color(0x41, 0xb6, 0xc4), new Color(0x22, 0x5e, 0xa8), new Color(0x0c, 0x2c, 0x84)};
        /** Where on the ramp one request sits (0 would be the palest yellow). */
        static final double FLOOR = 0.22;
        private final double max;

        CountScale(double max) {
            this.max = max;
        }

        @Override
        public double getLowerBound() {
            return 1;
        }

        @Override
        public double getUpperBound() {
            return Math.max(2, max);
        }

        @Override
        public Paint getPaint(double value) {
            if (value <= 0 || Double.isNaN(value)) {
                return new Color(255, 255, 255, 0);
            }
            double t = max <= 1 ? 0.5 : Math.log(Math.min(value, max)) / Math.log(max);
            t = FLOOR + (1 - FLOOR) * Math.max(0, Math.min(1, t));
            double pos = t * (RAMP.length - 1);
            int i = (int) Math.min(RAMP.length - 2, Math.floor(pos));
            double f = pos - i;
            Color a = RAMP[i];
            Color b = RAMP[i + 1];
            return new Color((int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * f),
                    (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * f),
                    (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * f));
        }
    }
}
