package dev.tracebench.views.compare;

import dev.tracebench.core.analysis.CriticalPath;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceDetail;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.StageColors;
import dev.tracebench.views.trace.CriticalPathIndex;
import dev.tracebench.views.trace.WaterfallModel;
import java.util.List;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.util.Duration;

/**
 * One trace drawn small on a time scale shared with another: its critical path as a strip of stage-coloured
 * segments on top, then every span as a thin bar in waterfall order, coloured by stage (spans off the critical path
 * faded). Both traces start at zero, so equal lengths mean equal times.
 */
final class TraceStrip extends Region {
    static final double PATH_HEIGHT = 16;
    private final Canvas canvas = new Canvas();
    private final DoubleProperty scaleNs;
    private final Tooltip tip = new Tooltip();
    private TraceDetail trace;
    private CriticalPathIndex path;
    private List<WaterfallModel.Node> rows = List.of();
    private long startNs;

    TraceStrip(DoubleProperty scaleNs) {
        this.scaleNs = scaleNs;
        getChildren().add(canvas);
        getStyleClass().add("tb-trace-strip");
        scaleNs.addListener(o -> draw());
        tip.setShowDelay(Duration.millis(150));
        Tooltip.install(canvas, tip);
        canvas.setOnMouseMoved(e -> tip.setText(describe(e.getX(), e.getY())));
        setMinHeight(60);
        setPrefHeight(120);
    }

    void show(TraceDetail t, CriticalPathIndex p) {
        this.trace = t;
        this.path = p;
        if (t != null) {
            WaterfallModel w = new WaterfallModel(t);
            rows = w.flatten();
            startNs = w.startNs();
        } else {
            rows = List.of();
        }
        draw();
    }

    /** The trace's length on the shared scale: its duration (with the critical path, the analysis' duration). */
    static long durationOf(TraceDetail t, CriticalPathIndex p) {
        if (p != null) {
            return p.path().traceDurationNs();
        }
        if (t == null || t.spans().isEmpty()) {
            return 0;
        }
        WaterfallModel w = new WaterfallModel(t);
        return w.endNs() - w.startNs();
    }

    private String stageOf(SpanDetail s) {
        String st = path == null ? null : path.stage(s.spanId());
        if (st == null && s.llm() != null) {
            st = s.llm().stage();
        }
        return st == null ? "other" : st;
    }

    private double rowHeight() {
        double avail = getHeight() - PATH_HEIGHT - 6;
        return rows.isEmpty() ? 0 : Math.max(1.5, Math.min(9, avail / rows.size()));
    }

    private double x(long ns) {
        double scale = Math.max(1, scaleNs.get());
        return (ns - startNs) / scale * getWidth();
    }

    private void draw() {
        double w = getWidth();
        double h = getHeight();
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, canvas.getWidth(), canvas.getHeight());
        if (trace == null || w <= 0) {
            return;
        }
        if (path != null) {
            for (CriticalPath.Segment s : path.path().segments()) {
                SpanDetail span = find(s.spanId());
                String st = path.stage(s.spanId());
                g.setFill(StageColors.fx(st == null && span != null ? stageOf(span) : st));
                double x0 = x(s.startNs());
                g.fillRect(x0, 0, Math.max(1, x(s.endNs()) - x0), PATH_HEIGHT - 3);
            }
            if (path.path().unattributedNs() > 0) {
                g.setFill(StageColors.fx(StageColors.UNATTRIBUTED));
                double x0 = x(path.path().endNs());
                g.fillRect(x0, 0, Math.max(1, x(startNs + path.path().traceDurationNs()) - x0), PATH_HEIGHT - 3);
            }
        }
        double rh = rowHeight();
        double y = PATH_HEIGHT + 3;
        for (WaterfallModel.Node n : rows) {
            SpanDetail s = n.span();
            boolean on = path == null || path.onPath(s.spanId());
            Color c = StageColors.fx(stageOf(s));
            g.setFill(on ? c : c.deriveColor(0, 0.6, 1.1, 0.35));
            double x0 = x(Math.min(s.startNs(), s.endNs()));
            double x1 = x(Math.max(s.startNs(), s.endNs()));
            g.fillRect(x0, y, Math.max(1, x1 - x0), Math.max(1, rh - (rh > 3 ? 1 : 0)));
            if (s.isError()) {
                g.setStroke(Color.web("#c62828"));
                g.strokeRect(x0, y, Math.max(1, x1 - x0), Math.max(1, rh - 1));
            }
            y += rh;
        }
    }

    private SpanDetail find(long spanId) {
        for (WaterfallModel.Node n : rows) {
            if (n.span().spanId() == spanId) {
                return n.span();
            }
        }
        return null;
    }

    private String describe(double mx, double my) {
        if (trace == null) {
            return null;
        }
        long t = startNs + Math.round(mx / Math.max(1, getWidth()) * scaleNs.get());
        if (my < PATH_HEIGHT && path != null) {
            for (CriticalPath.Segment s : path.path().segments()) {
                if (t >= s.startNs() && t < s.endNs()) {
                    SpanDetail span = find(s.spanId());
                    return "Critical path: " + (span == null ? "?" : Format.spanName(span.name())) + " ("
                            + path.stage(s.spanId()) + ")\n" + Format.offset(s.startNs() - startNs) + " for "
                            + Format.duration(s.durationNs());
                }
            }
            return "Critical path";
        }
        int i = (int) ((my - PATH_HEIGHT - 3) / Math.max(0.1, rowHeight()));
        if (i >= 0 && i < rows.size()) {
            SpanDetail s = rows.get(i).span();
            return Format.spanName(s.name()) + " (" + stageOf(s) + ", " + s.serviceName() + ")\n"
                    + Format.offset(s.startNs() - startNs) + " for " + Format.duration(s.durationNs())
                    + (path != null && path.onPath(s.spanId()) ? " · on the critical path "
                    + Format.duration(path.pathNs(s.spanId())) : " · not on the critical path");
        }
        return null;
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(getWidth());
        canvas.setHeight(getHeight());
        draw();
    }
}
