package dev.tracebench.views.datasets;

import dev.tracebench.core.dataset.Dataset;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetFile;
import dev.tracebench.core.dataset.DatasetFiles;
import dev.tracebench.core.dataset.DatasetService;
import dev.tracebench.core.dataset.DatasetVersion;
import dev.tracebench.views.common.BackgroundTasks;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.Styles;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * "Import…": a dataset file (its format recognised by content unless chosen) read into a new dataset or appended to
 * an existing one as its next version. Runs as a listed background task; the records the file could not use are
 * counted in the area's status line, the first three named.
 */
final class ImportDatasetDialog extends Dialog<Void> {
    static final ButtonType IMPORT = new ButtonType("Import", ButtonBar.ButtonData.OK_DONE);
    private static final String AUTO = "recognise by content";

    ImportDatasetDialog(Window owner, DatasetFiles files, DatasetsViewModel vm, BackgroundTasks tasks) {
        initOwner(owner);
        setTitle("Import dataset");
        setHeaderText("Read a dataset file into a new or an existing dataset");
        getDialogPane().setId("import-dataset-dialog");
        getDialogPane().getStylesheets().add(Styles.stylesheet());
        getDialogPane().getButtonTypes().setAll(IMPORT, ButtonType.CANCEL);
        TextField file = new TextField();
        file.setId("import-file");
        file.setPrefColumnCount(34);
        ComboBox<String> target = new ComboBox<>();
        target.setId("import-target");
        target.setEditable(true);
        target.getItems().setAll(vm.datasets().stream().map(Dataset::name).toList());
        target.setPromptText("a new name, or a dataset to append to");
        Button choose = new Button("Choose…");
        choose.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("Import a dataset file");
            File f = fc.showOpenDialog(owner);
            if (f != null) {
                file.setText(f.getPath());
                if (target.getEditor().getText().isBlank()) {
                    target.getEditor().setText(f.getName().replaceFirst("\\.[^.]*$", ""));
                }
            }
        });
        ComboBox<String> format = new ComboBox<>();
        format.setId("import-format");
        format.getItems().add(AUTO);
        format.getItems().addAll(files.exportFormats());
        format.setValue(AUTO);
        HBox fileRow = new HBox(6, file, choose);
        HBox.setHgrow(file, Priority.ALWAYS);
        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        grid.getColumnConstraints().setAll(new ColumnConstraints(70), new ColumnConstraints());
        grid.getColumnConstraints().get(1).setHgrow(Priority.ALWAYS);
        grid.addRow(0, muted("File"), fileRow);
        grid.addRow(1, muted("Format"), format);
        grid.addRow(2, muted("Into"), target);
        Label note = muted("Into an existing dataset: the file's examples are appended (ids already used are "
                + "renumbered) and saved as its next version.");
        note.setWrapText(true);
        VBox box = new VBox(10, grid, note);
        box.setPadding(new Insets(4));
        box.setPrefWidth(560);
        getDialogPane().setContent(box);
        Button ok = (Button) getDialogPane().lookupButton(IMPORT);
        ok.disableProperty().bind(file.textProperty().isEmpty().or(target.getEditor().textProperty().isEmpty()));
        ok.addEventFilter(javafx.event.ActionEvent.ACTION, e -> {
            Path path = Path.of(file.getText().strip());
            String name = target.getEditor().getText().strip();
            String f = AUTO.equals(format.getValue()) ? null : format.getValue();
            tasks.run("Importing " + path.getFileName(), p -> {
                p.update("Reading " + path.getFileName(), -1);
                DatasetFile read = files.read(path, f, Map.of());
                p.update("Saving " + Format.count(read.examples().size()) + " examples", -1);
                return new Result(read, append(vm.service(), name, read, path));
            }, r -> {
                vm.selectWhenListed(name);
                vm.note("Imported " + Format.count(r.file().examples().size()) + " examples (" + r.file().format()
                        + ") into " + name + " version " + r.version().version() + problems(r.file().problems()));
                vm.load();
            });
        });
    }

    private record Result(DatasetFile file, DatasetVersion version) {
    }

    /** Appends the file's examples to dataset {@code name} (creating it), renumbering ids it already uses. */
    static DatasetVersion append(DatasetService service, String name, DatasetFile read, Path path) {
        List<DatasetExample> existing = service.dataset(name).isPresent() ? service.examples(name, 0) : List.of();
        List<DatasetExample> all = new ArrayList<>(existing);
        Set<String> used = new HashSet<>();
        existing.forEach(e -> used.add(e.id()));
        List<DatasetExample> clashing = new ArrayList<>();
        for (DatasetExample e : read.examples()) {
            if (used.add(e.id())) {
                all.add(e);
            } else {
                clashing.add(e);
            }
        }
        List<String> fresh = DatasetsViewModel.freshIds(all, clashing.size());
        for (int i = 0; i < clashing.size(); i++) {
            all.add(clashing.get(i).withId(fresh.get(i)));
        }
        return service.save(name, "Imported " + path.getFileName() + " (" + read.format() + ", "
                + read.examples().size() + " examples)", all);
    }

    static String problems(List<String> problems) {
        if (problems.isEmpty()) {
            return "";
        }
        return "; " + problems.size() + " record" + (problems.size() == 1 ? "" : "s") + " skipped or changed: "
                + String.join("; ", problems.subList(0, Math.min(3, problems.size())))
                + (problems.size() > 3 ? "; …" : "");
    }

    private static Label muted(String text) {
        Label l = new Label(text);
        l.getStyleClass().add(Styles.MUTED);
        return l;
    }
}
