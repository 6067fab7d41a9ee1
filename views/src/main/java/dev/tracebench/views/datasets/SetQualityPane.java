package dev.tracebench.views.datasets;

import dev.tracebench.core.dataset.Coverage;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.NearDuplicates;
import dev.tracebench.core.dataset.StratifiedSample;
import dev.tracebench.views.common.BackgroundTasks;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.Styles;
import dev.tracebench.views.common.TableCopy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * "Quality of the set": near-duplicate groups of the draft's examples (merge one or all), coverage by dimension with
 * balance warnings, and a stratified sample down to a target size. Analyses run as background tasks on a snapshot of
 * the draft; merges and the sample are edits of the draft (one undo step each), saved with the next version.
 */
final class SetQualityPane extends VBox {
    /** The size teams aim a golden set at, the sample's default target. */
    static final int DEFAULT_TARGET = 150;

    private final DatasetsViewModel vm;
    private final BackgroundTasks tasks;
    private final TableView<NearDuplicates.Group> groups = new TableView<>();
    private final TableView<Coverage.Count> counts = new TableView<>();
    private final TableView<Coverage.Warning> warnings = new TableView<>();
    private final ComboBox<String> dimension = new ComboBox<>();
    private final Label duplicateStatus = new Label();
    private final Label coverageStatus = new Label();
    private final Label sampleStatus = new Label();
    private final Spinner<Double> threshold = new Spinner<>(0.5, 1.0, 0.8, 0.05);
    private final Spinner<Integer> target = new Spinner<>(1, 1_000_000, DEFAULT_TARGET, 10);
    private final ComboBox<String> sampleBy = new ComboBox<>();
    private Coverage coverage;
    /** The examples the groups were found in: a merge applies only while the draft still holds them. */
    private List<DatasetExample> groupedFrom = List.of();

    SetQualityPane(DatasetsViewModel vm, BackgroundTasks tasks) {
        this.vm = vm;
        this.tasks = tasks;
        setId("datasets-quality");
        SplitPane split = new SplitPane(duplicatesPane(), coveragePane());
        split.setDividerPositions(0.5);
        VBox.setVgrow(split, Priority.ALWAYS);
        getChildren().addAll(samplePane(), split);
        vm.selectedProperty().addListener((o, a, b) -> forget());
    }

    TableView<NearDuplicates.Group> groups() {
        return groups;
    }

    TableView<Coverage.Warning> warnings() {
        return warnings;
    }

    private void forget() {
        groups.getItems().clear();
        counts.getItems().clear();
        warnings.getItems().clear();
        coverage = null;
        for (Label l : List.of(duplicateStatus, coverageStatus, sampleStatus)) {
            l.setText("");
        }
    }

    // ------------------------------------------------------------------ near-duplicates

    private Node duplicatesPane() {
        Label title = section("Near-duplicates");
        threshold.setId("datasets-dup-threshold");
        threshold.setPrefWidth(80);
        threshold.setMinWidth(80);
        threshold.setEditable(true);
        threshold.setTooltip(new Tooltip("Jaccard similarity of the inputs' character 4-grams: 0.8 catches a word "
                + "changed in a question of ten, 1.0 only differences of case, spacing and punctuation"));
        Button find = new Button("Find");
        find.setId("datasets-dup-find");
        find.setOnAction(e -> findDuplicates());
        Button merge = new Button("Merge selected");
        merge.setId("datasets-dup-merge");
        merge.setTooltip(new Tooltip("Keep the group's first example, with the others' tags, passages and notes"));
        merge.disableProperty().bind(groups.getSelectionModel().selectedItemProperty().isNull());
        merge.setOnAction(e -> merge(List.of(groups.getSelectionModel().getSelectedItem())));
        Button mergeAll = new Button("Merge all");
        mergeAll.setId("datasets-dup-merge-all");
        mergeAll.disableProperty().bind(javafx.beans.binding.Bindings.isEmpty(groups.getItems()));
        mergeAll.setOnAction(e -> merge(List.copyOf(groups.getItems())));
        Label at = muted("similarity ≥");
        for (Region r : List.of(find, merge, mergeAll, at)) {
            r.setMinWidth(Region.USE_PREF_SIZE);
        }
        HBox bar = new HBox(8, title, at, threshold, find, merge, mergeAll);
        bar.setAlignment(Pos.CENTER_LEFT);
        groups.setId("datasets-dup-groups");
        groups.getColumns().setAll(List.of(
                DatasetsView.textColumn("Examples", 150, g -> String.join(", ", g.ids())),
                DatasetsView.textColumn("Similarity", 70, g -> String.format(java.util.Locale.ROOT, "%.2f",
                        g.similarity())),
                DatasetsView.textColumn("Input (kept)", 260, g -> DatasetsView.oneLine(inputOf(g.ids().get(0)),
                        160))));
        groups.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        groups.setPlaceholder(new Label("Find near-duplicate inputs in the examples being edited."));
        TableCopy.install(groups);
        duplicateStatus.setId("datasets-dup-status");
        duplicateStatus.getStyleClass().add(Styles.MUTED);
        VBox box = new VBox(6, bar, duplicateStatus, groups);
        VBox.setVgrow(groups, Priority.ALWAYS);
        box.setPadding(new Insets(6, 8, 6, 8));
        return box;
    }

