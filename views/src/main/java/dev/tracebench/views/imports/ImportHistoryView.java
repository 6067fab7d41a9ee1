package dev.tracebench.views.imports;

import dev.tracebench.core.ingest.Problem;
import dev.tracebench.core.query.ImportRecord;
import dev.tracebench.core.query.TraceService;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.Styles;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;

/** The workspace's import history: every committed file with its counts, and the problems found in it. */
public final class ImportHistoryView extends BorderPane {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());
    private final TraceService service;
    private final Background background;
    private final TableView<ImportRecord> imports = new TableView<>();
    private final TableView<Problem> problems = new TableView<>();
    private final Label problemsTitle = new Label("Problems");

    public ImportHistoryView(TraceService service, Background background) {
        this.service = service;
        this.background = background;
        setId("import-history");
        imports.setId("import-table");
        imports.setPlaceholder(new Label("Nothing imported yet. Use File > Import… or drop files on the window."));
        imports.getColumns().setAll(List.of(
                col("#", 40, r -> Integer.toString(r.importId())),
                col("File", 340, ImportRecord::file),
                col("Format", 110, ImportRecord::format),
                col("Spans read", 90, r -> Format.count(r.spansRead())),
                col("Added", 80, r -> Format.count(r.spansAdded())),
                col("Already present", 110, r -> Format.count(r.alreadyPresent())),
                col("Duplicates", 80, r -> Format.count(r.duplicates())),
                col("Rejected", 75, r -> Format.count(r.rejected())),
                col("Warnings", 75, r -> Format.count(r.warnings())),
                col("Imported at", 150, r -> WHEN.format(r.startedAt())),
                col("Took", 80, r -> Format.duration(r.durationMs() * 1_000_000L))));
        imports.getSelectionModel().selectedItemProperty().addListener((o, a, r) -> showProblems(r));

        problems.setId("problem-table");
        problems.setPlaceholder(new Label("No problems in the selected import."));
        TableColumn<Problem, String> sev = new TableColumn<>("Severity");
        sev.setCellValueFactory(f -> new ReadOnlyStringWrapper(f.getValue().severity().label()));
        sev.setPrefWidth(80);
        TableColumn<Problem, String> loc = new TableColumn<>("Where");
        loc.setCellValueFactory(f -> new ReadOnlyStringWrapper(f.getValue().location()));
        loc.setPrefWidth(330);
        TableColumn<Problem, String> why = new TableColumn<>("Why");
        why.setCellValueFactory(f -> new ReadOnlyStringWrapper(f.getValue().reason()));
        why.setPrefWidth(600);
        problems.getColumns().setAll(List.of(sev, loc, why));
        problems.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);

        problemsTitle.getStyleClass().add(Styles.TITLE);
        VBox bottom = new VBox(4, problemsTitle, problems);
        bottom.setPadding(new Insets(6));
        VBox.setVgrow(problems, javafx.scene.layout.Priority.ALWAYS);
        SplitPane split = new SplitPane(imports, bottom);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.55);
        setCenter(split);
        refresh();
    }

    /** Reloads the history (after an import). */
    public void refresh() {
        background.run(service::imports, list -> {
            imports.getItems().setAll(list);
            if (!list.isEmpty()) {
                imports.getSelectionModel().select(0);
            }
        }, t -> imports.setPlaceholder(new Label("Could not read the import history: " + Background.message(t))));
    }

    private void showProblems(ImportRecord r) {
        problems.getItems().clear();
        if (r == null) {
            problemsTitle.setText("Problems");
            return;
        }
        problemsTitle.setText("Problems in " + r.file() + " (" + Format.count(r.rejected()) + " rejected, "
                + Format.count(r.warnings()) + " warnings)");
        background.run(() -> service.importProblems(r.importId()), list -> problems.getItems().setAll(list),
                t -> problemsTitle.setText("Could not read problems: " + Background.message(t)));
    }

    private static TableColumn<ImportRecord, String> col(String title, double width,
            Function<ImportRecord, String> f) {
        TableColumn<ImportRecord, String> c = new TableColumn<>(title);
        c.setCellValueFactory(x -> new ReadOnlyStringWrapper(f.apply(x.getValue())));
        c.setPrefWidth(width);
        return c;
    }
}
