package dev.tracebench.views.trace;

import dev.tracebench.core.analysis.ModelCallTiming;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.Ids;
import dev.tracebench.core.model.ResourceData;
import dev.tracebench.core.model.ScopeData;
import dev.tracebench.core.model.SpanEventData;
import dev.tracebench.core.model.SpanLinkData;
import dev.tracebench.core.normalize.LlmFields;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceDetail;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.Styles;
import dev.tracebench.views.common.TableCopy;
import dev.tracebench.views.common.TableExport;
import dev.tracebench.views.quality.QualityText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** Everything about the selected span: a summary, its attributes (typed, searchable), events, links and resource. */
final class SpanDetailsView extends BorderPane {
    private final GridPane summary = new GridPane();
    private final ObservableList<AttributeRow> attributes = FXCollections.observableArrayList();
    private final FilteredList<AttributeRow> filtered = new FilteredList<>(attributes);
    private final TextField attributeSearch = new TextField();
    private final TextArea valueViewer = new TextArea();
    private final TreeTableView<String[]> events = new TreeTableView<>();
    private final TableView<String[]> links = new TableView<>();
    private final ObservableList<AttributeRow> resource = FXCollections.observableArrayList();
    private final Label scopeLabel = new Label();
    private final Tab attributesTab = new Tab("Attributes");
    private final Tab eventsTab = new Tab("Events");
    private final Tab linksTab = new Tab("Links");
    private final Tab resourceTab = new Tab("Resource");
    private final Tab normalizedTab = new Tab("Normalised");
    private final Tab contentTab = new Tab("Content");
    private final Tab qualityTab = new Tab("Quality");
    private final TableView<String[]> verdicts = new TableView<>();
    private final VBox contentBox = new VBox(8);
    private final TableView<String[]> normalized = new TableView<>();
    private final VBox conflictBox = new VBox(2);
    private final TextArea eventViewer = new TextArea();
    /** Where CSV exports run. */
    private final dev.tracebench.views.common.BackgroundTasks exports = new dev.tracebench.views.common.BackgroundTasks();
    /** The summary's next free row. */
    private int summaryRow;

    SpanDetailsView() {
        setId("span-details");
        summary.setHgap(12);
        summary.setVgap(3);
        summary.setPadding(new Insets(6, 8, 6, 8));
        summary.getStyleClass().add(Styles.HEADER);

        TabPane tabs = new TabPane(attributesTab, contentTab, normalizedTab, eventsTab, linksTab, resourceTab,
                qualityTab);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        attributesTab.setContent(attributesPane());
        eventsTab.setContent(eventsPane());
        linksTab.setContent(linksPane());
        resourceTab.setContent(resourcePane());
        normalizedTab.setContent(normalizedPane());
        qualityTab.setContent(qualityPane());
        qualityTab.setId("span-quality-tab");
        contentBox.setId("content-box");
        contentBox.setPadding(new Insets(8));
        javafx.scene.control.ScrollPane contentScroll = new javafx.scene.control.ScrollPane(contentBox);
        contentScroll.setFitToWidth(true);
        contentTab.setContent(contentScroll);
        // the summary beside the tabs, not above them: the attribute table keeps the whole height of the pane
        javafx.scene.control.ScrollPane summaryScroll = new javafx.scene.control.ScrollPane(summary);
        summaryScroll.setFitToWidth(true);
        summaryScroll.setPrefViewportWidth(430);
        summaryScroll.setMinWidth(300);
        summaryScroll.getStyleClass().add(Styles.HEADER);
        SplitPane split = new SplitPane(summaryScroll, tabs);
        split.setDividerPositions(0.36);
        SplitPane.setResizableWithParent(summaryScroll, false);
        setCenter(split);
        show(null, null);
    }