    private String inputOf(String id) {
        for (DatasetExample e : groupedFrom) {
            if (e.id().equals(id)) {
                return e.input();
            }
        }
        return "";
    }

    private void findDuplicates() {
        List<DatasetExample> snapshot = List.copyOf(vm.examples());
        double t = threshold.getValue();
        duplicateStatus.setText("Looking for near-duplicates in " + Format.count(snapshot.size()) + " examples…");
        tasks.run("Finding near-duplicates", () -> NearDuplicates.find(snapshot, t), found -> {
            groupedFrom = snapshot;
            groups.getItems().setAll(found);
            int extra = found.stream().mapToInt(g -> g.ids().size() - 1).sum();
            duplicateStatus.setText(found.isEmpty() ? "No near-duplicates at similarity ≥ " + t + "."
                    : found.size() + " group" + (found.size() == 1 ? "" : "s") + ": merging removes "
                    + extra + " example" + (extra == 1 ? "" : "s") + ".");
        });
    }

    private void merge(List<NearDuplicates.Group> chosen) {
        if (!List.copyOf(vm.examples()).equals(groupedFrom)) {
            duplicateStatus.setText("The examples changed since the search: Find again before merging.");
            return;
        }
        List<DatasetExample> merged = groupedFrom;
        int removed = 0;
        for (NearDuplicates.Group g : chosen) {
            merged = NearDuplicates.merge(merged, g);
            removed += g.ids().size() - 1;
        }
        vm.change(merged, "merge " + (chosen.size() == 1 ? String.join(", ", chosen.get(0).ids())
                : chosen.size() + " near-duplicate groups"));
        groupedFrom = List.copyOf(vm.examples());
        groups.getItems().removeAll(chosen);
        duplicateStatus.setText("Merged " + chosen.size() + " group" + (chosen.size() == 1 ? "" : "s") + ", "
                + removed + " example" + (removed == 1 ? "" : "s") + " fewer (Undo brings them back).");
    }

    // ------------------------------------------------------------------ coverage

    private Node coveragePane() {
        Label title = section("Coverage");
        Button analyse = new Button("Analyse");
        analyse.setId("datasets-coverage");
        analyse.setOnAction(e -> analyseCoverage());
        dimension.setId("datasets-coverage-dimension");
        dimension.valueProperty().addListener((o, a, b) -> showCounts());
        analyse.setMinWidth(Region.USE_PREF_SIZE);
        HBox bar = new HBox(8, title, analyse, muted("by"), dimension);
        bar.setAlignment(Pos.CENTER_LEFT);
        counts.setId("datasets-coverage-counts");
        counts.getColumns().setAll(List.of(
                DatasetsView.textColumn("Value", 160, c -> DatasetsView.oneLine(c.value(), 80)),
                DatasetsView.numberColumn("Examples", 70, c -> (long) c.count()),
                DatasetsView.textColumn("Share", 60, c -> coverage == null || coverage.examples() == 0 ? ""
                        : Math.round(100.0 * c.count() / coverage.examples()) + "%")));
        counts.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        counts.setPlaceholder(new Label("Analyse to count the examples by tag, split, difficulty, intent, model, "
                + "stage and failure."));
        warnings.setId("datasets-coverage-warnings");
        javafx.scene.control.TableColumn<Coverage.Warning, String> severity = DatasetsView.textColumn("Severity", 72,
                w -> w.severity().name().toLowerCase(java.util.Locale.ROOT));
        severity.setMinWidth(72);
        warnings.getColumns().setAll(List.of(
                severity,
                DatasetsView.textColumn("Balance", 380, Coverage.Warning::summary)));
        warnings.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        warnings.setPlaceholder(new Label("No balance warnings"));
        warnings.setRowFactory(t -> {
            javafx.scene.control.TableRow<Coverage.Warning> row = new javafx.scene.control.TableRow<>();
            row.itemProperty().addListener((o, a, w) -> row.setTooltip(w == null ? null
                    : new Tooltip(w.explanation())));
            return row;
        });
        warnings.setPrefHeight(150);
        warnings.setMinHeight(110);
        coverageStatus.getStyleClass().add(Styles.MUTED);
        coverageStatus.setWrapText(true);
        coverageStatus.setMinHeight(Region.USE_PREF_SIZE);
        coverageStatus.setId("datasets-coverage-status");
        TableCopy.install(counts);
        TableCopy.install(warnings);
        VBox box = new VBox(6, bar, coverageStatus, counts, warnings);
        VBox.setVgrow(counts, Priority.ALWAYS);
        box.setPadding(new Insets(6, 8, 6, 8));
        box.setMinWidth(400);
        return box;
    }

