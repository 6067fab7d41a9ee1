package dev.tracebench.views.trace;

import dev.tracebench.views.common.AxisTicks;
import javafx.beans.InvalidationListener;
import javafx.beans.property.LongProperty;
import javafx.scene.layout.Pane;
import javafx.scene.shape.Line;
import javafx.scene.text.Text;

/**
 * Tick marks and labels for the waterfall's time column: offsets from the trace start over the visible window,
 * at a "nice" step (1, 2 or 5 × a power of ten).
 */
final class TimeAxis extends Pane {
    private final LongProperty windowStart;
    private final LongProperty windowEnd;
    private long traceStart;

    TimeAxis(LongProperty windowStart, LongProperty windowEnd) {
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        getStyleClass().add("tb-time-axis");
        setMinHeight(22);
        setPrefHeight(22);
        InvalidationListener redraw = o -> requestLayout();
        windowStart.addListener(redraw);
        windowEnd.addListener(redraw);
    }

    void setTraceStart(long ns) {
        traceStart = ns;
        requestLayout();
    }

    @Override
    protected void layoutChildren() {
        getChildren().clear();
        double w = getWidth();
        long span = windowEnd.get() - windowStart.get();
        if (w <= 0 || span <= 0) {
            return;
        }
        long step = AxisTicks.niceStep(span, Math.max(1, (int) (w / 90)));
        long firstOffset = windowStart.get() - traceStart;
        long tick = (long) Math.ceil(firstOffset / (double) step) * step;
        for (; traceStart + tick <= windowEnd.get(); tick += step) {
            double x = (traceStart + tick - windowStart.get()) / (double) span * w;
            Line l = new Line(x, getHeight() - 6, x, getHeight());
            l.getStyleClass().add("tb-axis-tick");
            Text t = new Text(AxisTicks.label(tick, step));
            t.getStyleClass().add("tb-axis-label");
            double tw = t.getLayoutBounds().getWidth();
            t.setX(Math.max(0, Math.min(w - tw, x - tw / 2)));
            t.setY(13);
            getChildren().addAll(l, t);
        }
    }
}
