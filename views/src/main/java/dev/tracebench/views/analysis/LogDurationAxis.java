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
 * durations ("250 ms", "2 s").
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
        double span = hi - lo;
        double pixels = RectangleEdge.isTopOrBottom(edge) ? dataArea.getWidth() : dataArea.getHeight();
        int room = Math.max(2, (int) (pixels / (RectangleEdge.isTopOrBottom(edge) ? 60 : 26)));
        double[][] choices = {{1, 2, 5}, {1, 3}, {1}};
        List<NumberTick> ticks = new ArrayList<>();
        for (double[] mults : choices) {
            ticks.clear();
            for (int k = (int) Math.floor(lo) - 1; k <= Math.ceil(hi); k++) {
                for (double m : mults) {
                    double v = k + Math.log10(m);
                    if (v >= lo - 1e-9 && v <= hi + 1e-9) {
                        ticks.add(tick(v, edge));
                    }
                }
            }
            if (ticks.size() <= room) {
                break;
            }
        }
        if (ticks.size() > room && span > 0) {
            // very wide ranges: every n-th decade
            int step = (int) Math.ceil(ticks.size() / (double) room);
            List<NumberTick> thin = new ArrayList<>();
            for (int i = 0; i < ticks.size(); i += step) {
                thin.add(ticks.get(i));
            }
            ticks = thin;
        }
        return ticks;
    }

    private static NumberTick tick(double v, RectangleEdge edge) {
        boolean horizontal = RectangleEdge.isTopOrBottom(edge);
        TextAnchor anchor = horizontal ? TextAnchor.TOP_CENTER : TextAnchor.CENTER_RIGHT;
        return new NumberTick(TickType.MAJOR, v, Charts.tick(nanos(v)), anchor, anchor, 0.0);
    }
}
