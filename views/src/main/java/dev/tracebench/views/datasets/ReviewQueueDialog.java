package dev.tracebench.views.datasets;

import dev.tracebench.core.dataset.DatasetVersion;
import dev.tracebench.core.eval.EvalInput;
import dev.tracebench.core.report.Secrets;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.Navigator;
import dev.tracebench.views.common.Styles;
import dev.tracebench.views.datasets.ReviewQueueViewModel.Candidate;
import dev.tracebench.views.datasets.ReviewQueueViewModel.Decision;
import dev.tracebench.views.datasets.ReviewQueueViewModel.TraceContext;
import java.util.List;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * The review queue window: the cohort's answers listed on the left, the one under review on the right (question,
 * retrieved passages, the model's answer, the trace's context with "Open trace"), the expected output (the model's
 * answer to begin with) and tags editable. Keys, when not typing: A or Enter accept, S skip, E edit the expected
 * output (Esc leaves the field), B or Left back; Ctrl+Enter accepts from inside a field. "Save to dataset" appends
 * the accepted examples to the chosen dataset as a new version.
 */
public final class ReviewQueueDialog extends Stage {
    private final ReviewQueueViewModel vm;
    private final ListView<Candidate> list = new ListView<>();
    private final TextArea question = readOnly("review-question", 3);
    private final TextArea passages = readOnly("review-passages", 5);
    private final TextArea answer = readOnly("review-answer", 4);
    private final TextArea expected = new TextArea();
    private final TextField tags = new TextField();
    private final Label context = new Label();
    private final Label decision = new Label();
    private final Hyperlink openTrace = new Hyperlink("Open trace");
    private boolean showing;
    /** A key press the queue handled: its KEY_TYPED is swallowed. */
    private boolean handled;

    /**
     * @param onSaved called with the saved version (the shell refreshes and shows the dataset)
     */
    public ReviewQueueDialog(Window owner, ReviewQueueViewModel vm, Navigator navigator,
            Consumer<DatasetVersion> onSaved) {
        this.vm = vm;
        initOwner(owner);
        setTitle("Review queue: " + Secrets.maskText(vm.label()));
        BorderPane root = new BorderPane();
        root.setId("review-queue");
        root.setTop(header());
        list.setId("review-list");
        list.setItems(vm.candidates());
        list.setCellFactory(l -> new ListCell<>() {
            {
                setPrefWidth(0); // long questions end in "…" instead of widening the list
            }

            @Override
            protected void updateItem(Candidate c, boolean empty) {
                super.updateItem(c, empty);
                setText(empty || c == null ? null : glyph(c.decision()) + " "
                        + DatasetsView.oneLine(c.input().input().question(), 60));
            }
        });
        list.setPrefWidth(260);
        list.setFocusTraversable(false);
        list.getSelectionModel().selectedIndexProperty().addListener((o, a, b) -> {
            if (!showing && b.intValue() >= 0) {
                vm.show(b.intValue());
            }
        });
        SplitPane split = new SplitPane(list, reviewPane());
        split.setDividerPositions(0.26);
        SplitPane.setResizableWithParent(list, false);
        root.setCenter(split);
        root.setBottom(buttons(navigator, onSaved));
        vm.currentProperty().addListener((o, a, b) -> show(b));
        vm.changesProperty().addListener((o, a, b) -> {
            list.refresh();
            show(vm.currentProperty().get());
        });
        Scene scene = new Scene(root, 1100, 720);
        scene.getStylesheets().add(Styles.stylesheet());
        scene.addEventFilter(KeyEvent.KEY_PRESSED, this::keys);
        // the character of a key the queue handled must not reach the field it focused (E, then "e" typed)
        scene.addEventFilter(KeyEvent.KEY_TYPED, e -> {
            if (handled) {
                handled = false;
                e.consume();
            }
        });
        setScene(scene);
        setOnHidden(e -> vm.cancel());
    }

    public ReviewQueueViewModel viewModel() {
        return vm;
    }

    TextArea expectedField() {
        return expected;
    }

