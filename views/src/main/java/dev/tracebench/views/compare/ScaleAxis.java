package dev.tracebench.views.compare;

import dev.tracebench.views.common.AxisTicks;
import javafx.beans.property.DoubleProperty;
import javafx.scene.layout.Pane;
import javafx.scene.shape.Line;
import javafx.scene.text.Text;

/** Ticks from zero to the shared scale, at a round step (1, 2 or 5 × a power of ten). */
final class ScaleAxis extends Pane {
    private final DoubleProperty scaleNs;

    ScaleAxis(DoubleProperty scaleNs) {
        this.scaleNs = scaleNs;
        getStyleClass().add("tb-time-axis");
        setMinHeight(20);
        setPrefHeight(20);
        scaleNs.addListener(o -> requestLayout());
    }

    @Override
    protected void layoutChildren() {
        getChildren().clear();
        double w = getWidth();
        double span = scaleNs.get();
        if (w <= 0 || span <= 0) {
            return;
        }
        long step = AxisTicks.niceStep((long) span, Math.max(1, (int) (w / 90)));
        for (long t = 0; t <= span; t += step) {
            double x = t / span * w;
            Line l = new Line(x, 0, x, 5);
            l.getStyleClass().add("tb-axis-tick");
            Text label = new Text(AxisTicks.label(t, step));
            label.getStyleClass().add("tb-axis-label");
            double tw = label.getLayoutBounds().getWidth();
            label.setX(Math.max(0, Math.min(w - tw, x - tw / 2)));
            label.setY(17);
            getChildren().addAll(l, label);
        }
    }
}
