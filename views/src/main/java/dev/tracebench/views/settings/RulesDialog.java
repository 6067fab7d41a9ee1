package dev.tracebench.views.settings;

import dev.tracebench.core.normalize.Rules;
import dev.tracebench.views.common.Background;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.stage.Window;

/**
 * Settings > Normalisation Rules: the user's rules file ({@code ~/.tracebench/rules.yaml}) in a text editor that
 * checks it as you go (the same parser the import uses, so a message names the rule and field at fault) and only
 * saves a file that parses. Rules apply to files imported after saving.
 */
public final class RulesDialog extends Dialog<Void> {
    static final String TEMPLATE = """
            # Your normalisation rules: they win over every convention.
            # Patterns are regular expressions that must match the whole text;
            # "*" only requires an attribute to be present.
            # For each field the first rule that sets (or maps) it wins.
            # Fields: stage, operation, provider, request_model, response_model,
            #   input_tokens, output_tokens, cached_tokens, reasoning_tokens, cost,
            #   finish_reason, cache_hit, ttft.
            # Stages: prompt, retrieval, rerank, inference, tool, agent, chain,
            #   guardrail, postprocess, other.
            rules:
              - name: pinecone queries are retrieval
                match: {span_name: "pinecone\\\\..*", attributes: {db.system: pinecone}}
                set: {stage: retrieval, operation: vector_search, provider: pinecone}
              - name: our gateway's usage attributes
                match: {attributes: {gw.model: "*"}}
                map: {request_model: gw.model, input_tokens: gw.usage.in, output_tokens: gw.usage.out}
            """;

    private final TextArea text = new TextArea();
    private final Label status = new Label();

    public RulesDialog(Window owner, Path rulesFile, Background background) {
        initOwner(owner);
        setTitle("Normalisation Rules");
        setHeaderText("Rules map span names and attributes to stages and LLM fields. They apply to files imported "
                + "after saving.");
        setResizable(true);
        text.setId("rules-text");
        text.setFont(Font.font("Monospaced", 13));
        text.setDisable(true);
        status.setId("rules-status");
        status.setWrapText(true);
        text.textProperty().addListener((o, a, b) -> check(b));
        Label where = new Label(rulesFile.toString());
        where.setStyle("-fx-text-fill: -fx-mid-text-color;");
        VBox box = new VBox(8, text, new HBox(8, status), where);
        VBox.setVgrow(text, Priority.ALWAYS);
        box.setPadding(new Insets(8));
        box.setPrefSize(760, 520);
        getDialogPane().setContent(box);

        ButtonType save = new ButtonType("Save", ButtonBar.ButtonData.OK_DONE);
        getDialogPane().getButtonTypes().addAll(save, ButtonType.CANCEL);
        Button saveButton = (Button) getDialogPane().lookupButton(save);
        saveButton.addEventFilter(javafx.event.ActionEvent.ACTION, e -> {
            e.consume();
            String content = text.getText();
            if (check(content) == null) {
                return;
            }
            saveButton.setDisable(true);
            background.run(() -> {
                Files.createDirectories(rulesFile.toAbsolutePath().getParent());
                Path tmp = Files.createTempFile(rulesFile.toAbsolutePath().getParent(), ".rules", ".yaml");
                try {
                    Files.writeString(tmp, content, StandardCharsets.UTF_8);
                    Files.move(tmp, rulesFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
                return true;
            }, ok -> {
                setResult(null);
                close();
            }, err -> {
                saveButton.setDisable(false);
                status.setText("Not saved: " + Background.message(err));
            });
        });
        background.run(() -> Files.isRegularFile(rulesFile) ? Files.readString(rulesFile) : TEMPLATE, content -> {
            text.setText(content);
            text.setDisable(false);
            text.requestFocus();
        }, err -> {
            text.setText(TEMPLATE);
            text.setDisable(false);
            status.setText("Your rules file cannot be read (" + Background.message(err) + ")");
        });
    }

    /** Parses the text; shows the result; returns the rules, or null if they do not parse. */
    private Rules check(String content) {
        try {
            Rules r = Rules.parse(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), "rules.yaml");
            status.setText(r.rules().size() == 1 ? "1 rule, all fine." : r.rules().size() + " rules, all fine.");
            status.setStyle("-fx-text-fill: #2e7d32;");
            return r;
        } catch (IllegalArgumentException e) {
            status.setText(e.getMessage());
            status.setStyle("-fx-text-fill: #c62828;");
            return null;
        }
    }
}