    private VBox attributesPane() {
        attributeSearch.setId("attribute-search");
        attributeSearch.setPromptText("Filter attributes by key or value");
        attributeSearch.textProperty().addListener((o, a, b) -> {
            String needle = b == null ? "" : b.trim().toLowerCase(Locale.ROOT);
            filtered.setPredicate(r -> r.matches(needle));
        });
        TableView<AttributeRow> table = attributeTable(filtered);
        table.setId("attribute-table");
        valueViewer.setEditable(false);
        valueViewer.setWrapText(true);
        valueViewer.getStyleClass().add(Styles.MONO);
        valueViewer.setPromptText("Select an attribute to see its whole value");
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) ->
                valueViewer.setText(b == null ? "" : pretty(b.fullValue())));
        installReveal(table, attributes);
        SplitPane split = new SplitPane(table, valueViewer);
        split.setDividerPositions(0.64);
        javafx.scene.control.Button export = new javafx.scene.control.Button("Export CSV…");
        export.setId("attribute-export");
        export.setTooltip(new javafx.scene.control.Tooltip("Save the span's attributes as CSV (secrets masked)"));
        export.setOnAction(e -> {
            List<AttributeRow> rows = List.copyOf(attributes);
            TableExport.saveCsv(this, "attributes.csv", () -> attributeTable(rows), exports);
        });
        javafx.scene.layout.HBox bar = new javafx.scene.layout.HBox(6, attributeSearch, export);
        javafx.scene.layout.HBox.setHgrow(attributeSearch, Priority.ALWAYS);
        export.setMinWidth(javafx.scene.control.Control.USE_PREF_SIZE);
        VBox box = new VBox(4, bar, split);
        box.setPadding(new Insets(4));
        VBox.setVgrow(split, Priority.ALWAYS);
        return box;
    }

    /**
     * "Reveal Value" / "Hide Value" for rows holding a secret, and the copy items (which copy what the cell shows:
     * the masked text unless revealed).
     */
    private static void installReveal(TableView<AttributeRow> table, ObservableList<AttributeRow> source) {
        javafx.scene.control.MenuItem reveal = new javafx.scene.control.MenuItem("Reveal Value");
        reveal.setId("attribute-reveal");
        reveal.setOnAction(e -> {
            AttributeRow r = table.getSelectionModel().getSelectedItem();
            int i = r == null ? -1 : source.indexOf(r);
            if (i >= 0) {
                AttributeRow changed = r.revealed() ? r.hide() : r.reveal();
                source.set(i, changed);
                table.getSelectionModel().select(changed);
            }
        });
        javafx.scene.control.ContextMenu menu = new javafx.scene.control.ContextMenu(reveal);
        menu.setOnShowing(e -> {
            AttributeRow r = table.getSelectionModel().getSelectedItem();
            reveal.setDisable(r == null || !r.secret());
            reveal.setText(r != null && r.revealed() ? "Hide Value" : "Reveal Value");
        });
        table.setContextMenu(menu);
        TableCopy.install(table);
    }

    /** Attributes as a CSV table: values masked whether or not they are revealed on screen. */
    static dev.tracebench.core.report.Table attributeTable(List<AttributeRow> rows) {
        return new dev.tracebench.core.report.Table(List.of("key", "type", "value"), rows.stream()
                .map(r -> List.<Object>of(r.key(), r.type(), r.hide().fullValue())).toList());
    }

    static TableView<AttributeRow> attributeTable(ObservableList<AttributeRow> rows) {
        TableView<AttributeRow> table = new TableView<>(rows);
        TableColumn<AttributeRow, String> key = new TableColumn<>("Key");
        key.setCellValueFactory(f -> new ReadOnlyStringWrapper(f.getValue().key()));
        key.setPrefWidth(230);
        key.setMinWidth(120);
        TableColumn<AttributeRow, String> type = new TableColumn<>("Type");
        type.setCellValueFactory(f -> new ReadOnlyStringWrapper(f.getValue().type()));
        type.setPrefWidth(70);
        type.setMinWidth(55);
        TableColumn<AttributeRow, String> value = new TableColumn<>("Value");
        value.setCellValueFactory(f -> new ReadOnlyStringWrapper(f.getValue().value()));
        value.setPrefWidth(420);
        value.setCellFactory(c -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(String v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty ? null : v);
                AttributeRow r = empty || getTableRow() == null ? null : getTableRow().getItem();
                setTooltip(r != null && r.secret() && !r.revealed()
                        ? new javafx.scene.control.Tooltip("Masked: it looks like a credential. Right-click > "
                                + "Reveal Value to see it.") : null);
                getStyleClass().remove("tb-masked");
                if (r != null && r.secret() && !r.revealed()) {
                    getStyleClass().add("tb-masked");
                }
            }
        });
        table.getColumns().setAll(List.of(key, type, value));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No attributes"));
        return table;
    }

    private SplitPane eventsPane() {
        events.setId("event-table");
        eventViewer.setId("event-viewer");
        eventViewer.setEditable(false);
        eventViewer.getStyleClass().add(Styles.MONO);
        eventViewer.setPromptText("Select an event to read it whole (stack traces too)");
        events.getSelectionModel().selectedItemProperty().addListener((o, a, item) -> eventViewer.setText(
                item == null ? "" : eventText(item)));
        javafx.scene.control.Button copy = new javafx.scene.control.Button("Copy");
        copy.setId("event-copy");
        copy.setTooltip(new javafx.scene.control.Tooltip("Copy the selected event (as shown: secrets stay masked)"));
        copy.setOnAction(e -> TableExport.copy(eventViewer.getText()));
        copy.disableProperty().bind(eventViewer.textProperty().isEmpty());
        javafx.scene.layout.HBox bar = new javafx.scene.layout.HBox(copy);
        bar.setPadding(new Insets(2));
        VBox viewer = new VBox(2, bar, eventViewer);
        VBox.setVgrow(eventViewer, Priority.ALWAYS);
        SplitPane split = new SplitPane(eventsTree(), viewer);
        split.setDividerPositions(0.5);
        return split;
    }

    /** An event with all its attributes in full, or one attribute's value in full. */
    private static String eventText(TreeItem<String[]> item) {
        String[] v = item.getValue();
        if (item.getChildren().isEmpty() && item.getParent() != null && item.getParent().getParent() != null) {
            return v[3];
        }
        StringBuilder sb = new StringBuilder(v[1]).append("  at ").append(v[0]).append('\n');
        for (TreeItem<String[]> c : item.getChildren()) {
            sb.append('\n').append(c.getValue()[1]).append(":\n").append(c.getValue()[3]).append('\n');
        }
        return sb.toString();
    }

    private TreeTableView<String[]> eventsTree() {
        events.setShowRoot(false);
        events.getColumns().setAll(List.of(treeColumn("Time", 0, 110), treeColumn("Event / attribute", 1, 260),
                treeColumn("Value", 2, 420)));
        events.setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        events.setPlaceholder(new Label("No events"));
        return events;
    }

    private VBox normalizedPane() {
        normalized.setId("normalized-table");
        normalized.getColumns().setAll(List.of(column("Field", 0, 160), column("Value", 1, 260),
                column("Decided by", 2, 420)));
        normalized.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        normalized.setPlaceholder(new Label("Nothing LLM-specific in this span's attributes: analysis gives it the "
                + "stage of its parent."));
        conflictBox.setId("normalized-conflicts");
        VBox box = new VBox(4, normalized, conflictBox);
        box.setPadding(new Insets(4));
        VBox.setVgrow(normalized, Priority.ALWAYS);
        return box;
    }

    private TableView<String[]> linksPane() {
        links.setId("link-table");
        links.getColumns().setAll(List.of(column("Linked trace", 0, 280), column("Linked span", 1, 160),
                column("Attributes", 2, 300)));
        links.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        links.setPlaceholder(new Label("No links"));
        return links;
    }

    private TableView<String[]> qualityPane() {
        verdicts.setId("span-verdicts");
        verdicts.getColumns().setAll(List.of(column("On", 0, 90), column("Run", 1, 130), column("Metric", 2, 110),
                column("Verdict", 3, 150), column("Score", 4, 60), column("Explanation", 5, 360)));
        verdicts.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        verdicts.setPlaceholder(new Label("No eval result is linked to this trace"));
        verdicts.setRowFactory(t -> new javafx.scene.control.TableRow<>() {
            @Override
            protected void updateItem(String[] r, boolean empty) {
                super.updateItem(r, empty);
                getStyleClass().remove(Styles.ERROR);
                if (!empty && r != null && r[3].startsWith("✗")) {
                    getStyleClass().add(Styles.ERROR); // a failing verdict reads like a failed span
                }
                setTooltip(empty || r == null || r[5].isEmpty() ? null : new javafx.scene.control.Tooltip(r[5]));
            }
        });
        TableCopy.install(verdicts);
        return verdicts;
    }

    /**
     * Shows the eval verdicts linked to the trace: those on span {@code spanId} first, then those on the trace as a
     * whole, then those on its other spans. Texts are masked like the attributes.
     */
    void showEvals(List<dev.tracebench.core.eval.EvalResult> results, long spanId) {
        List<String[]> rows = new ArrayList<>();
        for (int pass = 0; pass < 3; pass++) {
            for (dev.tracebench.core.eval.EvalResult r : results) {
                int kind = r.spanId() == spanId && spanId != 0 ? 0 : r.spanId() == 0 ? 1 : 2;
                if (kind != pass) {
                    continue;
                }
                rows.add(new String[] {kind == 0 ? "this span" : kind == 1 ? "the trace" : "span "
                        + Ids.spanHex(r.spanId()), QualityText.mask(r.runName()), QualityText.mask(r.evaluator()),
                    QualityText.mark(r) + " " + QualityText.mask(r.label() == null ? verdictWord(r) : r.label()),
                    QualityText.score(r.score()), QualityText.mask(r.explanation())});
            }
        }
        verdicts.getItems().setAll(rows);
        long failing = results.stream().filter(r -> Boolean.FALSE.equals(r.verdict())).count();
        qualityTab.setText("Quality (" + results.size() + (failing == 0 ? "" : ", " + failing + " failing") + ")");
    }

    private static String verdictWord(dev.tracebench.core.eval.EvalResult r) {
        Boolean v = r.verdict();
        return v == null ? "" : v ? "pass" : "fail";
    }

    private VBox resourcePane() {
        TableView<AttributeRow> table = attributeTable(resource);
        table.setId("resource-table");
        scopeLabel.getStyleClass().add(Styles.MUTED);
        VBox box = new VBox(4, scopeLabel, table);
        box.setPadding(new Insets(4));
        VBox.setVgrow(table, Priority.ALWAYS);
        return box;
    }

    private static TreeTableColumn<String[], String> treeColumn(String title, int i, double width) {
        TreeTableColumn<String[], String> c = new TreeTableColumn<>(title);
        c.setCellValueFactory(f -> new ReadOnlyStringWrapper(f.getValue().getValue()[i]));
        c.setPrefWidth(width);
        return c;
    }

    private static TableColumn<String[], String> column(String title, int i, double width) {
        TableColumn<String[], String> c = new TableColumn<>(title);
        c.setCellValueFactory(f -> new ReadOnlyStringWrapper(f.getValue()[i]));
        c.setPrefWidth(width);
        return c;
    }

    /** Shows {@code span} of {@code trace} (both null: nothing selected). */
    void show(SpanDetail span, TraceDetail trace) {
        show(span, trace, null, null);
    }

    /**
     * Shows {@code span}, with why its normalised fields are what they are and what it says (messages, documents);
     * {@code explanation} and {@code content} may be null.
     */
    void show(SpanDetail span, TraceDetail trace, dev.tracebench.core.normalize.Normalization explanation,
            dev.tracebench.core.normalize.LlmContent content) {
        show(span, trace, explanation, content, null);
    }

    /** As above, with the span's place on the trace's critical path ({@code path} may be null). */
    void show(SpanDetail span, TraceDetail trace, dev.tracebench.core.normalize.Normalization explanation,
            dev.tracebench.core.normalize.LlmContent content, CriticalPathIndex path) {
        showNormalization(explanation);
        showContent(content);
        summary.getChildren().clear();
        summaryRow = 0;
        if (span == null) {
            summary.add(new Label("Select a span in the waterfall to see its attributes, events and links."), 0, 0);
            attributes.clear();
            resource.clear();
            events.setRoot(null);
            links.getItems().clear();
            scopeLabel.setText("");
            updateTabTitles(0, 0, 0);
            return;
        }
        long traceStart = trace.spans().stream().mapToLong(SpanDetail::startNs).min().orElse(span.startNs());
        addPair("Span", Format.spanName(span.name()));
        addPair("Service", span.serviceName());
        addPair("Status", span.status().name() + (span.statusMessage() == null || span.statusMessage()
                .isEmpty() ? "" : ": " + span.statusMessage()));
        addPair("Kind", span.kind().label());
        addPair("Start", Format.offset(span.startNs() - traceStart) + "   (" + Format.dateTime(span.startNs())
                + ")");
        addPair("Duration", Format.duration(span.durationNs()));
        addPair("Span id", Ids.spanHex(span.spanId()));
        addPair("Parent id", span.parentSpanId() == null ? "(root)" : Ids.spanHex(span.parentSpanId()));
        if (path != null) {
            String own = span.llm() == null ? null : span.llm().stage();
            String eff = path.stage(span.spanId());
            Long self = path.selfNs(span.spanId());
            long on = path.pathNs(span.spanId());
            long total = path.path().traceDurationNs();
            addPair("Stage", eff == null ? "?" : eff + (own == null ? "  (inherited)" : ""))
                    .setId("span-stage");
            addPair("Self time", self == null ? "?" : Format.duration(self) + "  (not in its children)")
                    .setId("span-self-time");
            long withChildren = subtreePathNs(trace, span.spanId(), path);
            String text;
            if (withChildren <= 0) {
                text = "not on the critical path";
            } else if (withChildren == on) {
                text = Format.duration(on) + percentOf(on, total);
            } else {
                text = Format.duration(on) + " own, " + Format.duration(withChildren) + " with its children"
                        + percentOf(withChildren, total);
            }
            addPair("Critical path", text).setId("span-critical-path");
            addPair("Path segments", Integer.toString(path.segments(span.spanId()).size()));
        }
        LlmFields llm = span.llm();
        String llmText = llmSummary(llm);
        if (!llmText.isEmpty()) {
            Label l = new Label("LLM");
            l.getStyleClass().add(Styles.MUTED);
            Label v = new Label(llmText);
            v.setWrapText(true);
            summary.add(l, 0, summaryRow);
            summary.add(v, 1, summaryRow++);
        }
        java.util.Optional<ModelCallTiming> timing = ModelCallTiming.of(trace, span);
        if (timing.isPresent()) {
            Label l = new Label("Model call");
            l.getStyleClass().add(Styles.MUTED);
            Label v = new Label(timingSummary(timing.get()));
            v.setWrapText(true);
            v.setId("span-model-timing");
            summary.add(l, 0, summaryRow);
            summary.add(v, 1, summaryRow++);
        }
        if (span.isError()) {
            if (!summary.getStyleClass().contains(Styles.ERROR)) {
                summary.getStyleClass().add(Styles.ERROR);
            }
        } else {
            summary.getStyleClass().remove(Styles.ERROR);
        }

        List<AttributeRow> rows = new ArrayList<>();
        for (Attribute a : span.attributes()) {
            rows.add(AttributeRow.of(a));
        }
        attributes.setAll(rows);
        valueViewer.clear();

        TreeItem<String[]> root = new TreeItem<>(new String[] {"", "", "", ""});
        eventViewer.clear();
        for (SpanEventData e : span.events()) {
            TreeItem<String[]> item = new TreeItem<>(new String[] {Format.offset(e.timeNs() - span.startNs()),
                e.name(), e.attributes().size() + " attribute" + (e.attributes().size() == 1 ? "" : "s"), ""});
            for (Attribute a : e.attributes()) {
                AttributeRow ar = AttributeRow.of(a);
                item.getChildren().add(new TreeItem<>(new String[] {"", a.key() + "  (" + a.value().typeName() + ")",
                    ar.value(), ar.fullValue()}));
            }
            item.setExpanded(true);
            root.getChildren().add(item);
        }
        events.setRoot(root);

        List<String[]> linkRows = new ArrayList<>();
        for (SpanLinkData l : span.links()) {
            StringBuilder attrs = new StringBuilder();
            for (Attribute a : l.attributes()) {
                if (attrs.length() > 0) {
                    attrs.append(", ");
                }
                attrs.append(a.key()).append('=').append(dev.tracebench.core.report.Secrets.maskAttribute(a.key(),
                        a.value().display()));
            }
            linkRows.add(new String[] {l.traceId().hex(), Ids.spanHex(l.spanId()), attrs.toString()});
        }
        links.getItems().setAll(linkRows);

        ResourceData r = trace.resources().get(span.resourceId());
        List<AttributeRow> res = new ArrayList<>();
        if (r != null) {
            for (Attribute a : r.attributes()) {
                res.add(AttributeRow.of(a));
            }
        }
        resource.setAll(res);
        ScopeData sc = trace.scopes().get(span.scopeId());
        scopeLabel.setText(sc == null ? "" : "Instrumentation scope: " + (sc.name().isEmpty() ? "(unnamed)"
                : sc.name()) + (sc.version().isEmpty() ? "" : " " + sc.version())
                + (r != null && r.schemaUrl() != null ? "    Schema: " + r.schemaUrl() : ""));
        updateTabTitles(span.attributes().size(), span.events().size(), span.links().size());
    }

    private void showContent(dev.tracebench.core.normalize.LlmContent c) {
        contentBox.getChildren().clear();
        if (c == null || c.isEmpty()) {
            contentTab.setText("Content");
            Label none = new Label("No prompts, messages or retrieved documents in this span's attributes or events.");
            none.getStyleClass().add(Styles.MUTED);
            contentBox.getChildren().add(none);
            return;
        }
        int parts = 0;
        if (c.query() != null) {
            contentBox.getChildren().add(card("Query", c.sources().get("query"), c.query()));
            parts++;
        }
        if (c.system() != null) {
            contentBox.getChildren().add(card("System instructions", c.sources().get("system"), c.system()));
            parts++;
        }
        for (dev.tracebench.core.normalize.LlmContent.Message m : c.input()) {
            if (c.system() != null && ("system".equals(m.role()) || "developer".equals(m.role()))
                    && c.system().contains(String.valueOf(m.text()))) {
                continue; // already shown as the system instructions
            }
            contentBox.getChildren().add(messageCard("Input", m, c.sources().get("input")));
            parts++;
        }
        for (dev.tracebench.core.normalize.LlmContent.Message m : c.output()) {
            contentBox.getChildren().add(messageCard("Output", m, c.sources().get("output")));
            parts++;
        }
        if (!c.documents().isEmpty()) {
            TableView<String[]> docs = new TableView<>();
            docs.setId("content-documents");
            docs.getColumns().setAll(List.of(column("#", 0, 40), column("Id", 1, 160), column("Score", 2, 70),
                    column("Content", 3, 480)));
            docs.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
            int i = 0;
            for (dev.tracebench.core.normalize.LlmContent.Document d : c.documents()) {
                docs.getItems().add(new String[] {Integer.toString(i++), d.id() == null ? "" : d.id(),
                    d.score() == null ? "" : String.format(Locale.ROOT, "%.3f", d.score()),
                    d.content() == null ? "" : d.content().replace('\n', ' ')});
            }
            for (int col = 0; col < 3; col++) {
                docs.getColumns().get(col).setMaxWidth(col == 1 ? 220 : 80);
            }
            docs.setPrefHeight(Math.min(320, 32 + 26 * c.documents().size()));
            Label title = new Label("Retrieved documents (" + c.documents().size() + ")" + from(c.sources()
                    .get("documents")));
            title.getStyleClass().add(Styles.MUTED);
            TextArea whole = new TextArea();
            whole.setEditable(false);
            whole.setWrapText(true);
            whole.setPrefRowCount(4);
            whole.setPromptText("Select a document to read all of it");
            List<dev.tracebench.core.normalize.LlmContent.Document> list = c.documents();
            docs.getSelectionModel().selectedIndexProperty().addListener((o, a, b) -> {
                int at = b.intValue();
                dev.tracebench.core.normalize.LlmContent.Document d = at < 0 || at >= list.size() ? null
                        : list.get(at);
                whole.setText(d == null ? "" : (d.content() == null ? "(no content recorded)" : d.content())
                        + (d.metadata() == null ? "" : "\n\nmetadata: " + d.metadata()));
            });
            contentBox.getChildren().addAll(title, docs, whole);
            parts++;
        }
        contentTab.setText("Content (" + parts + ")");
    }

    private static String from(dev.tracebench.core.normalize.NormSource s) {
        return s == null ? "" : "  ·  " + s.label();
    }

    private VBox messageCard(String direction, dev.tracebench.core.normalize.LlmContent.Message m,
            dev.tracebench.core.normalize.NormSource source) {
        StringBuilder body = new StringBuilder(m.text() == null ? "" : m.text());
        for (dev.tracebench.core.normalize.LlmContent.ToolCall t : m.toolCalls()) {
            body.append(body.length() == 0 ? "" : "\n").append("→ tool call ").append(t.name() == null ? "?" : t.name())
                    .append(t.arguments() == null ? "" : " " + t.arguments())
                    .append(t.id() == null ? "" : "   [" + t.id() + "]");
        }
        String title = direction + " · " + (m.role() == null ? "message" : m.role())
                + (m.toolCallId() == null ? "" : " (answers " + m.toolCallId() + ")")
                + (m.finishReason() == null ? "" : " · finished: " + m.finishReason());
        return card(title, source, body.toString());
    }

    /** A titled, selectable block of text, as tall as its text up to a limit. */
    private static VBox card(String title, dev.tracebench.core.normalize.NormSource source, String text) {
        Label t = new Label(title + from(source));
        t.getStyleClass().add(Styles.MUTED);
        TextArea body = new TextArea(text);
        body.setEditable(false);
        body.setWrapText(true);
        long lines = text.chars().filter(ch -> ch == '\n').count() + 1 + text.length() / 110;
        body.setPrefRowCount((int) Math.max(1, Math.min(14, lines)));
        body.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        VBox box = new VBox(2, t, body);
        box.getStyleClass().add("tb-content-card");
        return box;
    }

    private void showNormalization(dev.tracebench.core.normalize.Normalization x) {
        normalized.getItems().clear();
        conflictBox.getChildren().clear();
        if (x == null) {
            normalizedTab.setText("Normalised");
            return;
        }
        for (dev.tracebench.core.normalize.Decision d : x.decisions()) {
            String source = d.explain();
            if (d.field() == dev.tracebench.core.normalize.NormField.COST) {
                source = (d.source() == dev.tracebench.core.normalize.NormSource.PRICE_TABLE ? "computed from the "
                        : "reported by ") + source;
            }
            normalized.getItems().add(new String[] {d.field().label(), valueText(d), source});
        }
        for (dev.tracebench.core.normalize.Conflict c : x.conflicts()) {
            Label l = new Label("⚠ " + c.field().label() + ": " + show(c.chosen()) + " from " + c.chosen().explain()
                    + " won over " + show(c.other()) + " from " + c.other().explain());
            l.setWrapText(true);
            l.getStyleClass().add(Styles.ERROR);
            conflictBox.getChildren().add(l);
        }
        normalizedTab.setText("Normalised (" + x.decisions().size() + (x.conflicts().isEmpty() ? ""
                : ", " + x.conflicts().size() + " conflict" + (x.conflicts().size() == 1 ? "" : "s")) + ")");
    }

    private static String valueText(dev.tracebench.core.normalize.Decision d) {
        return show(d);
    }

    private static String show(dev.tracebench.core.normalize.Decision d) {
        Object v = d.value();
        return switch (d.field()) {
            case COST -> String.format(Locale.ROOT, "$%.6f", ((Number) v).doubleValue());
            case TTFT -> Format.duration(((Number) v).longValue());
            case STAGE -> ((dev.tracebench.core.normalize.Stage) v).id();
            case CACHE_HIT -> Boolean.TRUE.equals(v) ? "hit" : "miss";
            case INPUT_TOKENS, OUTPUT_TOKENS, CACHED_TOKENS, REASONING_TOKENS -> Format.count(((Number) v).longValue());
            default -> String.valueOf(v);
        };
    }

    private void updateTabTitles(int a, int e, int l) {
        attributesTab.setText("Attributes (" + a + ")");
        eventsTab.setText("Events (" + e + ")");
        linksTab.setText("Links (" + l + ")");
    }

    /** Adds a name and its value on the summary's next row. */
    private Label addPair(String name, String value) {
        Label n = new Label(name);
        n.getStyleClass().add(Styles.MUTED);
        n.setMinWidth(Label.USE_PREF_SIZE);
        Label v = new Label(value);
        v.setWrapText(true);
        summary.add(n, 0, summaryRow);
        summary.add(v, 1, summaryRow++);
        return v;
    }

    static String llmSummary(LlmFields f) {
        List<String> parts = new ArrayList<>();
        if (f.stage() != null) {
            parts.add("stage " + f.stage());
        }
        if (f.operation() != null) {
            parts.add(f.operation());
        }
        if (f.provider() != null) {
            parts.add(f.provider());
        }
        if (f.requestModel() != null) {
            parts.add(f.responseModel() != null && !f.responseModel().equals(f.requestModel())
                    ? f.requestModel() + " → " + f.responseModel() : f.requestModel());
        }
        if (f.inputTokens() != null || f.outputTokens() != null) {
            parts.add((f.inputTokens() == null ? "?" : Format.count(f.inputTokens())) + " in / "
                    + (f.outputTokens() == null ? "?" : Format.count(f.outputTokens())) + " out tokens"
                    + (f.cachedTokens() != null && f.cachedTokens() > 0 ? " (" + Format.count(f.cachedTokens())
                            + " cached)" : ""));
        }
        if (f.cost() != null) {
            parts.add(String.format(Locale.ROOT, "$%.5f", f.cost()) + (f.costSource() == null ? ""
                    : " (" + f.costSource() + ")"));
        }
        if (f.ttftNs() != null) {
            parts.add("first token after " + Format.duration(f.ttftNs()));
        }
        if (f.conflicts() > 0) {
            parts.add("⚠ " + f.conflicts() + " conflict" + (f.conflicts() == 1 ? "" : "s"));
        }
        return String.join(" · ", parts);
    }

    /** "  (12.3% of the trace)", "  (<0.1% of the trace)". */
    static String percentOf(long ns, long total) {
        if (total <= 0) {
            return "";
        }
        double p = 100.0 * ns / total;
        return p > 0 && p < 0.1 ? "  (<0.1% of the trace)" : String.format(Locale.ROOT, "  (%.1f%% of the trace)", p);
    }

    /** Time on the critical path of a span and all its descendants. */
    static long subtreePathNs(TraceDetail trace, long spanId, CriticalPathIndex path) {
        Map<Long, List<Long>> children = new java.util.HashMap<>();
        for (SpanDetail s : trace.spans()) {
            if (s.parentSpanId() != null && s.parentSpanId() != s.spanId()) {
                children.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>()).add(s.spanId());
            }
        }
        long sum = 0;
        java.util.ArrayDeque<Long> todo = new java.util.ArrayDeque<>(List.of(spanId));
        java.util.Set<Long> seen = new java.util.HashSet<>();
        while (!todo.isEmpty()) {
            long id = todo.pop();
            if (seen.add(id)) {
                sum += path.pathNs(id);
                todo.addAll(children.getOrDefault(id, List.of()));
            }
        }
        return sum;
    }

    /** "queue 3 ms · generation 1.2 s · overhead 4 ms · first token after 310 ms". */
    static String timingSummary(ModelCallTiming t) {
        List<String> parts = new ArrayList<>();
        parts.add("queue " + Format.duration(t.queueNs()));
        parts.add("generation " + Format.duration(t.generationNs()));
        if (t.overheadNs() > 0) {
            parts.add("overhead " + Format.duration(t.overheadNs()));
        }
        parts.add(t.ttftNs() == null ? "time to first token not recorded"
                : "first token after " + Format.duration(t.ttftNs()));
        return String.join(" · ", parts);
    }

    /** Pretty-prints JSON values for the viewer; other text is shown as is. */
    static String pretty(String s) {
        String t = s.strip();
        if (!(t.startsWith("{") || t.startsWith("[")) || t.length() > 2_000_000) {
            return s;
        }
        StringBuilder out = new StringBuilder(t.length() + t.length() / 4);
        int indent = 0;
        boolean inString = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\' && i + 1 < t.length()) {
                    out.append(t.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    inString = true;
                    out.append(c);
                }
                case '{', '[' -> {
                    out.append(c).append('\n');
                    indent++;
                    out.append("  ".repeat(indent));
                }
                case '}', ']' -> {
                    indent = Math.max(0, indent - 1);
                    out.append('\n').append("  ".repeat(indent)).append(c);
                }
                case ',' -> out.append(",\n").append("  ".repeat(indent));
                case ':' -> out.append(": ");
                default -> {
                    if (!Character.isWhitespace(c)) {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
