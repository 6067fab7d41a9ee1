package dev.tracebench.views.quality;

import dev.tracebench.core.eval.EvalExample;
import dev.tracebench.core.eval.EvalResult;
import dev.tracebench.views.common.Styles;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

/**
 * One judged example in full: the question, the passages the request retrieved, the answer with the claims the
 * verdicts call unsupported marked, the expected answer, and every verdict with its explanation; "Open trace" (and
 * Enter in the table) opens the trace it judged. Every text is masked for credentials.
 */
final class ExampleDetail extends BorderPane {
    private final VBox box = new VBox(6);
    private final Button open = new Button("Open trace");
    private final Label where = new Label();
    private EvalExample example;

    ExampleDetail(Consumer<EvalExample> onOpen) {
        setId("example-detail");
        open.setId("example-open-trace");
        open.setOnAction(e -> {
            if (example != null && example.traceId() != null) {
                onOpen.accept(example);
            }
        });
        open.setMinWidth(Region.USE_PREF_SIZE);
        where.getStyleClass().add(Styles.MUTED);
        where.setMinWidth(0);
        HBox bar = new HBox(8, open, where);
        bar.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 8, 4, 8));
        bar.getStyleClass().add(Styles.HEADER);
        box.setPadding(new Insets(8));
        box.setId("example-detail-box");
        ScrollPane scroll = new ScrollPane(box);
        scroll.setFitToWidth(true);
        setTop(bar);
        setCenter(scroll);
        show(null);
    }

    void show(EvalExample e) {
        this.example = e;
        box.getChildren().clear();
        if (e == null) {
            open.setDisable(true);
            where.setText("");
            Label hint = new Label("Select an example to read its question, context, answer and verdicts.");
            hint.getStyleClass().add(Styles.MUTED);
            hint.setWrapText(true);
            box.getChildren().add(hint);
            return;
        }
        open.setDisable(e.traceId() == null);
        open.setTooltip(e.traceId() == null ? null : new Tooltip("Open the trace this example judged (Enter)"));
        where.setText(e.traceId() == null ? "Not linked to a trace in this workspace"
                : "trace " + e.traceId().hex() + (e.spanId() == 0 ? "" : " · span " + Long.toHexString(e.spanId())));
        section("Question", text(e.question()));
        List<Node> passages = new ArrayList<>();
        for (int i = 0; i < e.contexts().size(); i++) {
            Label p = text((i + 1) + ". " + e.contexts().get(i));
            p.getStyleClass().add("tb-passage");
            passages.add(p);
        }
        section("Retrieved context (" + e.contexts().size() + ")", passages.isEmpty()
                ? new Node[] {muted("No passage was retrieved.")} : passages.toArray(Node[]::new));
        TextFlow answer = highlighted(QualityText.mask(e.answer()), e.unsupported().stream().map(QualityText::mask)
                .toList());
        answer.setId("example-answer");
        section("Answer", answer);
        if (!e.unsupported().isEmpty()) {
            List<Node> claims = new ArrayList<>();
            for (String c : e.unsupported()) {
                Label l = text("• " + QualityText.mask(c));
                l.getStyleClass().add("tb-unsupported-claim");
                claims.add(l);
            }
            section("Unsupported claims (" + e.unsupported().size() + ")", claims.toArray(Node[]::new));
        }
        if (e.expected() != null && !e.expected().isBlank()) {
            section("Expected", text(e.expected()));
        }
        List<Node> verdicts = new ArrayList<>();
        for (EvalResult r : e.verdicts()) {
            Label head = new Label(QualityText.verdict(r) + (r.runName() == null ? "" : "   (" + QualityText.mask(
                    r.runName()) + ")"));
            head.getStyleClass().add(Boolean.FALSE.equals(r.verdict()) ? "tb-verdict-fail" : "tb-verdict-pass");
            verdicts.add(head);
            if (r.explanation() != null && !r.explanation().isBlank()) {
                Label x = text(r.explanation());
                x.setPadding(new Insets(0, 0, 4, 14));
                verdicts.add(x);
            }
            if (r.judgeModel() != null) {
                Label j = muted("judged by " + QualityText.mask(r.judgeModel()));
                j.setPadding(new Insets(0, 0, 4, 14));
                verdicts.add(j);
            }
        }
        section("Verdicts (" + e.verdicts().size() + ")", verdicts.toArray(Node[]::new));
    }

    /** The answer with each unsupported claim marked where it occurs (claims not found verbatim are listed only). */
    static TextFlow highlighted(String answer, List<String> claims) {
        TextFlow flow = new TextFlow();
        int at = 0;
        while (at < answer.length()) {
            int best = -1;
            String claim = null;
            for (String c : claims) {
                int i = c.isEmpty() ? -1 : answer.indexOf(c, at);
                if (i >= 0 && (best < 0 || i < best)) {
                    best = i;
                    claim = c;
                }
            }
            if (best < 0) {
                flow.getChildren().add(new Text(answer.substring(at)));
                break;
            }
            if (best > at) {
                flow.getChildren().add(new Text(answer.substring(at, best)));
            }
            Text t = new Text(claim);
            t.getStyleClass().add("tb-unsupported");
            flow.getChildren().add(t);
            at = best + claim.length();
        }
        return flow;
    }

    private void section(String title, Node... content) {
        Label t = new Label(title);
        t.getStyleClass().add("tb-section-title");
        VBox s = new VBox(3, t);
        s.getChildren().addAll(content);
        box.getChildren().add(s);
    }

    private static Label text(String s) {
        Label l = new Label(QualityText.mask(s));
        l.setWrapText(true);
        l.setMinHeight(Label.USE_PREF_SIZE);
        return l;
    }

    private static Label muted(String s) {
        Label l = text(s);
        l.getStyleClass().add(Styles.MUTED);
        return l;
    }
}
