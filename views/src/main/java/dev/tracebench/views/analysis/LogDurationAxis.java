package dev.tracebench.views.analysis;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;

/**
 * A duration axis on a log scale. Values are log10 of milliseconds, so blocks and bars of log-spaced buckets have
 * equal sizes; ticks fall on round durations (1, 2, 5 × a power of ten, fewer when the range is wide) and read as
 * durations ("250 ms", "2 s"). A range too narrow for two such ticks gets evenly spaced ones ("2.38 s", "2.39 s").
 */
final class LogDurationAxis extends NumberAxis {
    private static final long serialVersionUID = 1L;

    LogDurationAxis(String label) {
        super(label);
        setAutoRangeIncludesZero(false);
        Charts.styleAxis(this);
    }

    /** The axis value of a duration. */
    static double value(double ns) {
        return Math.log10(Math.max(1, ns) / 1e6);
    }

    /** The duration of an axis value. */
    static long nanos(double value) {
        return Math.round(Math.pow(10, value) * 1e6);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
        Range r = getRange();
        double lo = r.getLowerBound();
        double hi = r.getUpperBound();
        double pixels = RectangleEdge.isTopOrBottom(edge) ? dataArea.getWidth() : dataArea.getHeight();
        int room = Math.max(2, (int) (pixels / (RectangleEdge.isTopOrBottom(edge) ? 60 : 26)));
        List<NumberTick> ticks = roundTicks(lo, hi, room, edge);
        // a narrow range (a heatmap cell, a selection) holds too few round durations to read: evenly spaced ones
        return ticks.size() >= 2 ? ticks : linearTicks(lo, hi, room, edge);
    }

    /** Ticks on 1, 2, 5 × a power of ten (fewer multiples, then fewer decades, when there is no room). */
    private static List<NumberTick> roundTicks(double lo, double hi, int room, RectangleEdge edge) {
        double[][] choices = {{1, 2, 5}, {1, 3}, {1}};
        List<NumberTick> ticks = new ArrayList<>();
        for (double[] mults : choices) {
            ticks.clear();
            for (int k = (int) Math.floor(lo) - 1; k <= Math.ceil(hi); k++) {
                for (double m : mults) {
                    double v = k + Math.log10(m);
                    if (v >= lo - 1e-9 && v <= hi + 1e-9) {
                        ticks.add(tick(v, Charts.tick(nanos(v)), edge));
                    }
                }
            }
            if (ticks.size() <= room) {
                return ticks;
            }
        }
        // very wide ranges: every n-th decade
        int step = (int) Math.ceil(ticks.size() / (double) room);
        List<NumberTick> thin = new ArrayList<>();
        for (int i = 0; i < ticks.size(); i += step) {
            thin.add(ticks.get(i));
        }
        return thin;
    }

    /** Ticks a round duration step apart (1, 2 or 5 × a power of ten), labelled as precisely as the step needs. */
    static List<NumberTick> linearTicks(double lo, double hi, int room, RectangleEdge edge) {
        double loNs = Math.pow(10, lo) * 1e6;
        double hiNs = Math.pow(10, hi) * 1e6;
        double step = niceStep((hiNs - loNs) / Math.max(1, room));
        List<NumberTick> ticks = new ArrayList<>();
        // (the range went through logarithms: a tick on its very edge may be off by a rounding error)
        for (double ns = Math.ceil(loNs / step - 1e-6) * step; ns <= hiNs + step * 1e-6 && step > 0; ns += step) {
            double v = Math.log10(Math.max(1, ns) / 1e6);
            ticks.add(tick(v, Charts.tick(Math.round(ns / step) * step, step), edge));
        }
        return ticks;
    }

    /** The smallest of 1, 2, 5 × 10^k at least {@code raw}. */
    static double niceStep(double raw) {
        if (!(raw > 0)) {
            return 0;
        }
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw * (1 - 1e-9)) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static NumberTick tick(double v, String label, RectangleEdge edge) {
        boolean horizontal = RectangleEdge.isTopOrBottom(edge);
        TextAnchor anchor = horizontal ? TextAnchor.TOP_CENTER : TextAnchor.CENTER_RIGHT;
        return new NumberTick(TickType.MAJOR, v, label, anchor, anchor, 0.0);
    }
}
