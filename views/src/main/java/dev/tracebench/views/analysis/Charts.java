package dev.tracebench.views.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.text.SimpleDateFormat;
import java.util.Locale;
import java.util.TimeZone;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;

/** The look shared by the Latency area's charts, and how they write durations. */
final class Charts {
    static final Font TITLE = new Font("SansSerif", Font.BOLD, 13);
    static final Font SUBTITLE = new Font("SansSerif", Font.PLAIN, 11);
    static final Font LABEL = new Font("SansSerif", Font.PLAIN, 11);
    static final Font TICK = new Font("SansSerif", Font.PLAIN, 10);
    static final Color GRID = new Color(0xdd, 0xe1, 0xe6);
    static final Color TEXT = new Color(0x37, 0x47, 0x4f);
    static final Color MUTED = new Color(0x5f, 0x63, 0x68);
    static final Color ACCENT = new Color(0x2f, 0x66, 0x90);

    private Charts() {
    }

    /** A unit for a value axis of durations: milliseconds, or seconds for long requests. */
    record Unit(String symbol, double ns) {
        static final Unit MS = new Unit("ms", 1e6);
        static final Unit S = new Unit("s", 1e9);

        /** Seconds once the largest value reaches 2 s, else milliseconds. */
        static Unit forMax(double maxNs) {
            return maxNs >= 2e9 ? S : MS;
        }

        double of(double nanos) {
            return nanos / ns;
        }
    }

    static void style(JFreeChart chart, String title) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        chart.setPadding(new RectangleInsets(4, 4, 4, 8));
        TextTitle t = new TextTitle(title, TITLE);
        t.setPaint(TEXT);
        t.setHorizontalAlignment(org.jfree.chart.ui.HorizontalAlignment.LEFT);
        t.setPadding(new RectangleInsets(2, 6, 4, 2));
        chart.setTitle(t);
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setItemFont(LABEL);
            legend.setItemPaint(TEXT);
            legend.setFrame(BlockBorder.NONE);
            legend.setPosition(RectangleEdge.RIGHT);
            legend.setBackgroundPaint(Color.WHITE);
        }
        if (chart.getPlot() instanceof XYPlot p) {
            p.setBackgroundPaint(Color.WHITE);
            p.setDomainGridlinePaint(GRID);
            p.setRangeGridlinePaint(GRID);
            p.setDomainGridlineStroke(new BasicStroke(0.6f));
            p.setRangeGridlineStroke(new BasicStroke(0.6f));
            p.setOutlineVisible(false);
            p.setAxisOffset(new RectangleInsets(2, 2, 2, 2));
            styleAxis(p.getDomainAxis());
            styleAxis(p.getRangeAxis());
        }
    }

    static void styleAxis(ValueAxis a) {
        if (a == null) {
            return;
        }
        a.setLabelFont(LABEL);
        a.setLabelPaint(MUTED);
        a.setTickLabelFont(TICK);
        a.setTickLabelPaint(MUTED);
        a.setAxisLinePaint(GRID);
        a.setTickMarkPaint(GRID);
    }

    /** A subtitle line under the title (counts, what is selected). */
    static TextTitle subtitle(JFreeChart chart) {
        TextTitle s = new TextTitle("", SUBTITLE);
        s.setPaint(MUTED);
        s.setHorizontalAlignment(org.jfree.chart.ui.HorizontalAlignment.LEFT);
        s.setPadding(new RectangleInsets(0, 6, 4, 2));
        s.setMaximumLinesToDisplay(1);
        chart.addSubtitle(0, s);
        return s;
    }

    /** A time axis in local time: hours and minutes, with the date when the range spans days. */
    static DateAxis timeAxis() {
        DateAxis a = new DateAxis("Start time");
        a.setTimeZone(TimeZone.getDefault());
        styleAxis(a);
        return a;
    }

    /** Adjusts a time axis' label format to its range. */
    static void fitTimeFormat(DateAxis a, long fromNs, long toNs) {
        long minutes = (toNs - fromNs) / 60_000_000_000L;
        String pattern = minutes <= 15 ? "HH:mm:ss"
                : minutes <= 36 * 60 ? "HH:mm"
                : minutes <= 60L * 24 * 60 ? "MM-dd HH:mm"
                : minutes <= 2L * 365 * 24 * 60 ? "yyyy-MM-dd"
                : "yyyy";
        SimpleDateFormat f = new SimpleDateFormat(pattern, Locale.ROOT);
        f.setTimeZone(TimeZone.getDefault());
        a.setDateFormatOverride(f);
        a.setLabel("Start time (" + TimeZone.getDefault().toZoneId().getId() + ")");
    }

    /** Epoch milliseconds of epoch nanoseconds (JFreeChart's time axes count milliseconds). */
    static double ms(long epochNs) {
        return epochNs / 1e6;
    }

    /** Compact tick labels: "1 ms", "250 ms", "1.5 s", "2 m". */
    static String tick(double ns) {
        if (ns >= 60e9) {
            return trim(ns / 60e9) + " m";
        }
        if (ns >= 1e9) {
            return trim(ns / 1e9) + " s";
        }
        if (ns >= 1e6) {
            return trim(ns / 1e6) + " ms";
        }
        if (ns >= 1e3) {
            return trim(ns / 1e3) + " µs";
        }
        return trim(ns) + " ns";
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }
}
