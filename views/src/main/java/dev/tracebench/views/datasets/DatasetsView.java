package dev.tracebench.views.datasets;

import dev.tracebench.core.dataset.Dataset;
import dev.tracebench.core.dataset.DatasetDiff;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetFiles;
import dev.tracebench.core.dataset.DatasetVersion;
import dev.tracebench.core.dataset.Provenance;
import dev.tracebench.core.dataset.Split;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.report.Secrets;
import dev.tracebench.views.common.BackgroundTasks;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.Navigator;
import dev.tracebench.views.common.Styles;
import dev.tracebench.views.common.TableCopy;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.controlsfx.control.CheckComboBox;

/**
 * The Datasets area: the workspace's datasets; the selected one's examples (filtered by text, tags and split) beside
 * the example editor; its versions with the diff of two of them (field by field, before and after side by side) and
 * restore; the quality of the set. Edits stay in the view model (undo Ctrl+Z, redo Ctrl+Shift+Z or Ctrl+Y) until
 * Save version (Ctrl+S), which asks for a message; a dataset with unsaved changes is marked with a dot and keeps them
 * when another is selected.
 */
public final class DatasetsView extends BorderPane {
    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd")
            .withZone(ZoneId.systemDefault());
    private static final KeyCombination UNDO = new KeyCodeCombination(KeyCode.Z, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination REDO = new KeyCodeCombination(KeyCode.Z, KeyCombination.SHORTCUT_DOWN,
            KeyCombination.SHIFT_DOWN);
    private static final KeyCombination REDO_Y = new KeyCodeCombination(KeyCode.Y, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination SAVE = new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN);

    private final DatasetsViewModel vm;
    private final Navigator navigator;
    private final BackgroundTasks tasks;
    private final TableView<Dataset> datasetTable = new TableView<>();
    private final TableView<DatasetExample> exampleTable = new TableView<>();
    private final ExampleEditor editor;
    private final TextField search = new TextField();
    private final CheckComboBox<String> tagFilter = new CheckComboBox<>();
    private final ComboBox<Split> splitFilter = new ComboBox<>();
    private final TableView<DatasetVersion> versionTable = new TableView<>();
    private final TableView<DiffRow> diffTable = new TableView<>();
    private final ComboBox<Integer> diffA = new ComboBox<>();
    private final ComboBox<Integer> diffB = new ComboBox<>();
    private final TabPane tabs = new TabPane();
    private final Button importButton = new Button("Import…");
    private final Button exportButton = new Button("Export…");
    private final SetQualityPane quality;
    private DatasetFiles files;
    private Runnable onImportTraces = () -> { };
    /** Selected when it shows up in the table again (after a reload, undo or redo). */
    private String editingId;

    public DatasetsView(DatasetsViewModel vm, Navigator navigator, BackgroundTasks tasks) {
        this.vm = vm;
        this.navigator = navigator;
        this.tasks = tasks;
        setId("datasets-view");
        editor = new ExampleEditor((after, what) -> vm.edit(after, what), this::openTrace);
        quality = new SetQualityPane(vm, tasks);

        Tab examples = new Tab("Examples", examplesPane());
        examples.setId("datasets-tab-examples");
        Tab versions = new Tab("Versions", versionsPane());
        versions.setId("datasets-tab-versions");
        Tab set = new Tab("Quality of the set", quality);
        set.setId("datasets-tab-quality");
        tabs.getTabs().addAll(examples, versions, set);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("datasets-tabs");

        SplitPane split = new SplitPane(datasetPane(), tabs);
        split.setDividerPositions(0.27);
        SplitPane.setResizableWithParent(split.getItems().get(0), false);
        Node empty = emptyState();
        StackPane body = new StackPane(split, empty);
        empty.visibleProperty().bind(vm.listedProperty().and(Bindings.isEmpty(vm.datasets())));
        split.visibleProperty().bind(empty.visibleProperty().not());
        setTop(new VBox(header(), problemBanner()));
        setCenter(body);
        addEventFilter(KeyEvent.KEY_PRESSED, this::keys);
        setDatasetFiles(null);
    }

    public DatasetsViewModel viewModel() {
        return vm;
    }

    /** Reads and writes other tools' dataset files (null: Import… and Export… are hidden). */
    public void setDatasetFiles(DatasetFiles files) {
        this.files = files;
        importButton.setVisible(files != null);
        exportButton.setVisible(files != null);
    }

    /** What "Import traces…" in the empty state does (the shell's import dialog). */
    public void setOnImportTraces(Runnable r) {
        onImportTraces = r;
    }

    /** Lists the datasets again (the shell calls it after every workspace change; F5). */
    public void refresh() {
        vm.load();
    }

    /** Shows one of the tabs: 0 examples, 1 versions, 2 quality of the set. */
    public void showTab(int i) {
        tabs.getSelectionModel().select(i);
    }

    TableView<Dataset> datasetTable() {
        return datasetTable;
    }

    TableView<DatasetExample> exampleTable() {
        return exampleTable;
    }

    TableView<DiffRow> diffTable() {
        return diffTable;
    }

    ExampleEditor editor() {
        return editor;
    }

    private void keys(KeyEvent e) {
        if (UNDO.match(e) || REDO.match(e) || REDO_Y.match(e)) {
            editor.commit(); // what was just typed is a step of its own
            if (UNDO.match(e)) {
                vm.undo();
            } else {
                vm.redo();
            }
            e.consume(); // a text field's own undo would undo a different history
        } else if (SAVE.match(e)) {
            saveVersion();
            e.consume();
        }
    }

    // ------------------------------------------------------------------ header

    private Node header() {
        Label title = new Label("Datasets");
        title.getStyleClass().add(Styles.TITLE);
        Label status = new Label();
        status.setId("datasets-status");
        status.getStyleClass().add(Styles.MUTED);
        status.textProperty().bind(vm.statusProperty());
        status.setMinWidth(0);
        Label unsaved = new Label("● unsaved changes");
        unsaved.setId("datasets-unsaved");
        unsaved.getStyleClass().add("tb-unsaved");
        unsaved.visibleProperty().bind(vm.dirtyProperty());
        unsaved.managedProperty().bind(unsaved.visibleProperty());
        unsaved.setMinWidth(Region.USE_PREF_SIZE);
        HBox loading = Styles.busyWithCancel(vm.loadingProperty().or(vm.savingProperty()), vm::cancel, null);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);

        Button create = new Button("New…");
        create.setId("datasets-new");
        create.setTooltip(new Tooltip("Create an empty dataset"));
        create.setOnAction(e -> createDataset());
        importButton.setId("datasets-import");
        importButton.setTooltip(new Tooltip("Read a dataset file (JSONL, CSV, OpenAI evals, promptfoo, Phoenix, "
                + "Langfuse, DeepEval, Ragas) into a new or an existing dataset"));
        importButton.setOnAction(e -> importFile());
        exportButton.setId("datasets-export");
        exportButton.setTooltip(new Tooltip("Write a version in another tool's format, PII redacted if you like"));
        exportButton.setOnAction(e -> exportFile());
        exportButton.disableProperty().bind(vm.selectedProperty().isNull());
        Button undo = new Button("Undo");
        undo.setId("datasets-undo");
        undo.disableProperty().bind(vm.canUndoProperty().not());
        undo.setOnAction(e -> {
            editor.commit();
            vm.undo();
        });
        vm.undoTextProperty().addListener((o, a, b) -> undo.setTooltip(new Tooltip("Undo " + b + " (Ctrl+Z)")));
        Button redo = new Button("Redo");
        redo.setId("datasets-redo");
        redo.disableProperty().bind(vm.canRedoProperty().not());
        redo.setOnAction(e -> vm.redo());
        vm.redoTextProperty().addListener((o, a, b) -> redo.setTooltip(new Tooltip("Redo " + b
                + " (Ctrl+Shift+Z, Ctrl+Y)")));
        Button save = new Button("Save version…");
        save.setId("datasets-save");
        save.getStyleClass().add("tb-primary");
        save.setTooltip(new Tooltip("Save the changes as a new version (Ctrl+S); versions are never changed"));
        save.disableProperty().bind(vm.dirtyProperty().not().or(vm.savingProperty()));
        save.setOnAction(e -> saveVersion());
        Button refresh = new Button("Refresh");
        refresh.setTooltip(new Tooltip("List the datasets again (F5); unsaved changes are kept"));
        refresh.setOnAction(e -> refresh());
        for (Button b : List.of(create, importButton, exportButton, undo, redo, save, refresh)) {
            b.setMinWidth(Region.USE_PREF_SIZE);
            b.managedProperty().bind(b.visibleProperty());
        }
        HBox bar = new HBox(8, title, status, unsaved, loading, spacer, create, importButton, exportButton, undo, redo,
                save, refresh);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 8, 6, 10));
        bar.getStyleClass().add(Styles.FILTER_BAR);
        return bar;
    }

    private Label problemBanner() {
        return Styles.errorBanner("datasets-problem", vm.problemProperty());
    }

    private Node emptyState() {
        Label head = new Label("No datasets yet");
        head.getStyleClass().add(Styles.TITLE);
        Label text = new Label("A dataset is a versioned set of golden examples (input, context, expected output, "
                + "tags, split). Build one from real traces: in the Latency or Quality area, the Findings or the trace "
                + "table, choose \"Add to dataset…\" and review the cohort's answers one at a time (A accept, E edit, "
                + "S skip). Or import a dataset file, or start an empty one.");
        text.setWrapText(true);
        text.setMaxWidth(620);
        text.getStyleClass().add(Styles.MUTED);
        Button create = new Button("New dataset…");
        create.setId("datasets-empty-new");
        create.setOnAction(e -> createDataset());
        Button imp = new Button("Import a dataset file…");
        imp.visibleProperty().bind(importButton.visibleProperty());
        imp.managedProperty().bind(imp.visibleProperty());
        imp.setOnAction(e -> importFile());
        Button traces = new Button("Import traces…");
        traces.setOnAction(e -> onImportTraces.run());
        HBox buttons = new HBox(8, create, imp, traces);
        buttons.setAlignment(Pos.CENTER);
        VBox box = new VBox(12, head, text, buttons);
        box.setAlignment(Pos.CENTER);
        box.setId("datasets-empty");
        box.setPadding(new Insets(40));
        box.setStyle("-fx-background-color: white;");
        return box;
    }

    // ------------------------------------------------------------------ datasets

    private Node datasetPane() {
        datasetTable.setId("datasets-list");
        datasetTable.setItems(vm.datasets());
        TableColumn<Dataset, String> name = textColumn("Dataset", 130, d -> d.name()
                + (vm.isDirty(d.name()) ? " ●" : ""));
        TableColumn<Dataset, String> updated = textColumn("Updated", 88, d -> d.updated() == null ? ""
                : DAY.format(d.updated()));
        updated.setMinWidth(88);
        datasetTable.getColumns().setAll(List.of(name,
                numberColumn("Examples", 72, d -> (long) d.exampleCount()),
                numberColumn("Vers.", 44, d -> (long) d.latestVersion()), updated));
        datasetTable.setRowFactory(t -> {
            javafx.scene.control.TableRow<Dataset> row = new javafx.scene.control.TableRow<>();
            row.itemProperty().addListener((o, a, d) -> row.setTooltip(d == null ? null : new Tooltip(d.name()
                    + (d.description().isEmpty() ? "" : "\n" + Secrets.maskText(d.description())) + "\nupdated "
                    + (d.updated() == null ? "?" : WHEN.format(d.updated())))));
            return row;
        });
        datasetTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        datasetTable.setPlaceholder(new Label("Loading the datasets…"));
        datasetTable.setMinWidth(320);
        datasetTable.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null && !b.name().equals(vm.selectedProperty().get())) {
                editor.commit(); // the edit in progress belongs to the dataset left
                vm.selectedProperty().set(b.name());
            }
        });
        vm.selectedProperty().addListener((o, a, b) -> selectDatasetRow());
        vm.datasets().addListener((ListChangeListener<Dataset>) c -> selectDatasetRow());
        vm.dirtyProperty().addListener((o, a, b) -> datasetTable.refresh());
        TableCopy.install(datasetTable);
        return datasetTable;
    }

    private void selectDatasetRow() {
        String n = vm.selectedProperty().get();
        for (Dataset d : vm.datasets()) {
            if (d.name().equals(n) && datasetTable.getSelectionModel().getSelectedItem() != d) {
                datasetTable.getSelectionModel().select(d);
            }
        }
    }

    private void createDataset() {
        TextInputDialog d = new TextInputDialog();
        d.initOwner(getScene() == null ? null : getScene().getWindow());
        d.setTitle("New dataset");
        d.setHeaderText("Name of the new dataset");
        d.getEditor().setId("datasets-new-name");
        d.getDialogPane().getStylesheets().add(Styles.stylesheet());
        d.showAndWait().map(String::strip).filter(s -> !s.isEmpty()).ifPresent(n -> vm.create(n, v -> refresh()));
    }

    // ------------------------------------------------------------------ examples

    private Node examplesPane() {
        search.setId("datasets-search");
        search.setPromptText("Filter: text in id, input, expected output, notes or tags");
        search.setPrefWidth(300);
        tagFilter.setId("datasets-tag-filter");
        tagFilter.setTitle("Any tag");
        tagFilter.setPrefWidth(150);
        Bindings.bindContent(tagFilter.getItems(), vm.tags());
        splitFilter.setId("datasets-split-filter");
        splitFilter.getItems().add(null); // any split
        splitFilter.getItems().addAll(Split.values());
        splitFilter.setConverter(new StringConverter<>() {
            @Override
            public String toString(Split s) {
                return s == null ? "Any split" : s == Split.NONE ? "No split" : s.label();
            }

            @Override
            public Split fromString(String s) {
                return null;
            }
        });
        splitFilter.setValue(null);
        search.textProperty().addListener((o, a, b) -> applyFilter());
        splitFilter.valueProperty().addListener((o, a, b) -> applyFilter());
        tagFilter.getCheckModel().getCheckedItems().addListener((ListChangeListener<String>) c -> {
            List<String> checked = tagFilter.getCheckModel().getCheckedItems();
            tagFilter.setTitle(checked.isEmpty() ? "Any tag" : "Tags: " + String.join(", ", checked));
            applyFilter();
        });
        Label count = new Label();
        count.setId("datasets-count");
        count.getStyleClass().add(Styles.MUTED);
        count.setMinWidth(Region.USE_PREF_SIZE);
        count.textProperty().bind(vm.countProperty());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Button add = new Button("Add example");
        add.setId("datasets-add-example");
        add.setOnAction(e -> {
            DatasetExample x = vm.addExample();
            if (x != null) {
                select(x.id());
                editor.root().requestFocus();
            }
        });
        Button remove = new Button("Remove");
        remove.setId("datasets-remove-example");
        remove.setTooltip(new Tooltip("Remove the selected examples (Delete); Undo brings them back"));
        remove.disableProperty().bind(exampleTable.getSelectionModel().selectedItemProperty().isNull());
        remove.setOnAction(e -> removeSelected());
        for (Button b : List.of(add, remove)) {
            b.setMinWidth(Region.USE_PREF_SIZE);
        }
        add.disableProperty().bind(vm.selectedProperty().isNull());
        HBox bar = new HBox(8, search, tagFilter, splitFilter, count, spacer, add, remove);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 8, 4, 8));

        buildExampleTable();
        SplitPane split = new SplitPane(exampleTable, editor.root());
        split.setDividerPositions(0.62);
        VBox box = new VBox(bar, split);
        VBox.setVgrow(split, Priority.ALWAYS);
        return box;
    }

    private void applyFilter() {
        vm.filter(search.getText(), new HashSet<>(tagFilter.getCheckModel().getCheckedItems()),
                splitFilter.getValue());
    }

    private void buildExampleTable() {
        exampleTable.setId("datasets-examples");
        exampleTable.setItems(vm.shown());
        TableColumn<DatasetExample, String> id = textColumn("Id", 70, DatasetExample::id);
        TableColumn<DatasetExample, String> split = textColumn("Split", 48, e -> e.split().label());
        TableColumn<DatasetExample, String> difficulty = textColumn("Difficulty", 70, DatasetExample::difficulty);
        id.setMinWidth(66);
        id.setMaxWidth(90);
        split.setMinWidth(44);
        split.setMaxWidth(60);
        difficulty.setMinWidth(70);
        difficulty.setMaxWidth(80);
        exampleTable.getColumns().setAll(List.of(id,
                textColumn("Input", 200, e -> oneLine(e.input(), 200)),
                textColumn("Expected output", 200, e -> oneLine(e.expectedOutput(), 200)),
                textColumn("Tags", 100, e -> String.join(", ", e.tags())), split, difficulty));
        exampleTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        exampleTable.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        exampleTable.setPlaceholder(new Label("No examples"));
        exampleTable.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b == null) {
                // cleared while the list changes (an edit replaces its row): reselect decides once it settled, so
                // the form is not disabled under the field being typed in
                javafx.application.Platform.runLater(this::reselect);
                return;
            }
            editingId = b.id();
            if (b != editor.shown()) {
                editor.show(b);
            }
        });
        exampleTable.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.DELETE) {
                removeSelected();
                e.consume();
            }
        });
        // after undo, redo or a reload the same example stays selected (and the editor shows its restored values)
        vm.shown().addListener((ListChangeListener<DatasetExample>) c -> javafx.application.Platform.runLater(
                this::reselect));
        TableCopy.install(exampleTable);
    }

    private void reselect() {
        if (editingId == null) {
            if (!vm.shown().isEmpty() && exampleTable.getSelectionModel().isEmpty()) {
                exampleTable.getSelectionModel().select(0);
            }
            return;
        }
        DatasetExample sel = exampleTable.getSelectionModel().getSelectedItem();
        if (sel != null && sel.id().equals(editingId)) {
            if (sel != editor.shown()) {
                editor.show(sel);
            }
            return;
        }
        for (int i = 0; i < vm.shown().size(); i++) {
            if (vm.shown().get(i).id().equals(editingId)) {
                exampleTable.getSelectionModel().clearAndSelect(i);
                exampleTable.scrollTo(i);
                return;
            }
        }
        editor.show(exampleTable.getSelectionModel().getSelectedItem());
    }

    /** Selects the example with this id (when the filter shows it). */
    public void select(String id) {
        editingId = id;
        reselect();
    }

    private void removeSelected() {
        Set<String> ids = new HashSet<>();
        for (DatasetExample x : exampleTable.getSelectionModel().getSelectedItems()) {
            ids.add(x.id());
        }
        editingId = null;
        vm.remove(ids);
    }

    private void openTrace(Provenance p) {
        TraceId id = ExampleEditor.traceOf(p);
        if (id != null && navigator != null) {
            navigator.openTrace(id, p.spanId());
        }
    }

    /** Asks for a message and saves the draft as a new version. */
    void saveVersion() {
        editor.commit();
        if (!vm.dirtyProperty().get() || vm.savingProperty().get()) {
            return;
        }
        TextInputDialog d = new TextInputDialog();
        d.initOwner(getScene() == null ? null : getScene().getWindow());
        d.setTitle("Save version");
        d.setHeaderText("Save " + vm.selectedProperty().get() + " as version " + (vm.baseVersion() + 1)
                + "? Say what changed:");
        d.getEditor().setId("datasets-save-message");
        d.getEditor().setPromptText("e.g. fixed three expected answers, tagged refunds");
        d.getDialogPane().setId("datasets-save-dialog");
        d.getDialogPane().getStylesheets().add(Styles.stylesheet());
        Optional<String> message = d.showAndWait();
        message.ifPresent(m -> vm.save(m.isBlank() ? "Edited in Tracebench" : m.strip(), v -> refresh()));
    }

    // ------------------------------------------------------------------ versions and diff

    private Node versionsPane() {
        versionTable.setId("datasets-versions");
        versionTable.setItems(vm.versions());
        versionTable.getColumns().setAll(List.of(
                numberColumn("Version", 60, v -> (long) v.version()),
                textColumn("Saved", 130, v -> v.created() == null ? "" : WHEN.format(v.created())),
                numberColumn("Examples", 70, v -> (long) v.exampleCount()),
                textColumn("Message", 300, v -> Secrets.maskText(v.message()))));
        versionTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        versionTable.setPlaceholder(new Label("No versions"));
        versionTable.setPrefHeight(150);
        versionTable.setMinHeight(90);
        diffA.setId("datasets-diff-a");
        diffB.setId("datasets-diff-b");
        diffA.setPrefWidth(72);
        diffB.setPrefWidth(72);
        vm.versions().addListener((ListChangeListener<DatasetVersion>) c -> offerVersions());
        Button diff = new Button("Diff");
        diff.setId("datasets-diff");
        diff.getStyleClass().add("tb-primary");
        diff.setOnAction(e -> {
            if (diffA.getValue() != null && diffB.getValue() != null) {
                vm.diff(diffA.getValue(), diffB.getValue());
            }
        });
        Button unsaved = new Button("Diff unsaved changes");
        unsaved.setId("datasets-diff-unsaved");
        unsaved.disableProperty().bind(vm.dirtyProperty().not());
        unsaved.setOnAction(e -> {
            editor.commit();
            vm.diffUnsaved();
        });
        Button restore = new Button("Restore selected…");
        restore.setId("datasets-restore");
        restore.setTooltip(new Tooltip("Save the selected version's examples as the newest version"));
        restore.disableProperty().bind(versionTable.getSelectionModel().selectedItemProperty().isNull());
        restore.setOnAction(e -> restoreSelected());
        Label lead = new Label("Compare version");
        Label with = new Label("with");
        for (Label l : List.of(lead, with)) {
            l.getStyleClass().add(Styles.MUTED);
            l.setMinWidth(Region.USE_PREF_SIZE);
        }
        Label status = new Label();
        status.setId("datasets-diff-status");
        status.getStyleClass().add(Styles.MUTED);
        status.setMinWidth(0);
        status.textProperty().bind(vm.diffStatusProperty());
        for (Button b : List.of(diff, unsaved, restore)) {
            b.setMinWidth(Region.USE_PREF_SIZE);
        }
        HBox bar = new HBox(8, lead, diffA, with, diffB, diff, unsaved, status);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 8, 4, 8));
        Label restoreHint = new Label("Restoring saves an old version's examples as the newest version; no version "
                + "is ever changed.");
        restoreHint.getStyleClass().add(Styles.MUTED);
        restoreHint.setMinWidth(0);
        HBox versionBar = new HBox(8, restore, restoreHint);
        versionBar.setAlignment(Pos.CENTER_LEFT);
        versionBar.setPadding(new Insets(4, 8, 4, 8));
        VBox versionBox = new VBox(versionTable, versionBar);
        VBox.setVgrow(versionTable, Priority.ALWAYS);

        diffTable.setId("datasets-diff-table");
        TableColumn<DiffRow, String> kind = textColumn("Change", 80, DiffRow::kind);
        diffTable.getColumns().setAll(List.of(kind,
                textColumn("Example", 80, DiffRow::id),
                textColumn("Field", 120, DiffRow::field),
                wrappedColumn("Before", 330, DiffRow::before),
                wrappedColumn("After", 330, DiffRow::after)));
        diffTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        diffTable.setPlaceholder(new Label("Pick two versions and Diff: examples added, removed and changed, field "
                + "by field."));
        diffTable.setRowFactory(t -> new javafx.scene.control.TableRow<>() {
            @Override
            protected void updateItem(DiffRow r, boolean empty) {
                super.updateItem(r, empty);
                getStyleClass().removeAll("tb-diff-added", "tb-diff-removed");
                if (!empty && r != null && !r.kind().equals("changed")) {
                    getStyleClass().add(r.kind().equals("added") ? "tb-diff-added" : "tb-diff-removed");
                }
            }
        });
        TableCopy.install(diffTable);
        vm.diffProperty().addListener((o, a, d) -> diffTable.getItems().setAll(d == null ? List.of() : rows(d)));
        SplitPane split = new SplitPane(versionBox, new VBox(bar, diffTable));
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.3);
        VBox.setVgrow(diffTable, Priority.ALWAYS);
        return split;
    }

    private void offerVersions() {
        List<Integer> numbers = vm.versions().stream().map(DatasetVersion::version).toList();
        diffA.getItems().setAll(numbers);
        diffB.getItems().setAll(numbers);
        int n = numbers.size();
        diffA.setValue(n >= 2 ? numbers.get(n - 2) : n == 1 ? numbers.get(0) : null);
        diffB.setValue(n >= 1 ? numbers.get(n - 1) : null);
    }

    private void restoreSelected() {
        DatasetVersion v = versionTable.getSelectionModel().getSelectedItem();
        if (v == null) {
            return;
        }
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, "Save version " + v.version() + " (" + Format.count(
                v.exampleCount()) + " examples) as the newest version of " + v.dataset() + "? No version is changed."
                + (vm.dirtyProperty().get() ? "\n\nThe unsaved changes of this dataset are discarded." : ""),
                ButtonType.OK, ButtonType.CANCEL);
        a.initOwner(getScene() == null ? null : getScene().getWindow());
        a.setHeaderText("Restore version " + v.version());
        a.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> vm.restore(v.version(), x -> refresh()));
    }

    /** One line of the diff table: a whole example added or removed, or one changed field. */
    record DiffRow(String kind, String id, String field, String before, String after) {
    }

    /** The diff as rows: changed fields first (the edits), then added and removed examples (their input). */
    static List<DiffRow> rows(DatasetDiff d) {
        List<DiffRow> out = new ArrayList<>();
        for (DatasetDiff.Change c : d.changed()) {
            for (DatasetDiff.FieldChange f : c.fields()) {
                out.add(new DiffRow("changed", c.id(), f.field(), Secrets.maskText(f.before()),
                        Secrets.maskText(f.after())));
            }
        }
        for (DatasetExample e : d.added()) {
            out.add(new DiffRow("added", e.id(), "input", "", Secrets.maskText(e.input())));
        }
        for (DatasetExample e : d.removed()) {
            out.add(new DiffRow("removed", e.id(), "input", Secrets.maskText(e.input()), ""));
        }
        return out;
    }

    // ------------------------------------------------------------------ tables

    /** Text on one line, at most {@code max} characters, secrets masked. */
    static String oneLine(String text, int max) {
        String t = text.length() > max * 2 ? text.substring(0, max * 2) : text;
        t = Secrets.maskText(t).replaceAll("\\s+", " ").strip();
        return t.length() > max ? t.substring(0, max - 1) + "…" : t;
    }

    static <S> TableColumn<S, String> textColumn(String title, double width, Function<S, String> value) {
        TableColumn<S, String> c = new TableColumn<>(title);
        c.setCellValueFactory(f -> new ReadOnlyStringWrapper(value.apply(f.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    private static <S> TableColumn<S, String> wrappedColumn(String title, double width, Function<S, String> value) {
        TableColumn<S, String> c = textColumn(title, width, value);
        c.setCellFactory(x -> new TableCell<>() {
            private final javafx.scene.text.Text text = new javafx.scene.text.Text();

            {
                // rows grow to the wrapped text: a field's whole before and after side by side
                text.wrappingWidthProperty().bind(x.widthProperty().subtract(12));
                text.getStyleClass().add("tb-diff-text");
                setPrefHeight(javafx.scene.control.Control.USE_COMPUTED_SIZE);
            }

            @Override
            protected void updateItem(String v, boolean empty) {
                super.updateItem(v, empty);
                text.setText(empty || v == null ? "" : v.length() > 2000 ? v.substring(0, 2000) + "…" : v);
                setGraphic(empty ? null : text);
                setText(null);
            }
        });
        return c;
    }

    static <S> TableColumn<S, Long> numberColumn(String title, double width, Function<S, Long> value) {
        TableColumn<S, Long> c = new TableColumn<>(title);
        c.setCellValueFactory(f -> new ReadOnlyObjectWrapper<>(value.apply(f.getValue())));
        c.setCellFactory(x -> new TableCell<>() {
            @Override
            protected void updateItem(Long v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : Format.count(v));
            }
        });
        c.setStyle("-fx-alignment: CENTER-RIGHT;");
        c.setPrefWidth(width);
        return c;
    }

    // ------------------------------------------------------------------ files

    private void importFile() {
        if (files != null) {
            new ImportDatasetDialog(getScene().getWindow(), files, vm, tasks).showAndWait();
        }
    }

    private void exportFile() {
        if (files != null && vm.selectedProperty().get() != null) {
            new ExportDatasetDialog(getScene().getWindow(), files, vm, tasks).showAndWait();
        }
    }
}
