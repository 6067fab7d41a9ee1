package dev.tracebench.views.compare;

import dev.tracebench.core.analysis.Comparison;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.query.TraceSummary;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.StageColors;
import dev.tracebench.views.common.Styles;
import dev.tracebench.views.trace.CriticalPathIndex;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;

/**
 * Two traces compared: who they are (operation, duration, service), where their time went on one time scale (the
 * critical path by stage as a bar, and both waterfalls in small), and the per-stage and per-operation differences
 * (B minus A, largest first; slower in red, faster in green).
 */
public final class CompareView extends BorderPane {
    private final CompareViewModel vm;
    private final Consumer<TraceId> onOpen;
    private final DoubleProperty scaleNs = new SimpleDoubleProperty(1);
    private final VBox cardA = new VBox(2);
    private final VBox cardB = new VBox(2);
    private final Label verdict = new Label();
    private final StageBar barA = new StageBar();
    private final StageBar barB = new StageBar();
    private final TraceStrip stripA = new TraceStrip(scaleNs);
    private final TraceStrip stripB = new TraceStrip(scaleNs);
    private final TableView<Comparison.Delta> stages = new TableView<>();
    private final TableView<Comparison.Delta> operations = new TableView<>();

    public CompareView(CompareViewModel vm, Consumer<TraceId> onOpen) {
        this.vm = vm;
        this.onOpen = onOpen;
        setId("compare-view");

        Label title = new Label("Compare traces");
        title.getStyleClass().add(Styles.TITLE);
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(18, 18);
        busy.setMaxSize(18, 18);
        busy.visibleProperty().bind(vm.loadingProperty());
        Label status = new Label();
        status.getStyleClass().add(Styles.MUTED);
        status.textProperty().bind(vm.statusProperty());
        Label problem = new Label();
        problem.setId("compare-problem");
        problem.getStyleClass().add("tb-banner-error");
        problem.textProperty().bind(vm.problemProperty());
        problem.visibleProperty().bind(vm.problemProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());
        problem.setMaxWidth(Double.MAX_VALUE);
        HBox head = new HBox(10, title, busy, status);
        head.setAlignment(Pos.CENTER_LEFT);
        cardA.setId("compare-card-a");
        cardB.setId("compare-card-b");
        for (VBox c : List.of(cardA, cardB)) {
            c.getStyleClass().add("tb-compare-card");
            c.setPadding(new Insets(6, 10, 6, 10));
            HBox.setHgrow(c, Priority.ALWAYS);
            c.setMaxWidth(Double.MAX_VALUE);
        }
        verdict.setId("compare-verdict");
        verdict.getStyleClass().add("tb-compare-verdict");
        verdict.setWrapText(true);
        HBox cards = new HBox(10, cardA, cardB);
        VBox top = new VBox(6, head, problem, cards, verdict);
        top.setPadding(new Insets(8));
        top.getStyleClass().add(Styles.HEADER);
        setTop(top);

        SplitPane split = new SplitPane(timeSection(), tables());
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.5);
        setCenter(split);

