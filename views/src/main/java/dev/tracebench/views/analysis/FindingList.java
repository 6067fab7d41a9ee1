package dev.tracebench.views.analysis;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.model.Ids;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.report.FindingsWriter;
import dev.tracebench.core.report.Secrets;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.Styles;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.ObjLongConsumer;
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
 * Findings, most important first: a severity badge, the one-sentence summary, whether it is about the cohort or the
 * whole workspace, the evidence in numbers (lift and cost, not a confidence that always reads 1.000), the properties
 * that restate or support it, the example traces (click one to open it on the span the finding names), "Show these
 * traces" and, expanded, the explanation and the facts behind it. Enter opens the selected finding's first example;
 * Space (or the "Why?" link) expands it. Texts are shown with secrets masked.
 */
final class FindingList extends ListView<Finding> {
    /** Supporting properties shown under a finding before "and N more". */
    static final int SUPPORTING_SHOWN = 3;

    private final Set<Finding> expanded = Collections.newSetFromMap(new IdentityHashMap<>());
    private final ObjLongConsumer<TraceId> onOpen;
    private BiConsumer<Cohort, String> onShowTraces;
    private BiConsumer<Cohort, String> onAddToDataset;

    /**
     * @param onOpen       opens a trace on a span (0: the trace as a whole)
     * @param onShowTraces lists a finding's traces (cohort and label); null: the list offers no such link
     */
    FindingList(ObservableList<Finding> items, ObjLongConsumer<TraceId> onOpen,
            BiConsumer<Cohort, String> onShowTraces) {
        super(items);
        this.onOpen = onOpen;
        this.onShowTraces = onShowTraces;
        getStyleClass().add("tb-findings");
        setCellFactory(l -> new Cell());
        setOnKeyPressed(e -> {
            Finding f = getSelectionModel().getSelectedItem();
            if (f == null) {
                return;
            }
            if (e.getCode() == KeyCode.ENTER) {
                if (!f.exemplars().isEmpty()) {
                    open(f.exemplars().get(0));
                }
                e.consume();
            } else if (e.getCode() == KeyCode.SPACE) {
                toggle(f);
                e.consume();
            }
        });
    }

    void open(Finding.Exemplar x) {
        onOpen.accept(x.traceId(), x.spanId());
    }

    /** Whether "Show these traces" is offered for {@code f}. */
    boolean canShowTraces(Finding f) {
        return onShowTraces != null && f.traces() != null;
    }

    /** Where "Show these traces" lists a finding's traces (null: the list offers no such link). */
    void setOnShowTraces(BiConsumer<Cohort, String> onShowTraces) {
        this.onShowTraces = onShowTraces;
        refresh();
    }

    /** Where "Add to dataset…" sends a finding's traces (a review queue; null: not offered). */
    void setOnAddToDataset(BiConsumer<Cohort, String> onAddToDataset) {
        this.onAddToDataset = onAddToDataset;
        refresh();
    }

