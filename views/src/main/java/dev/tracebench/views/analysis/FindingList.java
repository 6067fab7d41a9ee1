package dev.tracebench.views.analysis;

import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.Styles;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import javafx.scene.text.Text;

/**
 * Findings, most important first: a severity badge, the one-sentence summary, the evidence in numbers, the example
 * traces (click one to open it) and, expanded, the explanation and the facts behind it. Enter opens the selected
 * finding's first example; Space (or the "Why?" link) expands it.
 */
final class FindingList extends ListView<Finding> {
    private final Set<Finding> expanded = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Consumer<TraceId> onOpen;

    FindingList(ObservableList<Finding> items, Consumer<TraceId> onOpen) {
        super(items);
        this.onOpen = onOpen;
        getStyleClass().add("tb-findings");
        setCellFactory(l -> new Cell());
        setOnKeyPressed(e -> {
            Finding f = getSelectionModel().getSelectedItem();
            if (f == null) {
                return;
            }
            if (e.getCode() == KeyCode.ENTER) {
                if (!f.exemplars().isEmpty()) {
                    onOpen.accept(f.exemplars().get(0));
                }
                e.consume();
            } else if (e.getCode() == KeyCode.SPACE) {
                toggle(f);
                e.consume();
            }
        });
    }

    boolean isExpanded(Finding f) {
        return expanded.contains(f);
    }

    void toggle(Finding f) {
        if (!expanded.remove(f)) {
            expanded.add(f);
        }
        refresh();
    }

    static String color(Severity s) {
        return switch (s) {
            case CRITICAL -> "#c62828";
            case WARNING -> "#ef6c00";
            case NOTICE -> "#f9a825";
            case INFO -> "#1565c0";
        };
    }

    private static String glyph(Severity s) {
        return switch (s) {
            case CRITICAL, WARNING -> "!";
            case NOTICE -> "•";
            case INFO -> "i";
        };
    }

    /** A severity badge: a coloured disc with a glyph. */
    static StackPane badge(Severity s) {
        Circle c = new Circle(9, javafx.scene.paint.Color.web(color(s)));
        Text t = new Text(glyph(s));
        t.getStyleClass().add("tb-severity-glyph");
        StackPane p = new StackPane(c, t);
        p.setMinSize(20, 20);
        Tooltip.install(p, new Tooltip(s.label()));
        return p;
    }

    /** The evidence in one line. */
    static String evidence(Finding.Evidence e) {
        StringBuilder sb = new StringBuilder();
        if (e.cohortTraces() > 0) {
            sb.append(Format.count(e.cohortMatching())).append(" of ").append(Format.count(e.cohortTraces()))
                    .append(String.format(Locale.ROOT, " (%.1f%%)", e.cohortShare() * 100));
            if (e.restTraces() > 0) {
                sb.append(" vs ").append(Format.count(e.restMatching())).append(" of ")
                        .append(Format.count(e.restTraces())).append(" others")
                        .append(String.format(Locale.ROOT, " (%.1f%%)", e.restShare() * 100));
            }
        }
        if (e.confidence() > 0) {
            sb.append(sb.length() == 0 ? "" : " · ").append(String.format(Locale.ROOT, "confidence %.3f",
                    e.confidence()));
        }
        return sb.toString();
    }