        vm.comparisonProperty().addListener((o, a, c) -> showComparison(c));
        vm.traceAProperty().addListener(o -> showTraces());
        vm.traceBProperty().addListener(o -> showTraces());
        vm.pathAProperty().addListener(o -> showTraces());
        vm.pathBProperty().addListener(o -> showTraces());
        card(cardA, "A", null);
        card(cardB, "B", null);
        vm.load();
    }

    public CompareViewModel viewModel() {
        return vm;
    }

    TableView<Comparison.Delta> stageTable() {
        return stages;
    }

    TableView<Comparison.Delta> operationTable() {
        return operations;
    }

    /** The shared time scale of the bars and strips, in ns. */
    double scaleNs() {
        return scaleNs.get();
    }

    StageBar barA() {
        return barA;
    }

    StageBar barB() {
        return barB;
    }

    // ------------------------------------------------------------------ cards

    private void card(VBox box, String which, TraceSummary s) {
        boolean a = which.equals("A");
        String role = a ? (vm.isTypical() ? "A · a typical trace of the same operation (baseline)" : "A · baseline")
                : (vm.isTypical() ? "B · this trace" : "B");
        Label r = new Label(role);
        r.getStyleClass().add(Styles.MUTED);
        if (s == null) {
            TraceId id = a ? vm.aProperty().get() : vm.bProperty().get();
            Label l = new Label(id == null ? "…" : id.hex());
            l.getStyleClass().add(Styles.MONO);
            box.getChildren().setAll(r, l);
            return;
        }
        Label name = new Label(Format.spanName(s.rootName()));
        name.getStyleClass().add("tb-compare-name");
        Label dur = new Label(Format.duration(s.durationNs()));
        dur.getStyleClass().add("tb-compare-duration");
        dur.setId(a ? "compare-duration-a" : "compare-duration-b");
        HBox line = new HBox(10, name, dur);
        line.setAlignment(Pos.BASELINE_LEFT);
        Label facts = new Label(s.serviceName() + "  ·  " + Format.count(s.spanCount()) + " spans  ·  "
                + (s.errorCount() == 0 ? "no errors" : s.errorCount() + " error" + (s.errorCount() == 1 ? "" : "s"))
                + "  ·  started " + Format.dateTime(s.startNs()));
        facts.getStyleClass().add(Styles.MUTED);
        Hyperlink open = new Hyperlink("Open " + s.traceId().hex().substring(0, 12) + "…");
        open.getStyleClass().add(Styles.MONO);
        open.setId(a ? "compare-open-a" : "compare-open-b");
        open.setTooltip(new Tooltip("Open trace " + s.traceId().hex() + " in a tab"));
        open.setOnAction(e -> onOpen.accept(s.traceId()));
        box.getChildren().setAll(r, line, facts, open);
    }

    private void showComparison(Comparison c) {
        if (c == null) {
            stages.getItems().clear();
            operations.getItems().clear();
            verdict.setText("");
            return;
        }
        card(cardA, "A", c.a());
        card(cardB, "B", c.b());
        long d = c.b().durationNs() - c.a().durationNs();
        String pct = c.a().durationNs() > 0 ? String.format(Locale.ROOT, " (%s%.0f%%)", d >= 0 ? "+" : "−",
                100.0 * Math.abs(d) / c.a().durationNs()) : "";
        StringBuilder sb = new StringBuilder("B took ").append(Format.duration(Math.abs(d)))
                .append(d >= 0 ? " longer" : " less").append(pct).append(" than A");
        // the stages that explain the difference: the largest, and a second only if it is a tenth of it or more
        List<Comparison.Delta> top = c.stages().stream().filter(x -> x.deltaNs() != 0)
                .sorted(Comparator.comparingLong(x -> -Math.abs(x.deltaNs()))).limit(2).toList();
        if (top.size() == 2 && Math.abs(top.get(1).deltaNs()) * 10 < Math.abs(top.get(0).deltaNs())) {
            top = top.subList(0, 1);
        }
        if (!top.isEmpty()) {
            sb.append(", mostly in ");
            for (int i = 0; i < top.size(); i++) {
                sb.append(i == 0 ? "" : " and ").append(top.get(i).stage()).append(" (")
                        .append(signed(top.get(i).deltaNs())).append(")");
            }
        }
        verdict.setText(sb.append('.').toString());
        stages.getItems().setAll(sorted(c.stages()));
        operations.getItems().setAll(sorted(c.operations()));
        showTraces();
    }

    private static List<Comparison.Delta> sorted(List<Comparison.Delta> list) {
        List<Comparison.Delta> out = new ArrayList<>(list);
        out.sort(Comparator.comparingLong(x -> -Math.abs(x.deltaNs())));
        return out;
    }

    static String signed(long ns) {
        return ns == 0 ? "±0" : (ns > 0 ? "+" : "−") + Format.duration(Math.abs(ns));
    }

    // ------------------------------------------------------------------ time section

    private VBox timeSection() {
        Label title = new Label("Where the time went, on one time scale");
        title.getStyleClass().add("tb-section-title");
        Label hint = new Label("Bars: the critical path by stage. Below: every span, critical path on top; spans off "
                + "the path are faded.");
        hint.getStyleClass().add(Styles.MUTED);
        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(4);
        ColumnConstraints c0 = new ColumnConstraints(24);
        ColumnConstraints c1 = new ColumnConstraints();
        c1.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().addAll(c0, c1);
        barA.setId("compare-bar-a");
        barB.setId("compare-bar-b");
        stripA.setId("compare-strip-a");
        stripB.setId("compare-strip-b");
        grid.addRow(0, rowLabel("A"), barA);
        grid.addRow(1, rowLabel("B"), barB);
        grid.add(new ScaleAxis(scaleNs), 1, 2);
        grid.addRow(3, rowLabel("A"), stripA);
        grid.addRow(4, rowLabel("B"), stripB);
        GridPane.setVgrow(stripA, Priority.ALWAYS);
        GridPane.setVgrow(stripB, Priority.ALWAYS);
        VBox box = new VBox(4, title, hint, grid);
        VBox.setVgrow(grid, Priority.ALWAYS);
        box.setPadding(new Insets(8));
        return box;
    }

    private static Label rowLabel(String s) {
        Label l = new Label(s);
        l.getStyleClass().add("tb-section-title");
        return l;
    }

    private void showTraces() {
        CriticalPathIndex pa = vm.pathAProperty().get();
        CriticalPathIndex pb = vm.pathBProperty().get();
        long da = TraceStrip.durationOf(vm.traceAProperty().get(), pa);
        long db = TraceStrip.durationOf(vm.traceBProperty().get(), pb);
        scaleNs.set(Math.max(1, Math.max(da, db)));
        barA.show(pa == null ? Map.of() : pa.byStage(), da);
        barB.show(pb == null ? Map.of() : pb.byStage(), db);
        stripA.show(vm.traceAProperty().get(), pa);
        stripB.show(vm.traceBProperty().get(), pb);
    }

    /** A trace's critical path by stage: segments on the shared scale, with the total beside them. */
    final class StageBar extends HBox {
        private final Pane track = new Pane();
        private final Label total = new Label();
        private Map<String, Long> byStage = Map.of();
        private long duration;

        StageBar() {
            super(8);
            setAlignment(Pos.CENTER_LEFT);
            track.setPrefHeight(18);
            track.setMinHeight(18);
            HBox.setHgrow(track, Priority.ALWAYS);
            total.setMinWidth(Region.USE_PREF_SIZE);
            getChildren().addAll(track, total);
            track.widthProperty().addListener(o -> draw());
            scaleNs.addListener(o -> draw());
        }

        void show(Map<String, Long> stagesOf, long durationNs) {
            byStage = stagesOf;
            duration = durationNs;
            total.setText(durationNs == 0 ? "" : Format.duration(durationNs));
            draw();
        }

        /** The stages drawn, in order (for tests). */
        Map<String, Long> stages() {
            return byStage;
        }

        private void draw() {
            track.getChildren().clear();
            double w = track.getWidth();
            double x = 0;
            for (Map.Entry<String, Long> e : byStage.entrySet()) {
                double sw = w * e.getValue() / Math.max(1, scaleNs.get());
                Rectangle r = new Rectangle(x, 0, Math.max(0.5, sw), 18);
                r.setFill(StageColors.fx(e.getKey()));
                Tooltip.install(r, new Tooltip(e.getKey() + ": " + Format.duration(e.getValue()) + String.format(
                        Locale.ROOT, " (%.0f%%)", 100.0 * e.getValue() / Math.max(1, duration))));
                track.getChildren().add(r);
                if (sw > 46) {
                    Label l = new Label(Format.duration(e.getValue()));
                    l.getStyleClass().add("tb-bar-segment-label");
                    l.relocate(x + 4, 1);
                    l.setMouseTransparent(true);
                    track.getChildren().add(l);
                }
                x += sw;
            }
        }
    }

    // ------------------------------------------------------------------ tables

    private SplitPane tables() {
        setUpTable(stages, "compare-stages", "Stage", d -> StageColors.label(d.stage()), true);
        setUpTable(operations, "compare-operations", "Operation", d -> d.operation() + "  (" + d.stage() + ")",
                false);
        VBox left = titled("Difference by stage (critical path)", stages);
        VBox right = titled("Difference by operation", operations);
        SplitPane s = new SplitPane(left, right);
        s.setDividerPositions(0.45);
        return s;
    }

    private static VBox titled(String title, TableView<?> t) {
        Label l = new Label(title);
        l.getStyleClass().add("tb-section-title");
        VBox b = new VBox(4, l, t);
        VBox.setVgrow(t, Priority.ALWAYS);
        b.setPadding(new Insets(6));
        return b;
    }

    private void setUpTable(TableView<Comparison.Delta> t, String id, String what,
            Function<Comparison.Delta, String> name, boolean swatch) {
        t.setId(id);
        t.setFixedCellSize(24);
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        t.setPlaceholder(new Label("Loading…"));
        TableColumn<Comparison.Delta, Comparison.Delta> n = new TableColumn<>(what);
        n.setCellValueFactory(f -> new ReadOnlyObjectWrapper<>(f.getValue()));
        n.setComparator(Comparator.comparing(name));
        n.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Comparison.Delta d, boolean empty) {
                super.updateItem(d, empty);
                if (empty || d == null) {
                    setText(null);
                    setGraphic(null);
                    return;
                }
                setText(name.apply(d));
                Rectangle r = new Rectangle(10, 10, StageColors.fx(d.stage()));
                setGraphic(r);
            }
        });
        n.setPrefWidth(swatch ? 130 : 220);
        TableColumn<Comparison.Delta, Long> a = duration("A", Comparison.Delta::aNs);
        TableColumn<Comparison.Delta, Long> b = duration("B", Comparison.Delta::bNs);
        TableColumn<Comparison.Delta, Long> d = new TableColumn<>("B − A");
        d.setCellValueFactory(f -> new ReadOnlyObjectWrapper<>(f.getValue().deltaNs()));
        d.setComparator(Comparator.comparingLong(x -> Math.abs(x)));
        d.setCellFactory(c -> new DeltaCell(t));
        d.setPrefWidth(190);
        TableColumn<Comparison.Delta, String> spans = new TableColumn<>("Spans A / B");
        spans.setCellValueFactory(f -> new ReadOnlyObjectWrapper<>(f.getValue().aSpans() + " / "
                + f.getValue().bSpans()));
        spans.setStyle("-fx-alignment: CENTER-RIGHT;");
        spans.setPrefWidth(84);
        t.getColumns().setAll(List.of(n, a, b, d, spans));
    }

    private static TableColumn<Comparison.Delta, Long> duration(String title,
            java.util.function.ToLongFunction<Comparison.Delta> f) {
        TableColumn<Comparison.Delta, Long> c = new TableColumn<>(title);
        c.setCellValueFactory(x -> new ReadOnlyObjectWrapper<>(f.applyAsLong(x.getValue())));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(Long v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : v == 0 ? "0" : Format.duration(v));
            }
        });
        c.setStyle("-fx-alignment: CENTER-RIGHT;");
        c.setPrefWidth(74);
        return c;
    }

    /** The difference as signed text and a bar growing right (slower, red) or left (faster, green). */
    private static final class DeltaCell extends TableCell<Comparison.Delta, Long> {
        private final TableView<Comparison.Delta> table;
        private final Pane track = new Pane();
        private final Rectangle bar = new Rectangle();
        private final Label text = new Label();
        private final HBox box = new HBox(6, text, track);

        DeltaCell(TableView<Comparison.Delta> table) {
            this.table = table;
            track.getChildren().add(bar);
            track.setPrefSize(80, 12);
            track.setMinWidth(80);
            text.setMinWidth(72);
            text.setAlignment(Pos.CENTER_RIGHT);
            box.setAlignment(Pos.CENTER_LEFT);
            setText(null);
        }

        @Override
        protected void updateItem(Long v, boolean empty) {
            super.updateItem(v, empty);
            text.getStyleClass().removeAll("tb-delta-slower", "tb-delta-faster");
            if (empty || v == null) {
                setGraphic(null);
                return;
            }
            long max = table.getItems().stream().mapToLong(d -> Math.abs(d.deltaNs())).max().orElse(1);
            double half = 40;
            double w = half * Math.abs(v) / Math.max(1, max);
            bar.setHeight(12);
            bar.setWidth(Math.max(v == 0 ? 0 : 1, w));
            bar.setX(v >= 0 ? half : half - w);
            bar.setFill(javafx.scene.paint.Color.web(v > 0 ? "#c62828" : "#2e7d32"));
            text.setText(signed(v));
            if (v > 0) {
                text.getStyleClass().add("tb-delta-slower");
            } else if (v < 0) {
                text.getStyleClass().add("tb-delta-faster");
            }
            setGraphic(box);
        }
    }
}