    private void analyseCoverage() {
        List<DatasetExample> snapshot = List.copyOf(vm.examples());
        tasks.run("Counting coverage", () -> Coverage.of(snapshot), c -> {
            coverage = c;
            warnings.getItems().setAll(c.warnings());
            String keep = dimension.getValue();
            dimension.getItems().setAll(c.dimensions().stream().map(Coverage.Dimension::name).toList());
            dimension.setValue(keep != null && dimension.getItems().contains(keep) ? keep
                    : dimension.getItems().isEmpty() ? null : dimension.getItems().get(0));
            showCounts();
            coverageStatus.setText(Format.count(c.examples()) + " examples, " + c.withoutExpectedOutput()
                    + " without an expected output; " + c.warnings().size() + " balance warning"
                    + (c.warnings().size() == 1 ? "" : "s") + " (hover for what to do)");
        });
    }

    private void showCounts() {
        String d = dimension.getValue();
        counts.getItems().setAll(coverage == null || d == null ? List.of()
                : coverage.dimension(d).map(Coverage.Dimension::counts).orElse(List.of()));
    }

    // ------------------------------------------------------------------ sample

    private Node samplePane() {
        Label title = section("Stratified sample");
        target.setId("datasets-sample-target");
        target.setEditable(true);
        target.setPrefWidth(100);
        target.setMinWidth(90);
        sampleBy.setId("datasets-sample-by");
        sampleBy.getItems().setAll(Coverage.dimensionNames());
        sampleBy.setValue("tag");
        Button sample = new Button("Sample");
        sample.setId("datasets-sample");
        sample.setTooltip(new Tooltip("Keep this many examples, every value of the dimension represented (rare ones "
                + "first); an edit of the draft: Undo brings the others back"));
        sample.setOnAction(e -> sample());
        sampleStatus.setId("datasets-sample-status");
        sampleStatus.getStyleClass().add(Styles.MUTED);
        sampleStatus.setMinWidth(0);
        Label keep = muted("keep");
        Label by = muted("examples, every");
        Label present = muted("represented");
        for (Region r : List.of(sample, keep, by, present)) {
            r.setMinWidth(Region.USE_PREF_SIZE);
        }
        HBox bar = new HBox(8, title, keep, target, by, sampleBy, present, sample, sampleStatus);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 8, 6, 8));
        bar.getStyleClass().add(Styles.FILTER_BAR);
        return bar;
    }

    private void sample() {
        List<DatasetExample> snapshot = List.copyOf(vm.examples());
        int n = target.getValue();
        String by = sampleBy.getValue();
        if (snapshot.size() <= n) {
            sampleStatus.setText("The dataset has " + snapshot.size() + " examples, no more than " + n + ".");
            return;
        }
        tasks.run("Sampling", () -> StratifiedSample.sample(snapshot, n, by, 42L), picked -> {
            if (!List.copyOf(vm.examples()).equals(snapshot)) {
                sampleStatus.setText("The examples changed meanwhile: sample again.");
                return;
            }
            vm.change(picked, "sample " + picked.size() + " by " + by);
            sampleStatus.setText("Kept " + picked.size() + " of " + snapshot.size() + " examples, "
                    + strata(picked, by) + " values of " + by + " (Undo brings the others back).");
        });
    }

    private static int strata(List<DatasetExample> examples, String by) {
        Map<String, Integer> values = new HashMap<>();
        for (DatasetExample e : examples) {
            for (String v : Coverage.values(e, by)) {
                values.merge(v, 1, Integer::sum);
            }
        }
        return values.size();
    }

    private static Label section(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("tb-section-title");
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }

    private static Label muted(String text) {
        Label l = new Label(text);
        l.getStyleClass().add(Styles.MUTED);
        return l;
    }
}