    /** The facts, with durations in ns written as durations. */
    static String facts(Map<String, String> facts) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> x : new TreeMap<>(facts).entrySet()) {
            String v = x.getValue();
            String k = x.getKey();
            if (k.endsWith("_ns")) {
                try {
                    v = Format.duration(Long.parseLong(v.strip()));
                    k = k.substring(0, k.length() - 3);
                } catch (NumberFormatException ignored) {
                    // not a number: as it is
                }
            }
            sb.append(sb.length() == 0 ? "" : "   ·   ").append(k.replace('_', ' ')).append(": ").append(v);
        }
        return sb.toString();
    }

    private final class Cell extends ListCell<Finding> {
        private final Label summary = new Label();
        private final Label meta = new Label();
        private final Label explanation = new Label();
        private final Label factLine = new Label();
        private final Hyperlink why = new Hyperlink();
        private final FlowPane exemplars = new FlowPane(4, 0);
        private final HBox head = new HBox(8);
        private final VBox body = new VBox(3);
        private Finding shown;
        private boolean shownOpen;

        Cell() {
            summary.setWrapText(true);
            summary.getStyleClass().add("tb-finding-summary");
            meta.getStyleClass().add(Styles.MUTED);
            meta.setWrapText(true);
            explanation.setWrapText(true);
            explanation.getStyleClass().add("tb-finding-explanation");
            factLine.setWrapText(true);
            factLine.getStyleClass().addAll(Styles.MUTED, "tb-finding-facts");
            why.setFocusTraversable(false);
            why.setOnAction(e -> {
                if (getItem() != null) {
                    toggle(getItem());
                }
            });
            exemplars.setAlignment(Pos.CENTER_LEFT);
            VBox text = new VBox(2, summary, meta);
            HBox.setHgrow(text, Priority.ALWAYS);
            head.setAlignment(Pos.TOP_LEFT);
            body.setPadding(new Insets(4, 4, 6, 4));
            // wrapped labels need a width to wrap at
            summary.maxWidthProperty().bind(FindingList.this.widthProperty().subtract(80));
            meta.maxWidthProperty().bind(FindingList.this.widthProperty().subtract(80));
            explanation.maxWidthProperty().bind(FindingList.this.widthProperty().subtract(80));
            factLine.maxWidthProperty().bind(FindingList.this.widthProperty().subtract(80));
            exemplars.prefWrapLengthProperty().bind(FindingList.this.widthProperty().subtract(80));
            head.getChildren().add(text);
            setText(null);
        }

        @Override
        protected void updateItem(Finding f, boolean empty) {
            super.updateItem(f, empty);
            if (empty || f == null) {
                shown = null;
                setGraphic(null);
                return;
            }
            boolean open = expanded.contains(f);
            if (f == shown && open == shownOpen && getGraphic() == body) {
                return; // the same: keep the nodes (a click on a link may be under way)
            }
            shown = f;
            shownOpen = open;
            head.getChildren().setAll(badge(f.severity()), head.getChildren().get(head.getChildren().size() - 1));
            summary.setText(f.summary());
            String ev = evidence(f.evidence());
            meta.setText(f.severity().label() + " · " + f.check() + (ev.isEmpty() ? "" : " · " + ev));
            why.setText(open ? "Hide the explanation" : "Why? Show the explanation");
            explanation.setText(f.explanation());
            factLine.setText(facts(f.evidence().facts()));
            exemplars.getChildren().clear();
            if (!f.exemplars().isEmpty()) {
                Label ex = new Label("Example traces:");
                ex.getStyleClass().add(Styles.MUTED);
                exemplars.getChildren().add(ex);
                List<TraceId> ids = f.exemplars();
                for (int i = 0; i < Math.min(6, ids.size()); i++) {
                    TraceId id = ids.get(i);
                    Hyperlink h = new Hyperlink(id.hex().substring(0, 12) + "…");
                    h.getStyleClass().addAll(Styles.MONO, "tb-exemplar");
                    h.setTooltip(new Tooltip("Open trace " + id.hex() + " with its critical path"));
                    h.setUserData(id);
                    h.setOnAction(e -> onOpen.accept(id));
                    h.setFocusTraversable(false);
                    exemplars.getChildren().add(h);
                }
                if (ids.size() > 6) {
                    Label more = new Label("+" + (ids.size() - 6) + " more");
                    more.getStyleClass().add(Styles.MUTED);
                    exemplars.getChildren().add(more);
                }
            }
            body.getChildren().setAll(head);
            VBox detail = new VBox(3);
            detail.setPadding(new Insets(0, 0, 0, 28));
            detail.getChildren().add(exemplars);
            if (open) {
                detail.getChildren().add(explanation);
                if (!factLine.getText().isEmpty()) {
                    detail.getChildren().add(factLine);
                }
            }
            if (f.explanation() != null && !f.explanation().isBlank()) {
                detail.getChildren().add(why);
            }
            body.getChildren().add(detail);
            setGraphic(body);
        }
    }
}
