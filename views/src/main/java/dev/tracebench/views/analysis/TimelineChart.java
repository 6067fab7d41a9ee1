package dev.tracebench.views.analysis;

import dev.tracebench.core.analysis.Timeline;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.StageColors;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.XYToolTipGenerator;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StackedXYBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.DefaultTableXYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Stage contributions over time: per time bucket, the mean time per request of each stage as a stacked bar (so the
 * bar's height is the mean duration), and the p95 duration as a line on the same axis. A bucket in which no request
 * started has no bar and breaks the line: a gap, not a drop to zero.
 */
final class TimelineChart extends ChartPane {
    static final String P95 = "p95 duration";
    /** Buckets with fewer requests leave a gap in the p95 line. */
    static final int MIN_TRACES_FOR_P95 = 5;
    private final TextTitle subtitle;
    private Timeline shown;
    private Charts.Unit unit = Charts.Unit.MS;
    /** The timeline's bucket at each x of the p95 line (null: no request started in it). */
    private List<Timeline.Bucket> bucketAt = List.of();
    private List<String> shownStages = List.of();

    TimelineChart() {
        super(create());
        setId("timeline-chart");
        subtitle = Charts.subtitle(chart());
        setMessage("Loading…");
    }

    private static JFreeChart create() {
        DateAxis x = Charts.timeAxis();
        NumberAxis y = new NumberAxis("Time per request");
        XYPlot plot = new XYPlot(new DefaultTableXYDataset(), x, y, new StackedXYBarRenderer());
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        JFreeChart chart = new JFreeChart(plot);
        Charts.style(chart, "Where the time goes, over time");
        return chart;
    }

    /**
     * The stacked stage series (mean per request, in {@link #unit()}), one per stage of the timeline, with an item
     * for each bucket that has requests ({@link #stageBucket}).
     */
    DefaultTableXYDataset stageDataset() {
        return (DefaultTableXYDataset) plot().getDataset(0);
    }

    /** The p95 line (in {@link #unit()}). */
    XYSeriesCollection lineDataset() {
        return (XYSeriesCollection) plot().getDataset(1);
    }

    /** The stages drawn (those with any time in the cohort), in the fixed order: the stacked series. */
    List<String> shownStages() {
        return shownStages;
    }

    Charts.Unit unit() {
        return unit;
    }

    Timeline shown() {
        return shown;
    }

    void show(Timeline t) {
        chart().setNotify(false); // one redraw, with the renderers and datasets in step
        try {
            update(t);
        } finally {
            chart().setNotify(true);
        }
    }

    private void update(Timeline t) {
        shown = t;
        XYPlot plot = plot();
        if (t == null) {
            plot.setDataset(0, new DefaultTableXYDataset());
            plot.setDataset(1, null);
            subtitle.setText("");
            return;
        }
        List<Timeline.Bucket> buckets = t.buckets();
        // every bucket from the first to the last, empty ones (no request started then) as null
        List<Long> xs = new java.util.ArrayList<>();
        List<Timeline.Bucket> at = new java.util.ArrayList<>();
        if (!buckets.isEmpty()) {
            long first = buckets.get(0).startNs();
            long last = buckets.get(buckets.size() - 1).startNs();
            int i = 0;
            for (long x = first; x <= last && t.bucketNs() > 0; x += t.bucketNs()) {
                while (i < buckets.size() && buckets.get(i).startNs() < x) {
                    i++;
                }
                Timeline.Bucket b = i < buckets.size() && buckets.get(i).startNs() < x + t.bucketNs() ? buckets.get(i)
                        : null;
                xs.add(x);
                at.add(b);
            }
        }
        bucketAt = at;
        double max = 0;
        for (Timeline.Bucket b : buckets) {
            max = Math.max(max, Math.max(b.meanNs(), b.traces() >= MIN_TRACES_FOR_P95 ? b.p95Ns() : 0));
        }
        unit = Charts.Unit.forMax(max);
        // stages no request of the cohort had stay out of the chart and its legend
        List<String> drawn = t.stages().stream().filter(st -> buckets.stream().anyMatch(b -> b.meanByStage()
                .getOrDefault(st, 0.0) > 0)).toList();
        shownStages = drawn;
        DefaultTableXYDataset stages = new DefaultTableXYDataset();
        stages.setIntervalWidth(Math.max(1, t.bucketNs() / 1e6));
        stages.setIntervalPositionFactor(0.5);
        for (String stage : drawn) {
            XYSeries s = new XYSeries(StageColors.label(stage), false, false);
            for (Timeline.Bucket b : buckets) {
                s.add(Charts.ms(b.startNs() + t.bucketNs() / 2), unit.of(b.meanByStage().getOrDefault(stage, 0.0)),
                        false);
            }
            stages.addSeries(s);
        }
        XYSeries p95 = new XYSeries(P95, false, true);
        boolean lined = false;
        for (int i = 0; i < xs.size(); i++) {
            Timeline.Bucket b = at.get(i);
            // a p95 of a handful of requests is noise: a gap in the line instead
            boolean enough = b != null && b.traces() >= MIN_TRACES_FOR_P95;
            lined |= enough;
            p95.add(Charts.ms(xs.get(i) + t.bucketNs() / 2), enough ? (Number) unit.of(b.p95Ns()) : null);
        }
        StackedXYBarRenderer bars = new StackedXYBarRenderer(0.08);
        bars.setBarPainter(new StandardXYBarPainter());
        bars.setShadowVisible(false);
        bars.setDrawBarOutline(false);
        for (int i = 0; i < drawn.size(); i++) {
            bars.setSeriesPaint(i, StageColors.awt(drawn.get(i)));
        }
        bars.setDefaultToolTipGenerator(tooltips(drawn, buckets));
        XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
        line.setSeriesPaint(0, new Color(0x26, 0x32, 0x38));
        line.setSeriesStroke(0, new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
                new float[] {5f, 3f}, 0f));
        line.setDrawSeriesLineAsPath(false);
        line.setSeriesVisibleInLegend(0, lined);
        line.setDefaultToolTipGenerator((d, s, i) -> {
            Timeline.Bucket b = i < at.size() ? at.get(i) : null;
            return b == null ? "No requests" : "p95 " + Charts.duration(b.p95Ns()) + " · p50 "
                    + Charts.duration(b.p50Ns()) + " · " + Format.count(b.traces()) + " requests from "
                    + Format.dateTime(b.startNs()).substring(11, 16);
        });
        plot.setRenderer(0, bars);
        plot.setDataset(0, stages);
        plot.setRenderer(1, line);
        plot.setDataset(1, new XYSeriesCollection(p95));
        plot.getRangeAxis().setLabel("Time per request (" + unit.symbol() + ")");
        // the axis fits the bars and the p95 line, whatever the renderers would say about their datasets
        plot.getRangeAxis().setRange(0, Math.max(unit.of(max), 1e-9) * 1.08);
        if (!buckets.isEmpty()) {
            long from = buckets.get(0).startNs();
            long to = buckets.get(buckets.size() - 1).startNs() + t.bucketNs();
            plot.getDomainAxis().setRange(Charts.ms(from), Math.max(Charts.ms(to), Charts.ms(from) + 1));
            Charts.fitTimeFormat((DateAxis) plot.getDomainAxis(), from, to);
        }
        long requests = buckets.stream().mapToLong(Timeline.Bucket::traces).sum();
        subtitle.setText("Mean per request by stage, stacked · dashed: p95 · " + approx(t.bucketNs()) + " buckets · "
                + Format.count(requests) + " requests");
        setMessage(requests == 0 ? "No requests in this cohort" : null);
    }

    /** A bucket width in round words: "20 min", "2 h", "30 s". */
    static String approx(long ns) {
        double s = ns / 1e9;
        if (s >= 2 * 365.25 * 86400) {
            return Math.round(s / (365.25 * 86400)) + " year";
        }
        if (s >= 3 * 86400) {
            return Math.round(s / 86400) + " day";
        }
        if (s >= 5400) {
            return Math.round(s / 3600) + " h";
        }
        if (s >= 60) {
            return Math.round(s / 60) + " min";
        }
        return s >= 1 ? Math.round(s) + " s" : Charts.tick(ns);
    }

    /** The bucket behind item {@code i} of the p95 line (null: an empty one). */
    Timeline.Bucket bucketAt(int i) {
        return bucketAt.get(i);
    }

    /** The bucket behind item {@code i} of the stacked stages (buckets with requests only). */
    Timeline.Bucket stageBucket(int i) {
        return shown.buckets().get(i);
    }

    /** Items of the p95 line: every bucket from the first to the last with requests. */
    int lineItems() {
        return bucketAt.size();
    }

    private static XYToolTipGenerator tooltips(List<String> stages, List<Timeline.Bucket> buckets) {
        return (dataset, series, item) -> {
            if (series >= stages.size() || item >= buckets.size()) {
                return null;
            }
            String stage = stages.get(series);
            Timeline.Bucket b = buckets.get(item);
            double mean = b.meanByStage().getOrDefault(stage, 0.0);
            return StageColors.label(stage) + ": " + Charts.duration(Math.round(mean)) + " per request ("
                    + (b.meanNs() == 0 ? "0" : Math.round(100 * mean / b.meanNs())) + "% of the mean "
                    + Charts.duration(b.meanNs()) + ") · " + Format.count(b.traces()) + " requests from "
                    + Format.dateTime(b.startNs()).substring(11, 16);
        };
    }
}
