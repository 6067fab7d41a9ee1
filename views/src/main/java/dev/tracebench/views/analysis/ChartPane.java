package dev.tracebench.views.analysis;

import java.awt.geom.Rectangle2D;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartCanvas;
import org.jfree.chart.fx.interaction.MouseHandlerFX;
import org.jfree.chart.plot.XYPlot;

/**
 * A JFreeChart on a JavaFX canvas that fills the pane, with tooltips, a busy overlay and a message overlay ("No
 * requests", a failure). Optionally the user drags a rectangle over the plot (a brush) instead of zooming; the pane
 * reports it in data coordinates.
 */
public class ChartPane extends Region {
    /** A brushed rectangle in data coordinates (x0 < x1, y0 < y1); {@code click} for a click without a drag. */
    interface BrushListener {
        void brushed(double x0, double x1, double y0, double y1, boolean click);
    }

    private final JFreeChart chart;
    private final ChartCanvas canvas;
    private final Rectangle brush = new Rectangle();
    private final ProgressIndicator busy = new ProgressIndicator();
    private final Label message = new Label();
    private final VBox overlay = new VBox(8, busy, message);
    private BrushListener brushListener;
    private double pressX;
    private double pressY;
    private boolean dragging;

    public ChartPane(JFreeChart chart) {
        this.chart = chart;
        this.canvas = new ChartCanvas(chart);
        canvas.setTooltipEnabled(true);
        // no zooming or panning: these charts stay in step with the table
        for (String id : new String[] {"pan", "zoom"}) {
            MouseHandlerFX h = canvas.getMouseHandler(id);
            if (h != null) {
                canvas.removeMouseHandler(h);
            }
        }
        canvas.addEventFilter(ScrollEvent.ANY, ScrollEvent::consume);
        brush.getStyleClass().add("tb-brush");
        brush.setManaged(false);
        brush.setVisible(false);
        brush.setMouseTransparent(true);
        busy.setMaxSize(36, 36);
        busy.setVisible(false);
        message.getStyleClass().add("tb-chart-message");
        message.setWrapText(true);
        message.setMaxWidth(420);
        message.setVisible(false); // an empty message would still draw its white box over the chart
        overlay.setAlignment(Pos.CENTER);
        overlay.setMouseTransparent(true);
        overlay.setManaged(false);
        getChildren().addAll(canvas, brush, overlay);
        getStyleClass().add("tb-chart");
        setMinSize(120, 80);
    }

    public JFreeChart chart() {
        return chart;
    }

    public XYPlot plot() {
        return chart.getXYPlot();
    }

    ChartCanvas canvas() {
        return canvas;
    }

    public void setLoading(boolean loading) {
        busy.setVisible(loading);
        canvas.setOpacity(loading ? 0.55 : 1.0);
    }

    /** A message over the chart (null or empty: none). */
    public void setMessage(String text) {
        message.setText(text == null ? "" : text);
        message.setVisible(text != null && !text.isEmpty());
    }

    public String message() {
        return message.isVisible() ? message.getText() : "";
    }

    /** Lets the user drag rectangles over the plot. */
    void setBrushListener(BrushListener l) {
        this.brushListener = l;
        canvas.addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        canvas.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
        canvas.addEventHandler(MouseEvent.MOUSE_RELEASED, this::released);
        canvas.setCursor(javafx.scene.Cursor.CROSSHAIR);
    }

    /** The plot's data area in pane coordinates (null before the first drawing). */
    Rectangle2D dataArea() {
        ChartRenderingInfo info = canvas.getRenderingInfo();
        return info == null || info.getPlotInfo() == null ? null : info.getPlotInfo().getDataArea();
    }

    private void pressed(MouseEvent e) {
        Rectangle2D a = dataArea();
        if (e.getButton() != MouseButton.PRIMARY || a == null || !a.contains(e.getX(), e.getY())) {
            return;
        }
        pressX = e.getX();
        pressY = e.getY();
        dragging = true;
        updateBrush(e.getX(), e.getY());
    }

    private void dragged(MouseEvent e) {
        if (dragging) {
            updateBrush(e.getX(), e.getY());
        }
    }

    private void released(MouseEvent e) {
        if (!dragging) {
            return;
        }
        dragging = false;
        brush.setVisible(false);
        brushScreen(pressX, pressY, e.getX(), e.getY());
    }

    private void updateBrush(double x, double y) {
        Rectangle2D a = dataArea();
        double x0 = clamp(Math.min(pressX, x), a.getMinX(), a.getMaxX());
        double x1 = clamp(Math.max(pressX, x), a.getMinX(), a.getMaxX());
        double y0 = clamp(Math.min(pressY, y), a.getMinY(), a.getMaxY());
        double y1 = clamp(Math.max(pressY, y), a.getMinY(), a.getMaxY());
        brush.setX(x0);
        brush.setY(y0);
        brush.setWidth(x1 - x0);
        brush.setHeight(y1 - y0);
        brush.setVisible(true);
    }

    /**
     * Reports the rectangle between two points of the pane to the brush listener (in data coordinates): what a
     * drag does; a movement under 4 pixels is a click.
     */
    void brushScreen(double ax, double ay, double bx, double by) {
        Rectangle2D a = dataArea();
        if (a == null || brushListener == null) {
            return;
        }
        XYPlot p = plot();
        double x0 = clamp(Math.min(ax, bx), a.getMinX(), a.getMaxX());
        double x1 = clamp(Math.max(ax, bx), a.getMinX(), a.getMaxX());
        double y0 = clamp(Math.min(ay, by), a.getMinY(), a.getMaxY());
        double y1 = clamp(Math.max(ay, by), a.getMinY(), a.getMaxY());
        boolean click = x1 - x0 < 4 && y1 - y0 < 4;
        double dx0 = p.getDomainAxis().java2DToValue(x0, a, p.getDomainAxisEdge());
        double dx1 = p.getDomainAxis().java2DToValue(x1, a, p.getDomainAxisEdge());
        // screen y grows downwards, values upwards
        double dy0 = p.getRangeAxis().java2DToValue(y1, a, p.getRangeAxisEdge());
        double dy1 = p.getRangeAxis().java2DToValue(y0, a, p.getRangeAxisEdge());
        brushListener.brushed(Math.min(dx0, dx1), Math.max(dx0, dx1), Math.min(dy0, dy1), Math.max(dy0, dy1),
                click);
    }

    /** {@link #brushScreen} with the corners as fractions of the data area (0,0 top left), for tests. */
    void brushFraction(double fx0, double fy0, double fx1, double fy1) {
        Rectangle2D a = dataArea();
        if (a != null) {
            brushScreen(a.getMinX() + fx0 * a.getWidth(), a.getMinY() + fy0 * a.getHeight(),
                    a.getMinX() + fx1 * a.getWidth(), a.getMinY() + fy1 * a.getHeight());
        }
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    @Override
    protected void layoutChildren() {
        double w = getWidth();
        double h = getHeight();
        canvas.relocate(0, 0);
        canvas.setWidth(w);
        canvas.setHeight(h);
        overlay.resizeRelocate(0, 0, w, h);
    }

    @Override
    protected double computePrefWidth(double height) {
        return 480;
    }

    @Override
    protected double computePrefHeight(double width) {
        return 260;
    }
}
