package dev.tracebench.views.datasets;

import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetFiles;
import dev.tracebench.core.dataset.DatasetVersion;
import dev.tracebench.core.dataset.Redaction;
import dev.tracebench.views.common.BackgroundTasks;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.LatestLoads;
import dev.tracebench.views.common.Styles;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * "Export…": a saved version of the shown dataset written in another tool's format, to a file; with "Redact PII"
 * the preview lists every text that will be masked (example, field, what was found, the text as exported). The
 * write runs as a listed background task; the file appears whole or not at all ({@link DatasetFiles#write}).
 */
final class ExportDatasetDialog extends Dialog<Void> {
    static final ButtonType EXPORT = new ButtonType("Export", ButtonBar.ButtonData.OK_DONE);

    private final DatasetFiles files;
    private final DatasetsViewModel vm;
    private final String name;
    private final ComboBox<String> format = new ComboBox<>();
    private final ComboBox<Integer> version = new ComboBox<>();
    private final TextField out = new TextField();
    private final CheckBox redact = new CheckBox("Redact PII (e-mail addresses, phone and card numbers, secrets…)");
    private final TableView<Redaction.Masked> preview = new TableView<>();
    private final Label previewStatus = new Label();
    private final LatestLoads previews;

    ExportDatasetDialog(Window owner, DatasetFiles files, DatasetsViewModel vm, BackgroundTasks tasks) {
        this.files = files;
        this.vm = vm;
        this.name = vm.selectedProperty().get();
        this.previews = new LatestLoads(vm.background());
        initOwner(owner);
        setTitle("Export dataset");
        setHeaderText("Export " + name + " for another tool");
        getDialogPane().setId("export-dataset-dialog");
        getDialogPane().getStylesheets().add(Styles.stylesheet());
        getDialogPane().getButtonTypes().setAll(EXPORT, ButtonType.CANCEL);

        format.setId("export-format");
        format.getItems().setAll(files.exportFormats());
        format.setValue(format.getItems().isEmpty() ? null : format.getItems().get(0));
        format.valueProperty().addListener((o, a, b) -> suggestFile());
        version.setId("export-version");
        version.getItems().setAll(vm.versions().stream().map(DatasetVersion::version).toList());
        version.setValue(version.getItems().isEmpty() ? null : version.getItems().get(version.getItems().size() - 1));
        version.valueProperty().addListener((o, a, b) -> loadPreview());
        Label unsaved = new Label("The unsaved changes are not exported: save a version first.");
        unsaved.getStyleClass().add(Styles.MUTED);
        unsaved.setVisible(vm.dirtyProperty().get());
        unsaved.setManaged(unsaved.isVisible());
        out.setId("export-file");
        out.setPrefColumnCount(34);
        Button choose = new Button("Choose…");
        choose.setOnAction(e -> chooseFile(owner));
        HBox file = new HBox(6, out, choose);
        HBox.setHgrow(out, Priority.ALWAYS);
        redact.setId("export-redact");
        redact.selectedProperty().addListener((o, a, b) -> loadPreview());

        preview.setId("export-preview");
        preview.getColumns().setAll(List.of(
                DatasetsView.textColumn("Example", 80, Redaction.Masked::exampleId),
                DatasetsView.textColumn("Field", 100, Redaction.Masked::field),
                DatasetsView.textColumn("Found", 130, m -> String.join(", ", m.kinds())),
                DatasetsView.textColumn("As exported", 300, m -> DatasetsView.oneLine(m.masked(), 200))));
        preview.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        preview.setPlaceholder(new Label("Nothing to mask"));
        preview.setPrefHeight(220);
        previewStatus.setId("export-preview-status");
        previewStatus.getStyleClass().add(Styles.MUTED);
        VBox previewBox = new VBox(4, previewStatus, preview);
        previewBox.visibleProperty().bind(redact.selectedProperty());
        previewBox.managedProperty().bind(previewBox.visibleProperty());

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        grid.getColumnConstraints().setAll(new ColumnConstraints(70), new ColumnConstraints());
        grid.getColumnConstraints().get(1).setHgrow(Priority.ALWAYS);
        grid.addRow(0, muted("Format"), format);
        grid.addRow(1, muted("Version"), version);
        grid.addRow(2, muted("File"), file);
        VBox box = new VBox(10, grid, unsaved, redact, previewBox);
        box.setPadding(new Insets(4));
        box.setPrefWidth(640);
        box.setAlignment(Pos.TOP_LEFT);
        getDialogPane().setContent(box);
        getDialogPane().setMinSize(javafx.scene.layout.Region.USE_PREF_SIZE,
                javafx.scene.layout.Region.USE_PREF_SIZE);
        suggestFile();

        Button export = (Button) getDialogPane().lookupButton(EXPORT);
        export.disableProperty().bind(format.valueProperty().isNull().or(version.valueProperty().isNull())
                .or(out.textProperty().isEmpty()));
        export.addEventFilter(javafx.event.ActionEvent.ACTION, e -> {
            Path target = Path.of(out.getText().strip());
            String f = format.getValue();
            int v = version.getValue();
            boolean pii = redact.isSelected();
            tasks.run("Exporting " + name + " as " + f, p -> {
                List<DatasetExample> examples = vm.service().examples(name, v);
                p.update("Writing " + Format.count(examples.size()) + " examples", -1);
                files.write(pii ? Redaction.redact(examples) : examples, f, target);
                return examples.size();
            }, n -> vm.note("Exported " + Format.count(n) + " examples of " + name + " version " + v + " as " + f
                    + (pii ? " (PII redacted)" : "") + " to " + target));
        });
    }

    private void suggestFile() {
        String f = format.getValue();
        if (f == null) {
            return;
        }
        String ext = switch (f) {
            case "csv" -> ".csv";
            case "promptfoo" -> ".yaml";
            case "deepeval", "langfuse" -> ".json";
            default -> ".jsonl";
        };
        String base = name.replaceAll("[^A-Za-z0-9._-]+", "-").toLowerCase(Locale.ROOT) + "-" + f;
        Path dir = out.getText().isBlank() ? Path.of(System.getProperty("user.home"))
                : Path.of(out.getText().strip()).toAbsolutePath().getParent();
        out.setText(dir.resolve(base + ext).toString());
    }

    private void chooseFile(Window owner) {
        FileChooser fc = new FileChooser();
        fc.setTitle("Export to");
        Path current = Path.of(out.getText().strip()).toAbsolutePath();
        if (current.getParent() != null && current.getParent().toFile().isDirectory()) {
            fc.setInitialDirectory(current.getParent().toFile());
        }
        fc.setInitialFileName(current.getFileName().toString());
        File f = fc.showSaveDialog(owner);
        if (f != null) {
            out.setText(f.getPath());
        }
    }

    /** Lists what redaction would mask in the chosen version, in the background. */
    private void loadPreview() {
        Integer v = version.getValue();
        if (!redact.isSelected() || v == null) {
            return;
        }
        LatestLoads.Ticket t = previews.next();
        previewStatus.setText("Looking for PII in version " + v + "…");
        preview.getItems().clear();
        t.run(() -> Redaction.preview(vm.service().examples(name, v)), masked -> {
            preview.getItems().setAll(masked);
            long examples = masked.stream().map(Redaction.Masked::exampleId).distinct().count();
            previewStatus.setText(masked.isEmpty() ? "Nothing in version " + v + " looks like PII."
                    : masked.size() + " text" + (masked.size() == 1 ? "" : "s") + " in " + examples + " example"
                    + (examples == 1 ? "" : "s") + " will be masked:");
        }, e -> previewStatus.setText("The preview failed: " + dev.tracebench.views.common.Background.message(e)));
    }

    TableView<Redaction.Masked> preview() {
        return preview;
    }

    private static Label muted(String text) {
        Label l = new Label(text);
        l.getStyleClass().add(Styles.MUTED);
        return l;
    }
}
