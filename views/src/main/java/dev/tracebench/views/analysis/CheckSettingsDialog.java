package dev.tracebench.views.analysis;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.CheckSettings.Setting;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.Map;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * The thresholds of root-cause analysis and the automated checks ({@link CheckSettings#SETTINGS}: one row each, with
 * its default and what it means). Shares are typed as percentages. OK is enabled only when every value is valid;
 * Escape cancels.
 */
public final class CheckSettingsDialog extends Dialog<CheckSettings> {
    private final Map<Setting, TextField> fields = new LinkedHashMap<>();
    private final Label status = new Label();
    private final Button ok;

    public CheckSettingsDialog(Window owner, CheckSettings current) {
        initOwner(owner);
        setTitle("Analysis Thresholds");
        setHeaderText("Thresholds of \"Explain\" (root cause) and of the automated checks. They apply to the next "
                + "run.");
        setResizable(true);
        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(6);
        grid.setPadding(new Insets(8));
        ColumnConstraints meaning = new ColumnConstraints();
        meaning.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().addAll(new ColumnConstraints(), new ColumnConstraints(),
                new ColumnConstraints(), new ColumnConstraints(), meaning);
        String[] heads = {"Threshold", "Value", "", "Default", "What it means"};
        for (int i = 0; i < heads.length; i++) {
            Label h = new Label(heads[i]);
            h.setStyle("-fx-font-weight: bold;");
            grid.add(h, i, 0);
        }
        int row = 1;
        for (Setting s : CheckSettings.SETTINGS) {
            TextField t = new TextField(text(s, current.value(s.id())));
            t.setId("threshold-" + s.id());
            t.setPrefColumnCount(7);
            fields.put(s, t);
            Label name = new Label(s.label());
            name.setLabelFor(t);
            Label def = new Label(text(s, s.defaultValue()));
            def.setStyle("-fx-text-fill: -fx-mid-text-color;");
            Label m = new Label(s.description());
            m.setWrapText(true);
            m.setMaxWidth(420);
            grid.addRow(row++, name, t, new Label(s.unit().label()), def, m);
        }
        status.setId("thresholds-status");
        status.setStyle("-fx-text-fill: #c62828;");
        VBox box = new VBox(8, grid, status);
        box.setPadding(new Insets(4));
        getDialogPane().setContent(box);
        getDialogPane().setPrefWidth(860);
        ButtonType defaults = new ButtonType("Restore Defaults", ButtonBar.ButtonData.LEFT);
        getDialogPane().getButtonTypes().addAll(defaults, ButtonType.OK, ButtonType.CANCEL);
        ok = (Button) getDialogPane().lookupButton(ButtonType.OK);
        Button restore = (Button) getDialogPane().lookupButton(defaults);
        restore.addEventFilter(javafx.event.ActionEvent.ACTION, e -> {
            e.consume();
            fields.forEach((s, t) -> t.setText(text(s, s.defaultValue())));
        });
        fields.values().forEach(t -> t.textProperty().addListener((o, a, b) -> validate()));
        setResultConverter(b -> b == ButtonType.OK ? read() : null);
        validate();
        setOnShown(e -> fields.values().iterator().next().requestFocus());
    }

    private static boolean percent(Setting s) {
        return s.unit() == CheckSettings.Unit.SHARE;
    }

    /** A value as typed in its field: shares as percentages, whole numbers without a fraction. */
    private static String text(Setting s, double v) {
        double shown = percent(s) ? v * 100 : v;
        if (s.unit().integer() || shown == Math.rint(shown)) {
            return Long.toString(Math.round(shown));
        }
        return BigDecimal.valueOf(shown).round(new MathContext(10)).stripTrailingZeros().toPlainString();
    }

    /** Checks every field; says what is wrong and enables OK only when all are fine. */
    private boolean validate() {
        for (Map.Entry<Setting, TextField> e : fields.entrySet()) {
            Setting s = e.getKey();
            String t = e.getValue().getText() == null ? "" : e.getValue().getText().strip().replace("%", "");
            try {
                double v = Double.parseDouble(t);
                if (s.unit().integer() && v != Math.rint(v)) {
                    throw new NumberFormatException();
                }
                double value = percent(s) ? v / 100 : v;
                if (!(value >= s.min() && value <= s.max())) {
                    return invalid(s.label() + " must be between " + text(s, s.min()) + " and " + text(s, s.max())
                            + " " + s.unit().label() + ".");
                }
            } catch (NumberFormatException x) {
                return invalid(s.label() + ": \"" + t + "\" is not " + (s.unit().integer() ? "a whole number."
                        : "a number."));
            }
        }
        status.setText("");
        ok.setDisable(false);
        return true;
    }

    private boolean invalid(String message) {
        status.setText(message);
        ok.setDisable(true);
        return false;
    }

    private CheckSettings read() {
        CheckSettings out = CheckSettings.DEFAULTS;
        for (Map.Entry<Setting, TextField> e : fields.entrySet()) {
            double v = Double.parseDouble(e.getValue().getText().strip().replace("%", ""));
            out = out.with(e.getKey().id(), percent(e.getKey()) ? v / 100 : v);
        }
        return out;
    }
}
