package dev.tracebench.views.trace;

import dev.tracebench.core.model.SpanEventData;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.ServiceColors;
import javafx.beans.property.LongProperty;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.text.Text;

/**
 * Draws one span's bar on the waterfall's timeline: positioned by its start and end within the visible window,
 * coloured by service, outlined red when it failed, with ticks for its events and its duration beside it.
 */
final class SpanBarCell extends TreeTableCell<WaterfallModel.Node, WaterfallModel.Node> {
    private final LongProperty windowStart;
    private final LongProperty windowEnd;
    private final Bars bars;

    SpanBarCell(LongProperty windowStart, LongProperty windowEnd) {
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.bars = new Bars();
        setText(null);
        getStyleClass().add("tb-bar-cell");
    }

    @Override
    protected void updateItem(WaterfallModel.Node node, boolean empty) {
        super.updateItem(node, empty);
        if (empty || node == null) {
            setGraphic(null);
            setTooltip(null);
            return;
        }
        bars.node = node;
        bars.requestLayout();
        setGraphic(bars);
        SpanDetail s = node.span();
        setTooltip(new Tooltip(s.name() + "\n" + s.serviceName() + " · " + Format.duration(s.durationNs())
                + (s.isError() ? "\nerror" + (s.statusMessage() == null ? "" : ": " + s.statusMessage()) : "")));
    }

    private final class Bars extends Pane {
        private WaterfallModel.Node node;
        private final Region bar = new Region();
        private final Text label = new Text();

        Bars() {
            bar.getStyleClass().add("tb-span-bar");
            label.getStyleClass().add("tb-bar-label");
            setMinWidth(0);
            setPrefHeight(18);
            windowStart.addListener(o -> requestLayout());
            windowEnd.addListener(o -> requestLayout());
        }

        @Override
        protected void layoutChildren() {
            getChildren().clear();
            if (node == null) {
                return;
            }
            double w = getWidth();
            double h = getHeight();
            long ws = windowStart.get();
            long span = Math.max(1, windowEnd.get() - ws);
            SpanDetail s = node.span();
            long a = Math.min(s.startNs(), s.endNs());
            long b = Math.max(s.startNs(), s.endNs());
            double x0 = (a - ws) / (double) span * w;
            double x1 = (b - ws) / (double) span * w;
            double left = Math.max(0, x0);
            double right = Math.min(w, x1);
            double barH = Math.max(8, h - 8);
            double y = (h - barH) / 2;
            if (right >= 0 && left <= w) {
                double bw = Math.max(2, right - left);
                bar.resizeRelocate(Math.min(left, w - 2), y, bw, barH);
                String color = ServiceColors.css(s.serviceName());
                bar.setStyle("-fx-background-color: " + color + ";"
                        + (s.isError() ? "-fx-border-color: -tb-error-color; -fx-border-width: 2;" : ""));
                getChildren().add(bar);
                for (SpanEventData e : s.events()) {
                    double ex = (e.timeNs() - ws) / (double) span * w;
                    if (ex >= 0 && ex <= w) {
                        Region tick = new Region();
                        tick.getStyleClass().add(e.name().equals("exception") ? "tb-event-tick-error" : "tb-event-tick");
                        tick.resizeRelocate(ex - 1, y - 2, 2, barH + 4);
                        getChildren().add(tick);
                    }
                }
            }
            label.setText(Format.duration(s.durationNs()) + (s.isError() ? "  ⚠" : ""));
            double lw = label.getLayoutBounds().getWidth();
            label.getStyleClass().remove("tb-bar-label-inside");
            double lx;
            if (right + 4 + lw <= w) {
                lx = right + 4;
            } else if (left - lw - 4 >= 0) {
                lx = left - lw - 4;
            } else {
                // no room beside the bar: inside it, at its right end
                lx = Math.max(left + 2, right - lw - 6);
                label.getStyleClass().add("tb-bar-label-inside");
            }
            label.setX(lx);
            label.setY(h / 2 + 4);
            getChildren().add(label);
        }
    }
}