    private Node header() {
        Label title = new Label("Review: " + Secrets.maskText(vm.label()));
        title.getStyleClass().add(Styles.TITLE);
        title.setMinWidth(0);
        Label status = new Label();
        status.setId("review-status");
        status.getStyleClass().add(Styles.MUTED);
        status.textProperty().bind(vm.statusProperty());
        status.setMinWidth(Region.USE_PREF_SIZE);
        HBox loading = Styles.busyWithCancel(vm.loadingProperty().or(vm.savingProperty()), vm::cancel, null);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        ComboBox<String> target = new ComboBox<>(vm.datasetNames());
        target.setId("review-target");
        target.setEditable(true);
        target.setPromptText("dataset name");
        target.setTooltip(new Tooltip("The dataset the accepted examples go to: pick one, or type a new name"));
        target.setPrefWidth(180);
        target.valueProperty().bindBidirectional(vm.targetProperty());
        // a typed name counts without pressing Enter
        target.getEditor().textProperty().addListener((o, a, b) -> {
            if (target.isFocused() || target.getEditor().isFocused()) {
                vm.targetProperty().set(b);
            }
        });
        TextField bulk = new TextField();
        bulk.setId("review-bulk-tags");
        bulk.setPromptText("tags for every accepted example");
        bulk.setPrefWidth(200);
        bulk.textProperty().addListener((o, a, b) -> vm.bulkTags().setAll(ExampleEditor.tagList(b)));
        Label to = muted("Add to");
        Label tagged = muted("tagged");
        HBox bar = new HBox(8, title, status, loading, spacer, to, target, tagged, bulk);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 8, 6, 10));
        bar.getStyleClass().add(Styles.FILTER_BAR);
        return new VBox(bar, Styles.errorBanner("review-problem", vm.problemProperty()));
    }

    private Node reviewPane() {
        expected.setId("review-expected");
        expected.setWrapText(true);
        expected.setPrefRowCount(4);
        expected.setMinHeight(56);
        expected.setPromptText("The golden answer (E to edit)");
        expected.textProperty().addListener((o, a, b) -> {
            if (!showing) {
                vm.setExpected(b);
            }
        });
        tags.setId("review-tags");
        tags.setPromptText("tags of this example, comma-separated");
        tags.textProperty().addListener((o, a, b) -> {
            if (!showing) {
                vm.setTags(ExampleEditor.tagList(b));
            }
        });
        context.setId("review-context");
        context.setWrapText(true);
        context.getStyleClass().add(Styles.MUTED);
        decision.setId("review-decision");
        decision.setMinWidth(Region.USE_PREF_SIZE);
        openTrace.setId("review-open-trace");
        openTrace.setMinWidth(Region.USE_PREF_SIZE);
        context.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(context, Priority.ALWAYS);
        HBox trace = new HBox(8, decision, context, openTrace);
        trace.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(4, trace, section("Question"), question, section("Retrieved passages"), passages,
                section("Model's answer"), answer, section("Expected output"), expected, section("Tags"), tags);
        VBox.setVgrow(passages, Priority.ALWAYS);
        VBox.setVgrow(expected, Priority.SOMETIMES);
        box.setPadding(new Insets(6, 10, 6, 10));
        return box;
    }

    private Node buttons(Navigator navigator, Consumer<DatasetVersion> onSaved) {
        Button back = new Button("Back (B)");
        back.setId("review-back");
        back.setOnAction(e -> vm.back());
        Button skip = new Button("Skip (S)");
        skip.setId("review-skip");
        skip.setOnAction(e -> vm.skip());
        Button edit = new Button("Edit (E)");
        edit.setId("review-edit");
        edit.setOnAction(e -> editExpected());
        Button accept = new Button("Accept (A, Enter)");
        accept.setId("review-accept");
        accept.getStyleClass().add("tb-primary");
        accept.setOnAction(e -> vm.accept());
        for (Button b : List.of(back, skip, edit, accept)) {
            b.setFocusTraversable(false); // Enter and Space belong to the queue, not to the focused button
            b.disableProperty().bind(vm.currentProperty().isNull());
        }
        Label hint = muted("Keys: A or Enter accept · S skip · E edit · B back · Ctrl+Enter accepts while editing · "
                + "Esc leaves a field");
        hint.setMinWidth(0);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Button save = new Button("Save to dataset");
        save.setId("review-save");
        save.setTooltip(new Tooltip("Append the accepted examples to the dataset as a new version"));
        save.disableProperty().bind(vm.savingProperty());
        save.setFocusTraversable(false);
        save.setOnAction(e -> vm.finish(v -> {
            onSaved.accept(v);
            close();
        }));
        openTrace.setOnAction(e -> {
            Candidate c = vm.currentProperty().get();
            if (c != null && navigator != null) {
                navigator.openTrace(c.input().traceId(), c.input().spanId());
            }
        });
        for (Region r : List.of(back, skip, edit, accept, save)) {
            r.setMinWidth(Region.USE_PREF_SIZE);
        }
        HBox bar = new HBox(8, back, skip, edit, accept, hint, spacer, save);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 10, 8, 10));
        return bar;
    }

    private void keys(KeyEvent e) {
        boolean typing = getScene().getFocusOwner() instanceof TextInputControl t && t.isEditable();
        if (typing) {
            if (e.getCode() == KeyCode.ENTER && e.isShortcutDown()) {
                vm.accept();
                list.requestFocus();
                e.consume();
            } else if (e.getCode() == KeyCode.ESCAPE) {
                list.requestFocus();
                e.consume();
            }
            return;
        }
        if (e.isShortcutDown() || e.isAltDown()) {
            return;
        }
        switch (e.getCode()) {
            case A, ENTER -> vm.accept();
            case S -> vm.skip();
            case E -> editExpected();
            case B, LEFT -> vm.back();
            case RIGHT -> vm.show(vm.indexProperty().get() + 1);
            default -> {
                return;
            }
        }
        handled = true;
        e.consume();
    }

    private void editExpected() {
        expected.requestFocus();
        expected.selectAll();
    }

    private void show(Candidate c) {
        showing = true;
        try {
            int i = vm.indexProperty().get();
            if (list.getSelectionModel().getSelectedIndex() != i) {
                list.getSelectionModel().clearAndSelect(i);
                if (i >= 0) {
                    list.scrollTo(Math.max(0, i - 3));
                }
            }
            EvalInput in = c == null ? null : c.input().input();
            question.setText(in == null ? "" : Secrets.maskText(in.question()));
            passages.setText(in == null ? "" : numbered(in.contexts()));
            answer.setText(in == null ? "" : Secrets.maskText(in.answer()));
            if (c == null || !expected.getText().equals(c.expected())) {
                expected.setText(c == null ? "" : c.expected());
            }
            String t = c == null ? "" : String.join(", ", c.tags());
            if (!ExampleEditor.tagList(tags.getText()).equals(c == null ? List.of() : c.tags())) {
                tags.setText(t);
            }
            decision.setText(c == null ? "" : glyph(c.decision()) + " " + c.decision().name().toLowerCase());
            context.setText(c == null ? "" : contextText(c));
            openTrace.setVisible(c != null);
        } finally {
            showing = false;
        }
    }

    static String contextText(Candidate c) {
        TraceContext x = c.context();
        String id = "trace " + c.input().traceId().hex().substring(0, 12) + "…";
        if (x == null) {
            return id;
        }
        StringBuilder s = new StringBuilder(id).append(" · ").append(Secrets.maskText(x.rootName())).append(" (")
                .append(x.service()).append(") · ").append(Format.duration(x.durationNs())).append(" · ")
                .append(x.spans()).append(" spans");
        if (!x.spanName().isEmpty() && !x.spanName().equals(x.rootName())) {
            s.append(" · answer from ").append(x.spanName());
        }
        if (!x.model().isEmpty()) {
            s.append(" · ").append(x.model());
        }
        if (!x.stage().isEmpty()) {
            s.append(" · stage ").append(x.stage());
        }
        if (x.error()) {
            s.append(" · has errors");
        }
        return s.toString();
    }

    private static String numbered(List<String> contexts) {
        if (contexts.isEmpty()) {
            return "(none retrieved)";
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < contexts.size(); i++) {
            s.append(i == 0 ? "" : "\n\n").append('[').append(i + 1).append("] ")
                    .append(Secrets.maskText(contexts.get(i)));
        }
        return s.toString();
    }

    static String glyph(Decision d) {
        return switch (d) {
            case ACCEPTED -> "✓";
            case SKIPPED -> "✗";
            case PENDING -> "•";
        };
    }

    private static TextArea readOnly(String id, int rows) {
        TextArea t = new TextArea();
        t.setId(id);
        t.setEditable(false);
        t.setWrapText(true);
        t.setPrefRowCount(rows);
        t.setMinHeight(48); // the window stays usable when small: the texts scroll
        t.setFocusTraversable(false);
        return t;
    }

    private static Label section(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("tb-section-title");
        return l;
    }

    private static Label muted(String text) {
        Label l = new Label(text);
        l.getStyleClass().add(Styles.MUTED);
        return l;
    }
}
