package dev.tracebench.app.gui;

import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.importers.evaltable.ColumnMapping;
import dev.tracebench.importers.evaltable.ColumnMapping.Target;
import dev.tracebench.importers.evaltable.TablePreview;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Node;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;

/**
 * Asks which column of a table of eval results holds which field, for a table the importer does not recognise by its
 * column names: one choice per field, filled with the file's columns, and a preview of the first results as they would
 * import under the mapping (computed by the importers from the rows already read: changing a choice is instant). The
 * result is the mapping to import the file with, as {@code --map} takes it.
 */
final class ColumnMappingDialog extends Dialog<ColumnMapping> {
    /** Shown in a choice for "no column". */
    static final String NONE = "—";
    private static final int PREVIEW_ROWS = 20;
    /** The fields the form offers, in reading order (the rest stay as recognised). */
    private static final List<Target> FIELDS = List.of(Target.EVALUATOR, Target.SCORE, Target.LABEL, Target.PASSED,
            Target.THRESHOLD, Target.EXPLANATION, Target.TRACE_ID, Target.SPAN_ID, Target.EXAMPLE_ID, Target.INPUT,
            Target.OUTPUT, Target.EXPECTED, Target.CONTEXT, Target.TIMESTAMP, Target.JUDGE_MODEL, Target.RUN);
    static final ButtonType IMPORT = new ButtonType("Import", ButtonBar.ButtonData.OK_DONE);

    @FXML
    private Label intro;
    @FXML
    private GridPane form;
    @FXML
    private Label status;
    @FXML
    private TableView<EvalResultData> preview;

    private final TablePreview table;
    private final Map<Target, ComboBox<String>> choices = new EnumMap<>(Target.class);

    ColumnMappingDialog(Window owner, Path file, TablePreview table) {
        this.table = table;
        initOwner(owner);
        setTitle("Column mapping");
        setHeaderText("Which column holds what in " + file.getFileName() + "?");
        setResizable(true);
        FXMLLoader loader = new FXMLLoader(ColumnMappingDialog.class.getResource("ColumnMappingDialog.fxml"));
        loader.setController(this);
        Node content;
        try {
            content = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        getDialogPane().setContent(content);
        getDialogPane().getButtonTypes().addAll(IMPORT, ButtonType.CANCEL);
        getDialogPane().setId("column-mapping-dialog");
        intro.setText("Tracebench does not recognise this table's columns by their names. Choose the column that holds "
                + "each field: an evaluator (or metric) name and a score, label or pass/fail at least; without an "
                + "evaluator column, the score column's name is the evaluator. Several metric columns (one score each) "
                + "can be written as a+b.");
        fillForm();
        buildPreview();
        setResultConverter(b -> b == IMPORT ? mapping() : null);
        refresh();
    }

    private void fillForm() {
        Map<Target, List<String>> suggested = table.suggested().columns();
        List<String> items = new ArrayList<>();
        items.add(NONE);
        items.addAll(table.columns());
        for (int i = 0; i < FIELDS.size(); i++) {
            Target t = FIELDS.get(i);
            ComboBox<String> c = new ComboBox<>(FXCollections.observableArrayList(items));
            c.setId("map-" + t.key());
            c.setMaxWidth(Double.MAX_VALUE);
            List<String> s = suggested.get(t);
            String initial = s == null ? NONE : String.join("+", s);
            if (!c.getItems().contains(initial)) {
                c.getItems().add(initial);
            }
            c.setValue(initial);
            c.valueProperty().addListener((o, a, b) -> refresh());
            choices.put(t, c);
            Label l = new Label(capitalise(t.label()));
            l.setLabelFor(c);
            int row = i / 3;
            int col = (i % 3) * 2;
            form.add(l, col, row);
            form.add(c, col + 1, row);
        }
    }

    private void buildPreview() {
        preview.setId("mapping-preview");
        preview.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        preview.getColumns().add(column("Evaluator", EvalResultData::evaluator, 130));
        preview.getColumns().add(column("Score", r -> r.score() == null ? "" : String.valueOf(r.score()), 70));
        preview.getColumns().add(column("Label", EvalResultData::label, 90));
        preview.getColumns().add(column("Passed", r -> r.passed() == null ? "" : r.passed() ? "yes" : "no", 60));
        preview.getColumns().add(column("Trace", EvalResultData::traceId, 140));
        preview.getColumns().add(column("Example", EvalResultData::exampleId, 90));
        preview.getColumns().add(column("Input", EvalResultData::input, 160));
        preview.getColumns().add(column("Explanation", EvalResultData::explanation, 220));
        preview.setPlaceholder(new Label("Nothing to import with this mapping"));
    }

    private static TableColumn<EvalResultData, String> column(String name, Function<EvalResultData, String> value,
            double width) {
        TableColumn<EvalResultData, String> c = new TableColumn<>(name);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(oneLine(value.apply(d.getValue()))));
        c.setPrefWidth(width);
        return c;
    }

    /** The mapping the form says. */
    ColumnMapping mapping() {
        Map<Target, List<String>> m = new EnumMap<>(Target.class);
        choices.forEach((t, c) -> {
            String v = c.getValue();
            if (v != null && !v.equals(NONE)) {
                m.put(t, List.of(v.split("\\+")));
            }
        });
        return new ColumnMapping(m);
    }

    /** Shows what the current mapping reads. */
    private void refresh() {
        TablePreview.Preview p = table.preview(mapping(), PREVIEW_ROWS);
        preview.getItems().setAll(p.results());
        boolean ok = p.error() == null && !p.results().isEmpty();
        getDialogPane().lookupButton(IMPORT).setDisable(!ok);
        if (p.error() != null) {
            status.setText(p.error());
        } else if (!p.problems().isEmpty()) {
            status.setText(p.problems().size() + " problem(s) in the first rows, e.g. " + p.problems().get(0));
        } else {
            status.setText(p.results().isEmpty() ? "No results in the first rows." : "The first "
                    + p.results().size() + " results read without a problem.");
        }
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.replace('\n', ' ');
        return t.length() > 200 ? t.substring(0, 200) + "…" : t;
    }

    private static String capitalise(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
