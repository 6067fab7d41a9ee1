package dev.tracebench.views.live;

import dev.tracebench.core.live.LiveStats;
import dev.tracebench.core.report.Secrets;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.Styles;
import java.time.Instant;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.util.Duration;

/**
 * The live receiver's strip at the bottom of the window, visible whichever area is shown: where senders reach it, the
 * spans/s now and over the last minute, its counts, the last problem, and Stop (then Close). It polls the view model
 * while shown.
 */
public final class LivePanel extends VBox {
    private static final Color LINE = Color.web("#2f6690");
    private static final Color FILL = Color.web("#2f6690", 0.18);

    private final LiveViewModel vm;
    private final Timeline poll;
    private final Label state = new Label();
    private final Label rate = new Label();
    private final Label problem = new Label();
    private final Canvas chart = new Canvas(300, 58);
    private final Label chartMax = new Label();
    private final Label[] counts = new Label[6];
    private final Label queuedBytes = new Label();
    private final Button stop = new Button("Stop");
    private Runnable onClose = () -> { };

    public LivePanel(LiveViewModel vm) {
        this.vm = vm;
        setId("live-panel");
        getStyleClass().add("tb-live-panel");
        setSpacing(4);
        setPadding(new Insets(6, 10, 6, 10));

        state.setId("live-state");
        state.getStyleClass().add("tb-section-title");
        Label endpoints = new Label(String.join("   ·   ", vm.endpoints()));
        endpoints.setId("live-endpoints");
        endpoints.getStyleClass().add(Styles.MONO);
        endpoints.setTooltip(new Tooltip("Point an OpenTelemetry OTLP exporter here"));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        stop.setId("live-stop");
        stop.setOnAction(e -> {
            if (vm.runningProperty().get()) {
                vm.stop();
            } else {
                onClose.run();
            }
        });
        HBox head = new HBox(12, state, endpoints, spacer, stop);
        head.setAlignment(Pos.CENTER_LEFT);

        rate.setId("live-rate");
        rate.getStyleClass().add("tb-live-rate");
        Label perSecond = new Label("spans/s now");
        perSecond.getStyleClass().add(Styles.MUTED);
        VBox rateBox = new VBox(0, rate, perSecond);
        rateBox.setMinWidth(130);
        rateBox.setAlignment(Pos.CENTER_LEFT);

        chart.setId("live-chart");
        chartMax.getStyleClass().addAll(Styles.MUTED, "tb-live-chart-label");
        chartMax.setId("live-chart-max");
        Pane chartPane = new Pane(chart, chartMax);
        chartPane.getStyleClass().add("tb-live-chart");
        chartPane.setPrefSize(360, 58);
        chartPane.setMinSize(120, 58);
        chartMax.relocate(4, 0);
        chart.widthProperty().bind(chartPane.widthProperty());
        chart.widthProperty().addListener((o, a, b) -> draw());
        HBox.setHgrow(chartPane, Priority.ALWAYS);

        GridPane grid = new GridPane();
        grid.setHgap(6);
        grid.setVgap(2);
        String[] names = {"requests", "spans stored", "traces", "rejected", "throttled", "queued"};
        for (int i = 0; i < names.length; i++) {
            counts[i] = new Label();
            counts[i].setId("live-" + names[i].replace(' ', '-'));
            counts[i].getStyleClass().add("tb-live-count");
            counts[i].setMinWidth(Region.USE_PREF_SIZE);
            Label name = i == 5 ? queuedBytes : new Label(names[i]);
            name.getStyleClass().add(Styles.MUTED);
            name.setMinWidth(Region.USE_PREF_SIZE);
            grid.add(counts[i], (i % 3) * 2, i / 3);
            grid.add(name, (i % 3) * 2 + 1, i / 3);
        }
        counts[3].setTooltip(new Tooltip("Bad spans refused in partial-success responses"));
        counts[4].setTooltip(new Tooltip("Requests refused with a retry delay because the queue was full "
                + "(HTTP 429 / gRPC RESOURCE_EXHAUSTED)"));
        counts[5].setTooltip(new Tooltip("Spans accepted but not yet committed (and their encoded size, which the "
                + "back-pressure limit is on)"));
        queuedBytes.setId("live-queued-bytes");
        queuedBytes.setText("queued");
        HBox body = new HBox(16, rateBox, chartPane, grid);
        body.setAlignment(Pos.CENTER_LEFT);

        problem.setId("live-last-problem");
        problem.setWrapText(true);
        problem.setMaxWidth(Double.MAX_VALUE);
        problem.visibleProperty().bind(problem.textProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());
        problem.getStyleClass().add(Styles.ERROR);
        getChildren().addAll(head, body, problem);

        poll = new Timeline(new KeyFrame(Duration.millis(LiveViewModel.POLL.toMillis()), e -> vm.tick(Instant.now())));
        poll.setCycleCount(Timeline.INDEFINITE);
        vm.statsProperty().addListener((o, a, s) -> show(s));
        vm.pollsProperty().addListener((o, a, b) -> draw());
        vm.runningProperty().addListener((o, a, b) -> showState());
        vm.stoppingProperty().addListener((o, a, b) -> showState());
        vm.problemProperty().addListener((o, a, b) -> show(vm.statsProperty().get()));
        show(vm.statsProperty().get());
        showState();
        if (vm.runningProperty().get()) {
            poll.play();
        }
    }

