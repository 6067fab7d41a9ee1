package dev.tracebench.views.imports;

import dev.tracebench.core.ingest.Problem;
import dev.tracebench.core.query.ImportRecord;
import dev.tracebench.core.query.TraceService;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.Styles;
import dev.tracebench.views.common.BackgroundTasks;
import dev.tracebench.views.common.TableCopy;
import dev.tracebench.views.common.TableExport;
import dev.tracebench.views.common.WorkspaceChanges;
import dev.tracebench.core.report.Table;
import javafx.scene.control.Button;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
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
        this(service, background, new WorkspaceChanges(), new BackgroundTasks());
    }

    /**
     * @param changes the workspace's changes: the history reloads after each
     * @param tasks   where CSV exports run
     */
    public ImportHistoryView(TraceService service, Background background, WorkspaceChanges changes,
            BackgroundTasks tasks) {
        this.service = service;
        this.background = background;
        changes.subscribe(this::refresh);
        setId("import-history");
        imports.setId("import-table");
        imports.setPlaceholder(new Label("Nothing imported yet. Use File > Import… or drop files on the window."));
        imports.getColumns().setAll(List.of(
                col("#", 40, r -> Integer.toString(r.importId())),
                col("File", 340, ImportRecord::file),
                col("Format", 110, ImportRecord::format),
                col("Spans read", 90, r -> Format.count(r.spansRead())),
                col("Added", 80, r -> Format.count(r.spansAdded())),
                col("Eval results", 90, r -> Format.count(r.evalResults())),
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
        TableCopy.install(imports);
        TableCopy.install(problems);
        Button export = new Button("Export CSV…");
        export.setId("import-export");
        export.setTooltip(new Tooltip("Save the import history as CSV"));
        export.setOnAction(e -> {
            List<ImportRecord> rows = List.copyOf(imports.getItems());
            TableExport.saveCsv(this, "imports.csv", () -> table(rows), tasks);
        });
        Button exportProblems = new Button("Export problems CSV…");
        exportProblems.setId("import-problems-export");
        exportProblems.setOnAction(e -> {
            List<Problem> rows = List.copyOf(problems.getItems());
            TableExport.saveCsv(this, "import-problems.csv", () -> new Table(List.of("severity", "location",
                    "reason"), rows.stream().map(p -> List.<Object>of(p.severity().label(), p.location(),
                            p.reason())).toList()), tasks);
        });
        HBox bar = new HBox(8, export, exportProblems);
        bar.setPadding(new Insets(6, 8, 6, 8));
        bar.getStyleClass().add(Styles.FILTER_BAR);
        setTop(bar);
        VBox bottom = new VBox(4, problemsTitle, problems);
        bottom.setPadding(new Insets(6));
        VBox.setVgrow(problems, javafx.scene.layout.Priority.ALWAYS);
        SplitPane split = new SplitPane(imports, bottom);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.55);
        setCenter(split);
        refresh();
    }

    /** Imports listed (for tests). */
    public int importCount() {
        return imports.getItems().size();
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

    /** The history as a CSV table (every column the view shows, numbers as numbers). */
    static Table table(List<ImportRecord> rows) {
        return new Table(List.of("import_id", "file", "format", "spans_read", "spans_added", "eval_results",
                "already_present", "duplicates", "rejected", "warnings", "imported_at", "duration_ms"),
                rows.stream().map(r -> List.<Object>of(r.importId(), r.file(), r.format(), r.spansRead(),
                        r.spansAdded(), r.evalResults(), r.alreadyPresent(), r.duplicates(), r.rejected(),
                        r.warnings(), r.startedAt().toString(), r.durationMs())).toList());
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
