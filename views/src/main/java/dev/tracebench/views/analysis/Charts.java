package dev.tracebench.views.analysis;

import dev.tracebench.views.common.Format;
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

/** The look shared by the Latency and Quality areas' charts, and how they write durations. */
public final class Charts {
    static final Font TITLE = new Font("SansSerif", Font.BOLD, 13);
    static final Font SUBTITLE = new Font("SansSerif", Font.PLAIN, 11);
    public static final Font LABEL = new Font("SansSerif", Font.PLAIN, 11);
    static final Font TICK = new Font("SansSerif", Font.PLAIN, 10);
    public static final Color GRID = new Color(0xdd, 0xe1, 0xe6);
    public static final Color TEXT = new Color(0x37, 0x47, 0x4f);
    public static final Color MUTED = new Color(0x5f, 0x63, 0x68);
    public static final Color ACCENT = new Color(0x2f, 0x66, 0x90);

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

    public static void style(JFreeChart chart, String title) {
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

    public static void styleAxis(ValueAxis a) {
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
    public static TextTitle subtitle(JFreeChart chart) {
        TextTitle s = new TextTitle("", SUBTITLE);
        s.setPaint(MUTED);
        s.setHorizontalAlignment(org.jfree.chart.ui.HorizontalAlignment.LEFT);
        s.setPadding(new RectangleInsets(0, 6, 4, 2));
        s.setMaximumLinesToDisplay(1);
        chart.addSubtitle(0, s);
        return s;
    }

    /** A time axis in local time: hours and minutes, with the date when the range spans days. */
    public static DateAxis timeAxis() {
        DateAxis a = new DateAxis("Start time");
        a.setTimeZone(TimeZone.getDefault());
        // the tick units' own formats (used for short ranges) in local time, not the JVM locale's
        a.setStandardTickUnits(DateAxis.createStandardDateTickUnits(TimeZone.getDefault(), Locale.ROOT));
        styleAxis(a);
        return a;
    }

    /**
     * Adjusts a time axis' label format to its range. Up to 15 minutes the format is that of the tick unit the axis
     * picks (seconds, then milliseconds as the range shrinks), so no two ticks read the same; longer ranges drop what
     * all ticks share (the seconds, then the time of day) and keep the date once they span days.
     */
    public static void fitTimeFormat(DateAxis a, long fromNs, long toNs) {
        long minutes = (toNs - fromNs) / 60_000_000_000L;
        String pattern = minutes <= 15 ? null
                : minutes <= 36 * 60 ? "HH:mm"
                : minutes <= 60L * 24 * 60 ? "MM-dd HH:mm"
                : minutes <= 2L * 365 * 24 * 60 ? "yyyy-MM-dd"
                : "yyyy";
        if (pattern == null) {
            a.setDateFormatOverride(null);
        } else {
            SimpleDateFormat f = new SimpleDateFormat(pattern, Locale.ROOT);
            f.setTimeZone(TimeZone.getDefault());
            a.setDateFormatOverride(f);
        }
        a.setLabel("Start time (" + TimeZone.getDefault().toZoneId().getId() + ")");
    }

    /** Epoch milliseconds of epoch nanoseconds (JFreeChart's time axes count milliseconds). */
    public static double ms(long epochNs) {
        return epochNs / 1e6;
    }

    /** Compact tick labels: "0", "1 ms", "250 ms", "1.5 s", "2 m". */
    static String tick(double ns) {
        return tick(ns, 0);
    }

    /**
     * A tick label precise enough for ticks {@code stepNs} apart (0: three significant digits): "2.38 s", "2.385 s"
     * and "2.39 s" rather than three times "2.38 s" when the range is narrow. Zero is "0", not "0 ns".
     */
    static String tick(double ns, double stepNs) {
        if (ns == 0) {
            return "0";
        }
        double unit = ns >= 60e9 ? 60e9 : ns >= 1e9 ? 1e9 : ns >= 1e6 ? 1e6 : ns >= 1e3 ? 1e3 : 1;
        String symbol = unit == 60e9 ? " m" : unit == 1e9 ? " s" : unit == 1e6 ? " ms" : unit == 1e3 ? " µs" : " ns";
        double v = ns / unit;
        int decimals = v >= 100 ? 0 : v >= 10 ? 1 : 2;
        if (stepNs > 0) {
            decimals = Math.max(decimals, (int) Math.ceil(-Math.log10(stepNs / unit) - 1e-9));
        }
        String s = String.format(Locale.ROOT, "%." + Math.max(0, Math.min(9, decimals)) + "f", v);
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s + symbol;
    }

    /**
     * A name as it can be told apart from others: empty is "(empty)", and a name with leading or trailing spaces or
     * control characters is shown in double quotes with the control characters escaped (a tab as backslash-t), so
     * "gpt-4o" and "gpt-4o " do not look the same.
     */
    static String visible(String name) {
        if (name == null) {
            return "(null)";
        }
        if (name.isEmpty()) {
            return "(empty)";
        }
        StringBuilder sb = new StringBuilder();
        boolean special = !name.strip().equals(name);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                sb.append(switch (c) {
                    case '\n' -> "\\n";
                    case '\t' -> "\\t";
                    case '\r' -> "\\r";
                    default -> String.format(Locale.ROOT, "\\u%04x", (int) c);
                });
                special = true;
            } else {
                sb.append(c);
            }
        }
        return special ? "\"" + sb + "\"" : name;
    }

    /** A duration for tables and tooltips: "0" rather than "0 ns" (a stage absent from a request). */
    static String duration(long ns) {
        return ns == 0 ? "0" : Format.duration(ns);
    }
}
