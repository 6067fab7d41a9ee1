package dev.tracebench.views.datasets;

import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.Provenance;
import dev.tracebench.core.dataset.Split;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.report.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.scene.layout.GridPane;
import javafx.util.StringConverter;

/**
 * The example editor (laid out in example-editor.fxml): one example's fields, each committed to the draft when it
 * loses focus or on {@link #commit} (Ctrl+Z commits first, so what was typed is one undo step); split and difficulty
 * when picked. Provenance is read-only, with "Open trace" when the example came from a trace.
 */
final class ExampleEditor {
    private static final DateTimeFormatter ADDED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneId.systemDefault());
    /** How passages are separated in the context field. */
    static final String PASSAGE_BREAK = "\n---\n";

    @FXML
    private ScrollPane root;
    @FXML
    private Label title;
    @FXML
    private Label edited;
    @FXML
    private GridPane form;
    @FXML
    private TextArea input;
    @FXML
    private TextArea context;
    @FXML
    private TextArea expected;
    @FXML
    private TextField tags;
    @FXML
    private ComboBox<Split> split;
    @FXML
    private ComboBox<String> difficulty;
    @FXML
    private TextArea notes;
    @FXML
    private Label provenance;
    @FXML
    private Hyperlink openTrace;
    @FXML
    private Label metadata;

    private final BiConsumer<DatasetExample, String> onEdit;
    private DatasetExample shown;
    private boolean showing;

    /**
     * @param onEdit    gets the edited example and what changed ("edit ex-0003 expected output")
     * @param onOpenTrace opens the trace (and span) of an example's provenance
     */
    ExampleEditor(BiConsumer<DatasetExample, String> onEdit, Consumer<Provenance> onOpenTrace) {
        this.onEdit = onEdit;
        FXMLLoader loader = new FXMLLoader(ExampleEditor.class.getResource("example-editor.fxml"));
        loader.setController(this);
        try {
            loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("the example editor form is missing from the build", e);
        }
        root.setId("dataset-editor");
        input.setId("editor-input");
        context.setId("editor-context");
        expected.setId("editor-expected");
        tags.setId("editor-tags");
        split.setId("editor-split");
        difficulty.setId("editor-difficulty");
        notes.setId("editor-notes");
        openTrace.setId("editor-open-trace");
        provenance.setId("editor-provenance");
        split.getItems().setAll(Split.values());
        split.setConverter(new StringConverter<>() {
            @Override
            public String toString(Split s) {
                return s == null || s == Split.NONE ? "(none)" : s.label();
            }

            @Override
            public Split fromString(String s) {
                return Split.parse(s);
            }
        });
        difficulty.getItems().setAll("", "easy", "medium", "hard");
        for (TextInputControl f : List.of(input, context, expected, tags, notes)) {
            f.focusedProperty().addListener((o, was, is) -> {
                if (!is) {
                    commit();
                }
            });
        }
        tags.setOnAction(e -> commit());
        split.valueProperty().addListener((o, a, b) -> commit());
        difficulty.valueProperty().addListener((o, a, b) -> commit());
        openTrace.setOnAction(e -> {
            if (shown != null) {
                onOpenTrace.accept(shown.provenance());
            }
        });
        show(null);
    }

    ScrollPane root() {
        return root;
    }

    /** The example shown (as last shown or committed), or null. */
    DatasetExample shown() {
        return shown;
    }

    /** Shows {@code e} (null: nothing selected; the form is disabled). Nothing is committed by showing. */
    void show(DatasetExample e) {
        showing = true;
        try {
            shown = e;
            form.setDisable(e == null);
            title.setText(e == null ? "No example selected" : "Example " + e.id());
            input.setText(e == null ? "" : e.input());
            context.setText(e == null ? "" : String.join(PASSAGE_BREAK, e.context()));
            expected.setText(e == null ? "" : e.expectedOutput());
            tags.setText(e == null ? "" : String.join(", ", e.tags()));
            split.setValue(e == null ? Split.NONE : e.split());
            difficulty.setValue(e == null ? "" : e.difficulty());
            notes.setText(e == null ? "" : e.notes());
            Provenance p = e == null ? Provenance.NONE : e.provenance();
            provenance.setText(e == null ? "" : provenanceText(p));
            boolean trace = p.traceId().length() == 32;
            openTrace.setVisible(trace);
            openTrace.setManaged(trace);
            metadata.setText(e == null || e.metadata().isEmpty() ? "(none)" : metadataText(e.metadata()));
            edited.setText(e == null || e.actualOutput().isEmpty() ? "" : "model's answer kept as actual output");
        } finally {
            showing = false;
        }
    }

    /** Commits the fields to the draft if they differ from the example shown. */
    void commit() {
        if (showing || shown == null) {
            return;
        }
        DatasetExample e = shown;
        // fields read back only when their text changed: passages and tags are normalised when parsed
        List<String> ctx = context.getText().equals(String.join(PASSAGE_BREAK, e.context())) ? e.context()
                : passages(context.getText());
        List<String> tagged = tags.getText().equals(String.join(", ", e.tags())) ? e.tags() : tagList(tags.getText());
        DatasetExample after = new DatasetExample(e.id(), input.getText(), e.messages(), ctx,
                expected.getText(), e.actualOutput(), e.metadata(), tagged,
                split.getValue() == null ? Split.NONE : split.getValue(),
                difficulty.getValue() == null ? "" : difficulty.getValue(), notes.getText(), e.provenance());
        if (!after.equals(e)) {
            shown = after;
            onEdit.accept(after, "edit " + e.id() + " " + changed(e, after));
        }
    }

    private static String changed(DatasetExample a, DatasetExample b) {
        List<String> f = new ArrayList<>();
        if (!a.input().equals(b.input())) {
            f.add("input");
        }
        if (!a.context().equals(b.context())) {
            f.add("context");
        }
        if (!a.expectedOutput().equals(b.expectedOutput())) {
            f.add("expected output");
        }
        if (!a.tags().equals(b.tags())) {
            f.add("tags");
        }
        if (a.split() != b.split()) {
            f.add("split");
        }
        if (!a.difficulty().equals(b.difficulty())) {
            f.add("difficulty");
        }
        if (!a.notes().equals(b.notes())) {
            f.add("notes");
        }
        return String.join(", ", f);
    }

    /** The passages of the context field: split at lines holding only "---", blank ones left out. */
    static List<String> passages(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder passage = new StringBuilder();
        for (String line : (text + "\n---").split("\\R", -1)) {
            if (line.strip().matches("-{3,}")) {
                if (!passage.toString().isBlank()) {
                    out.add(passage.toString().strip());
                }
                passage.setLength(0);
            } else {
                passage.append(passage.length() == 0 ? "" : "\n").append(line);
            }
        }
        return out;
    }

    /** Tags as typed: comma-separated, trimmed, blanks left out. */
    static List<String> tagList(String text) {
        return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    static String provenanceText(Provenance p) {
        List<String> parts = new ArrayList<>();
        if (!p.source().isEmpty()) {
            parts.add("from " + Secrets.maskText(p.source()));
        }
        if (!p.traceId().isEmpty()) {
            parts.add("trace " + p.traceId() + (p.spanId() == 0 ? "" : ", span " + Long.toHexString(p.spanId())));
        }
        if (!p.workspace().isEmpty()) {
            parts.add("workspace " + p.workspace());
        }
        if (p.addedAt() != null) {
            parts.add("added " + ADDED.format(p.addedAt()));
        }
        return parts.isEmpty() ? "(unknown)" : String.join("\n", parts);
    }

    private static String metadataText(Map<String, String> m) {
        StringBuilder s = new StringBuilder();
        m.forEach((k, v) -> s.append(s.length() == 0 ? "" : "\n").append(k).append(": ")
                .append(Secrets.maskAttribute(k, v)));
        return s.toString();
    }

    /** The trace id of a provenance, or null. */
    static TraceId traceOf(Provenance p) {
        return p.traceId().length() == 32 ? TraceId.fromHex(p.traceId()) : null;
    }
}
