package dev.tracebench.views.analysis;

import dev.tracebench.core.analysis.Histogram;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.StageColors;
import java.awt.BasicStroke;
import java.awt.Color;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;

/**
 * How one stage's contribution (or the whole duration) is distributed over the cohort's requests, in log-spaced
 * bins, with its p50 and p95 marked. Requests where the stage is not on the critical path are counted, not drawn.
 * The count axis leaves room above the tallest bar for the markers' labels, so neither hides the other.
 */
final class HistogramChart extends ChartPane {
    /** The count axis ends this many times above the tallest bar. */
    static final double HEADROOM = 1.25;
    private final TextTitle subtitle;
    private Histogram shown;

    HistogramChart() {
        super(create());
        setId("histogram-chart");
        subtitle = Charts.subtitle(chart());
        setMessage("Loading…");
    }

    private static JFreeChart create() {
        LogDurationAxis x = new LogDurationAxis("Time per request (log scale)");
        NumberAxis y = new NumberAxis("Requests");
        y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        y.setAutoRange(false);
        XYBarRenderer r = new XYBarRenderer(0.04);
        r.setBarPainter(new StandardXYBarPainter());
        r.setShadowVisible(false);
        r.setDrawBarOutline(false);
        XYPlot plot = new XYPlot(new XYIntervalSeriesCollection(), x, y, r);
        JFreeChart chart = new JFreeChart(null, null, plot, false);
        Charts.style(chart, "Distribution");
        return chart;
    }

    Histogram shown() {
        return shown;
    }

    XYIntervalSeriesCollection dataset() {
        return (XYIntervalSeriesCollection) plot().getDataset();
    }

    void show(Histogram h) {
        chart().setNotify(false); // one redraw, with the renderers and datasets in step
        try {
            update(h);
        } finally {
            chart().setNotify(true);
        }
    }

    private void update(Histogram h) {
        shown = h;
        XYPlot plot = plot();
        plot.clearDomainMarkers();
        if (h == null) {
            plot.setDataset(new XYIntervalSeriesCollection());
            subtitle.setText("");
            return;
        }
        String what = h.stage() == null ? "Request duration" : StageColors.label(h.stage()) + " time per request";
        chart().getTitle().setText(what + " (critical path)");
        XYIntervalSeries s = new XYIntervalSeries("requests");
        long drawn = 0;
        long tallest = 0;
        for (Histogram.Bin b : h.bins()) {
            double lo = LogDurationAxis.value(b.fromNs());
            double hi = LogDurationAxis.value(b.toNs());
            s.add((lo + hi) / 2, lo, hi, b.traces(), 0, b.traces());
            drawn += b.traces();
            tallest = Math.max(tallest, b.traces());
        }
        // the tallest bar reaches 4/5 of the height: the top fifth holds the p50/p95 labels
        plot.getRangeAxis().setRange(0, Math.max(1, tallest) * HEADROOM);
        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        data.addSeries(s);
        XYBarRenderer r = (XYBarRenderer) plot.getRenderer();
        r.setSeriesPaint(0, h.stage() == null ? Charts.ACCENT : StageColors.awt(h.stage()));
        r.setDefaultToolTipGenerator((ds, series, item) -> {
            if (item >= h.bins().size()) {
                return null;
            }
            Histogram.Bin b = h.bins().get(item);
            return Format.count(b.traces()) + " request" + (b.traces() == 1 ? "" : "s") + " with "
                    + Charts.duration(b.fromNs()) + " – " + Charts.duration(b.toNs());
        });
        plot.setDataset(data);
        if (!h.bins().isEmpty()) {
            double lo = LogDurationAxis.value(h.bins().get(0).fromNs());
            double hi = LogDurationAxis.value(h.bins().get(h.bins().size() - 1).toNs());
            plot.getDomainAxis().setRange(lo, Math.max(hi, lo + 0.1));
            // p50's label left of its line and p95's right of its own: they never cover each other
            marker(plot, h.p50Ns(), "p50 " + Charts.duration(h.p50Ns()), lo, hi, true);
            marker(plot, h.p95Ns(), "p95 " + Charts.duration(h.p95Ns()), lo, hi, false);
        }
        long all = drawn + h.zero();
        StringBuilder sb = new StringBuilder();
        if (h.stage() == null) {
            sb.append(Format.count(all)).append(" requests");
        } else {
            sb.append(Format.count(drawn)).append(" of ").append(Format.count(all)).append(" requests spent time in ")
                    .append(h.stage()).append(" on their critical path");
            if (h.zero() > 0) {
                sb.append(" (").append(Format.count(h.zero())).append(" none, not drawn)");
            }
        }
        sb.append(" · p50 ").append(Charts.duration(h.p50Ns())).append(" · p95 ").append(Charts.duration(h.p95Ns()));
        subtitle.setText(sb.toString());
        setMessage(drawn == 0 ? (h.stage() == null ? "No requests in this cohort"
                : "No request of this cohort spent time in " + h.stage()) : null);
    }

    /**
     * A dashed line with its label at the top, on the left ({@code left}) or right of it (the other side near an
     * edge).
     */
    private static void marker(XYPlot plot, long ns, String label, double lo, double hi, boolean left) {
        if (ns <= 0) {
            return;
        }
        double v = LogDurationAxis.value(ns);
        if (v < lo || v > hi) {
            return;
        }
        ValueMarker m = new ValueMarker(v, new Color(0x26, 0x32, 0x38), new BasicStroke(1.2f,
                BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {4f, 3f}, 0f));
        m.setLabel(label);
        m.setLabelFont(Charts.TICK);
        m.setLabelPaint(new Color(0x26, 0x32, 0x38));
        double at = (v - lo) / Math.max(1e-9, hi - lo);
        boolean onLeft = left ? at > 0.2 : at > 0.8;
        m.setLabelAnchor(onLeft ? RectangleAnchor.TOP_LEFT : RectangleAnchor.TOP_RIGHT);
        m.setLabelTextAnchor(onLeft ? TextAnchor.TOP_RIGHT : TextAnchor.TOP_LEFT);
        m.setLabelOffset(new org.jfree.chart.ui.RectangleInsets(3, 3, 3, 3));
        m.setLabelBackgroundColor(new Color(255, 255, 255, 210));
        plot.addDomainMarker(m);
    }
}