    void showTraces(Finding f) {
        if (canShowTraces(f)) {
            onShowTraces.accept(f.traces().cohort(), f.traces().label());
        }
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

    /** The evidence in one line, as the writers print it. */
    static String evidence(Finding f) {
        return FindingsWriter.evidence(f);
    }

    /** "warning · about this cohort", "notice · check error-hotspot over the whole workspace". */
    static String scope(Finding f) {
        return f.severity().label() + " · " + (f.aboutCohort() ? "about this cohort" : "check " + f.check()
                + " over the whole workspace");
    }

    /** The facts, with durations in ns written as durations and secrets masked. */
    static String facts(Map<String, String> facts) {
        StringBuilder sb = new StringBuilder();
        String attribute = facts.get("attribute");
        for (Map.Entry<String, String> x : new TreeMap<>(facts).entrySet()) {
            String k = x.getKey();
            String v = k.equals("value") && attribute != null ? Secrets.maskAttribute(attribute, x.getValue())
                    : Secrets.maskText(x.getValue());
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
        private final Label supporting = new Label();
        private final Label explanation = new Label();
        private final Label factLine = new Label();
        private final Hyperlink why = new Hyperlink();
        private final Hyperlink showTraces = new Hyperlink("Show these traces");
        private final Hyperlink addToDataset = new Hyperlink("Add to dataset…");
        private final FlowPane exemplars = new FlowPane(4, 0);
        private final HBox head = new HBox(8);
        private final VBox body = new VBox(3);
        private Finding shown;
        private boolean shownOpen;
        private boolean shownLink;

        Cell() {
            summary.setWrapText(true);
            summary.getStyleClass().add("tb-finding-summary");
            meta.getStyleClass().add(Styles.MUTED);
            meta.setWrapText(true);
            supporting.setWrapText(true);
            supporting.getStyleClass().addAll(Styles.MUTED, "tb-finding-supporting");
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
            showTraces.getStyleClass().add("tb-show-traces");
            showTraces.setFocusTraversable(false);
            showTraces.setOnAction(e -> {
                if (getItem() != null) {
                    showTraces(getItem());
                }
            });
            addToDataset.getStyleClass().add("tb-add-to-dataset");
            addToDataset.setFocusTraversable(false);
            addToDataset.setOnAction(e -> {
                Finding f = getItem();
                if (f != null && f.traces() != null && onAddToDataset != null) {
                    onAddToDataset.accept(f.traces().cohort(), f.traces().label());
                }
            });
            exemplars.setAlignment(Pos.CENTER_LEFT);
            VBox text = new VBox(2, summary, meta);
            HBox.setHgrow(text, Priority.ALWAYS);
            head.setAlignment(Pos.TOP_LEFT);
            body.setPadding(new Insets(4, 4, 6, 4));
            // wrapped labels need a width to wrap at
            for (Label l : List.of(summary, meta, supporting, explanation, factLine)) {
                l.maxWidthProperty().bind(FindingList.this.widthProperty().subtract(80));
            }
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
            boolean link = canShowTraces(f);
            if (f == shown && open == shownOpen && link == shownLink && getGraphic() == body) {
                return; // the same: keep the nodes (a click on a link may be under way)
            }
            shown = f;
            shownOpen = open;
            shownLink = link;
            head.getChildren().setAll(badge(f.severity()), head.getChildren().get(head.getChildren().size() - 1));
            summary.setText(Secrets.maskText(f.summary()));
            String ev = evidence(f);
            meta.setText(scope(f) + (ev.isEmpty() ? "" : " · " + ev));
            supporting.setText(supportingText(f));
            why.setText(open ? "Hide the explanation" : "Why? Show the explanation");
            explanation.setText(Secrets.maskText(f.explanation()));
            factLine.setText(facts(f.evidence().facts()));
            exemplars.getChildren().clear();
            if (!f.exemplars().isEmpty()) {
                Label ex = new Label("Example traces:");
                ex.getStyleClass().add(Styles.MUTED);
                exemplars.getChildren().add(ex);
                List<Finding.Exemplar> ids = f.exemplars();
                for (int i = 0; i < Math.min(6, ids.size()); i++) {
                    Finding.Exemplar x = ids.get(i);
                    Hyperlink h = new Hyperlink(x.traceId().hex().substring(0, 12) + "…");
                    h.getStyleClass().addAll(Styles.MONO, "tb-exemplar");
                    h.setTooltip(new Tooltip("Open trace " + x.traceId().hex() + (x.spanId() == 0
                            ? " with its critical path" : " at span " + Ids.spanHex(x.spanId()))));
                    h.setUserData(x);
                    h.setOnAction(e -> open(x));
                    h.setFocusTraversable(false);
                    exemplars.getChildren().add(h);
                }
                if (ids.size() > 6) {
                    Label more = new Label("+" + (ids.size() - 6) + " more");
                    more.getStyleClass().add(Styles.MUTED);
                    exemplars.getChildren().add(more);
                }
            }
            if (canShowTraces(f)) {
                showTraces.setTooltip(new Tooltip("List " + Secrets.maskText(f.traces().label())
                        + " in the Traces area"));
                exemplars.getChildren().add(showTraces);
            }
            if (onAddToDataset != null && f.traces() != null) {
                addToDataset.setTooltip(new Tooltip("Review the answers of " + Secrets.maskText(f.traces().label())
                        + " and add some to a dataset"));
                exemplars.getChildren().add(addToDataset);
            }
            body.getChildren().setAll(head);
            VBox detail = new VBox(3);
            detail.setPadding(new Insets(0, 0, 0, 28));
            if (!supporting.getText().isEmpty()) {
                detail.getChildren().add(supporting);
            }
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

    /** "The same requests also: …; …; (+2 more)", or empty. */
    static String supportingText(Finding f) {
        List<String> s = f.supporting();
        if (s.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("The same requests also ");
        for (int i = 0; i < Math.min(SUPPORTING_SHOWN, s.size()); i++) {
            sb.append(i == 0 ? "" : "; ").append(Secrets.maskText(s.get(i)));
        }
        if (s.size() > SUPPORTING_SHOWN) {
            sb.append("; and ").append(s.size() - SUPPORTING_SHOWN).append(" more");
        }
        return sb.append(".").toString();
    }
}