    public LiveViewModel viewModel() {
        return vm;
    }

    /** Called when the user closes the panel of a stopped receiver. */
    public void setOnClose(Runnable onClose) {
        this.onClose = onClose;
    }

    private void showState() {
        boolean running = vm.runningProperty().get();
        boolean stopping = vm.stoppingProperty().get();
        if (!running) {
            poll.stop();
        }
        state.setText(running ? "● Receiving live traces" : stopping ? "Stopping: committing what was received…"
                : "Live receiver stopped");
        state.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("running"), running);
        stop.setText(running || stopping ? "Stop" : "Close");
        stop.setDisable(stopping);
        stop.setTooltip(new Tooltip(running ? "Stop receiving (what was received is committed first)"
                : "Close this panel"));
    }

    private void show(LiveStats s) {
        String vmProblem = vm.problemProperty().get();
        if (s == null) {
            problem.setText(vmProblem);
            return;
        }
        rate.setText(Format.count(Math.round(s.spansPerSecond())));
        counts[0].setText(Format.count(s.requests()));
        counts[1].setText(Format.count(s.spansStored()));
        counts[2].setText(Format.count(s.tracesStored()));
        counts[3].setText(Format.count(s.spansRejected()));
        counts[4].setText(Format.count(s.requestsThrottled()));
        counts[5].setText(Format.count(s.queuedSpans()));
        queuedBytes.setText("queued (" + Format.bytes(s.queuedBytes()) + ")");
        counts[3].pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("nonzero"), s.spansRejected() > 0);
        counts[4].pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("nonzero"),
                s.requestsThrottled() > 0);
        String last = s.lastProblem() == null ? "" : "Last problem: " + Secrets.maskText(s.lastProblem());
        problem.setText(vmProblem.isEmpty() ? last : vmProblem + (last.isEmpty() ? "" : "\n" + last));
    }

    /** The spans/s of the last minute as a filled line, scaled to its maximum. */
    private void draw() {
        double[] h = vm.history();
        double w = chart.getWidth();
        double ht = chart.getHeight();
        GraphicsContext g = chart.getGraphicsContext2D();
        g.clearRect(0, 0, w, ht);
        double max = 1;
        for (double v : h) {
            max = Math.max(max, v);
        }
        chartMax.setText("max " + Format.count(Math.round(max)) + "/s · last minute");
        if (h.length < 2) {
            return;
        }
        double step = w / (LiveViewModel.HISTORY - 1);
        double x0 = w - step * (h.length - 1);
        double top = 14;
        g.beginPath();
        g.moveTo(x0, ht);
        for (int i = 0; i < h.length; i++) {
            g.lineTo(x0 + i * step, ht - (ht - top) * h[i] / max);
        }
        g.lineTo(x0 + (h.length - 1) * step, ht);
        g.closePath();
        g.setFill(FILL);
        g.fill();
        g.beginPath();
        for (int i = 0; i < h.length; i++) {
            double x = x0 + i * step;
            double y = ht - (ht - top) * h[i] / max;
            if (i == 0) {
                g.moveTo(x, y);
            } else {
                g.lineTo(x, y);
            }
        }
        g.setStroke(LINE);
        g.setLineWidth(1.5);
        g.stroke();
    }
}
