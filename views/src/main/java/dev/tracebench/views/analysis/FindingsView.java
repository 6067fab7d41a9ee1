package dev.tracebench.views.analysis;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.views.common.Styles;
import java.io.File;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.ObjLongConsumer;
import java.util.function.Supplier;
import java.util.List;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.util.Duration;

/**
 * "Why are these requests slow?": runs Explain on the Latency area's cohort (with progress and Cancel) and lists
 * the findings; exports them as Markdown; edits the thresholds.
 */
final class FindingsView extends BorderPane {
    /** The Latency area's button that explains the cohort (and shows this view). */
    static final String ASK = "Why are these slow?";
    /** This view's own button: explain the current cohort again (after changing it or the thresholds). */
    static final String EXPLAIN = "Explain";

    private final FindingsViewModel vm;
    private final Supplier<Cohort> cohort;
    private final FindingList list;
    private final Label status = new Label();
    private final Timeline ticker;

    /**
     * @param onOpen       opens an example trace on the span the finding names (0: the trace as a whole)
     * @param onShowTraces lists the traces a finding is about (null: not offered)
     */
    FindingsView(FindingsViewModel vm, Supplier<Cohort> cohort, ObjLongConsumer<TraceId> onOpen,
            BiConsumer<Cohort, String> onShowTraces) {
        this.vm = vm;
        this.cohort = cohort;
        setId("findings-view");
        list = new FindingList(vm.findings(), onOpen, onShowTraces);
        list.setId("findings-list");
        Label empty = new Label(emptyText());
        empty.setId("findings-empty");
        empty.setWrapText(true);
        empty.setMaxWidth(560);
        empty.getStyleClass().add(Styles.MUTED);
        list.setPlaceholder(empty);

        Label title = new Label();
        title.getStyleClass().add(Styles.TITLE);
        title.setId("findings-title");
        title.textProperty().bind(Bindings.createStringBinding(() -> {
            Cohort c = vm.explainedProperty().get();
            if (c == null) {
                return "Why are these requests slow?";
            }
            boolean slow = c.kind() == Cohort.Kind.SLOW_THRESHOLD || (c.kind() == Cohort.Kind.SLOW_PERCENTILE
                    && c.metric() == Cohort.Metric.DURATION);
            return slow ? "Why are " + c.label() + " slow?" : "What sets " + c.label() + " apart?";
        }, vm.explainedProperty()));

        Button explain = new Button(EXPLAIN);
        explain.setId("findings-explain");
        explain.setDefaultButton(false);
        explain.setTooltip(new Tooltip("Find what sets the cohort's requests apart from the others"));
        explain.setOnAction(e -> explain());
        explain.disableProperty().bind(vm.explainingProperty());
        Button cancel = new Button("Cancel");
        cancel.setId("findings-cancel");
        cancel.setOnAction(e -> vm.cancel());
        cancel.visibleProperty().bind(vm.explainingProperty());
        cancel.managedProperty().bind(vm.explainingProperty());
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(20, 20);
        busy.setMaxSize(20, 20);
        busy.visibleProperty().bind(vm.explainingProperty());
        busy.managedProperty().bind(vm.explainingProperty());
        status.setId("findings-status");
        status.getStyleClass().add(Styles.MUTED);
        Button thresholds = new Button("Thresholds…");
        thresholds.setId("findings-thresholds");
        thresholds.setTooltip(new Tooltip("The thresholds of Explain and of the checks"));
        thresholds.setOnAction(e -> editThresholds());
        Button export = new Button("Export Markdown…");
        export.setId("findings-export");
        export.setTooltip(new Tooltip("Save these findings as Markdown (for an incident document)"));
        export.disableProperty().bind(Bindings.isEmpty(vm.findings()));
        export.setOnAction(e -> export());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(8, title, spacer, busy, status, explain, cancel, thresholds, export);
        // the buttons keep their words; the title and the progress message give way (with an ellipsis)
        for (Button b : List.of(explain, cancel, thresholds, export)) {
            b.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        }
        title.setMinWidth(120);
        status.setMinWidth(0);
        bar.setMinWidth(0);
        bar.setAlignment(Pos.CENTER_LEFT);
        Label problem = new Label();
        problem.setId("findings-problem");
        problem.getStyleClass().add(Styles.ERROR);
        problem.setStyle("-fx-text-fill: -tb-error-color;");
        problem.setWrapText(true);
        problem.textProperty().bind(vm.problemProperty());
        problem.visibleProperty().bind(vm.problemProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());
        Label exportStatus = new Label();
        exportStatus.setId("findings-export-status");
        exportStatus.getStyleClass().add(Styles.MUTED);
        exportStatus.textProperty().bind(vm.exportStatusProperty());
        exportStatus.managedProperty().bind(vm.exportStatusProperty().isNotEmpty());
        VBox top = new VBox(4, bar, problem, exportStatus);
        top.setPadding(new Insets(8));
        top.getStyleClass().add(Styles.HEADER);
        setTop(top);
        setCenter(list);

        ticker = new Timeline(new KeyFrame(Duration.millis(250), e -> updateStatus()));
        ticker.setCycleCount(Timeline.INDEFINITE);
        vm.explainingProperty().addListener((o, a, running) -> {
            if (running) {
                ticker.play();
            } else {
                ticker.stop();
            }
            updateStatus();
        });
        vm.statusProperty().addListener((o, a, b) -> updateStatus());
        vm.findings().addListener((javafx.collections.ListChangeListener<Object>) c -> {
            if (!vm.findings().isEmpty()) {
                list.getSelectionModel().select(0);
            }
        });
        updateStatus();
    }

    FindingList list() {
        return list;
    }

    /** What the empty list says, naming the buttons as they read. */
    static String emptyText() {
        return "Explain compares the requests of the cohort with all the others: which stages, attributes and "
                + "resources set them apart, alone or together, and how much time each adds. Pick a cohort above "
                + "(e.g. Slow ≥ p95) and press \u201c" + ASK + "\u201d (or \u201c" + EXPLAIN + "\u201d here).";
    }

    /** Explains the current cohort. */
    void explain() {
        vm.explain(cohort.get());
        list.requestFocus();
    }

    private void updateStatus() {
        String s = vm.statusProperty().get();
        if (vm.explainingProperty().get()) {
            s = s + String.format(Locale.ROOT, "  %.1f s", vm.elapsedSeconds());
        }
        status.setText(s);
    }

    private void editThresholds() {
        new CheckSettingsDialog(getScene().getWindow(), vm.settingsProperty().get()).showAndWait()
                .ifPresent(vm.settingsProperty()::set);
    }

    private void export() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Export findings as Markdown");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Markdown (*.md)", "*.md"));
        fc.setInitialFileName("findings.md");
        File f = fc.showSaveDialog(getScene().getWindow());
        if (f != null) {
            vm.exportMarkdown(f.toPath());
        }
    }
}
