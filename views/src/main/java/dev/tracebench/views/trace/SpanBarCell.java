package dev.tracebench.views.trace;

import dev.tracebench.core.model.SpanEventData;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.ServiceColors;
import dev.tracebench.views.common.StageColors;
import javafx.beans.property.LongProperty;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.text.Text;

/**
 * Draws one span's bar on the waterfall's timeline: positioned by its start and end within the visible window,
 * coloured by service (or by stage), outlined red when it failed, with ticks for its events and its duration beside
 * it. With the critical path shown, spans on it are outlined and the parts of their bar that are path segments carry
 * a dark band; spans off the path fade.
 */
final class SpanBarCell extends TreeTableCell<WaterfallModel.Node, WaterfallModel.Node> {
    private final LongProperty windowStart;
    private final LongProperty windowEnd;
    private final TraceViewModel vm;
    private final Bars bars;

    SpanBarCell(TraceViewModel vm) {
        this.vm = vm;
        this.windowStart = vm.windowStartProperty();
        this.windowEnd = vm.windowEndProperty();
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
        CriticalPathIndex p = vm.pathProperty().get();
        String path = "";
        if (p != null) {
            long on = p.pathNs(s.spanId());
            Long self = p.selfNs(s.spanId());
            path = "\nstage " + (p.stage(s.spanId()) == null ? "?" : p.stage(s.spanId()))
                    + (self == null ? "" : " · self " + Format.duration(self))
                    + (on > 0 ? " · on the critical path " + Format.duration(on) : " · not on the critical path");
        }
        setTooltip(new Tooltip(s.name() + "\n" + s.serviceName() + " · " + Format.duration(s.durationNs())
                + (s.isError() ? "\nerror" + (s.statusMessage() == null ? "" : ": " + s.statusMessage()) : "")
                + path));
    }

    /** The span's effective stage: the analysis' if known, else its own, else "other". */
    static String stageOf(SpanDetail s, CriticalPathIndex path) {
        String st = path == null ? null : path.stage(s.spanId());
        if (st == null && s.llm() != null) {
            st = s.llm().stage();
        }
        return st == null ? "other" : st;
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
            vm.pathProperty().addListener(o -> requestLayout());
            vm.showCriticalPathProperty().addListener(o -> requestLayout());
            vm.colorByStageProperty().addListener(o -> requestLayout());
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
            CriticalPathIndex path = vm.pathProperty().get();
            boolean showPath = path != null && vm.showCriticalPathProperty().get();
            boolean onPath = showPath && path.onPath(s.spanId());
            bar.getStyleClass().remove("tb-path-span");
            if (onPath) {
                bar.getStyleClass().add("tb-path-span");
            }
            if (right >= 0 && left <= w) {
                double bw = Math.max(2, right - left);
                bar.resizeRelocate(Math.min(left, w - 2), y, bw, barH);
                String color = vm.colorByStageProperty().get() ? StageColors.hex(stageOf(s, path))
                        : ServiceColors.css(s.serviceName());
                bar.setStyle("-fx-background-color: " + color + ";"
                        + (s.isError() ? "-fx-border-color: -tb-error-color; -fx-border-width: 2;"
                        : onPath ? "-fx-border-color: #263238; -fx-border-width: 1.5;" : ""));
                bar.setOpacity(showPath && !onPath ? 0.4 : 1.0);
                getChildren().add(bar);
                if (onPath) {
                    for (dev.tracebench.core.analysis.CriticalPath.Segment g : path.segments(s.spanId())) {
                        double gx0 = Math.max(0, (g.startNs() - ws) / (double) span * w);
                        double gx1 = Math.min(w, (g.endNs() - ws) / (double) span * w);
                        if (gx1 >= 0 && gx0 <= w) {
                            Region band = new Region();
                            band.getStyleClass().add("tb-path-segment");
                            band.resizeRelocate(gx0, y + barH - 4, Math.max(1.5, gx1 - gx0), 4);
                            getChildren().add(band);
                        }
                    }
                }
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
