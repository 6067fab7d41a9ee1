package dev.tracebench.views.analysis;

import dev.tracebench.core.analysis.CheckSettings;
import java.util.ArrayList;
import java.util.List;
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
 * The thresholds of root-cause analysis and the automated checks, each with its default and what it means. Shares
 * are typed as percentages. OK is enabled only when every value is valid; Escape cancels.
 */
public final class CheckSettingsDialog extends Dialog<CheckSettings> {
    /** One editable threshold. */
    private record Field(String id, String name, String unit, String meaning, double min, double max,
            boolean percent, boolean integer, TextField input) {
    }

    private final List<Field> fields = new ArrayList<>();
    private final Label status = new Label();
    private final Button ok;

    public CheckSettingsDialog(Window owner, CheckSettings current) {
        initOwner(owner);
        setTitle("Analysis Thresholds");
        setHeaderText("Thresholds of \"Explain\" (root cause) and of the automated checks. They apply to the next "
                + "run.");
        setResizable(true);
        CheckSettings d = CheckSettings.DEFAULTS;
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
        add("minSupport", "Minimum support", "%", "A root cause must hold for at least this share of the cohort.",
                0, 100, true, false, current.minSupport(), d.minSupport());
        add("minDifference", "Minimum difference", "%", "…and its share in the cohort must exceed the others' by at "
                + "least this many percentage points.", 0, 100, true, false, current.minDifference(),
                d.minDifference());
        add("minConfidence", "Minimum confidence", "%", "…with at least this confidence (1 − p of a two-proportion "
                + "z test).", 0, 100, true, false, current.minConfidence(), d.minConfidence());
        add("sampleTraces", "Sample size", "traces", "Root cause reads the attributes of at most this many traces "
                + "of each side.", 100, 10_000_000, false, true, current.sampleTraces(), d.sampleTraces());
        add("dominantStageShare", "Dominant stage", "%", "A stage dominates when it is at least this share of "
                + "critical-path time.", 1, 100, true, false, current.dominantStageShare(), d.dominantStageShare());
        add("queueGrowthRatio", "Queueing growth", "×", "Queue time grows with load when its p95 at high load is "
                + "this many times that at low load.", 1, 1000, false, false, current.queueGrowthRatio(),
                d.queueGrowthRatio());
        add("errorHotspotShare", "Error hotspot", "×", "A model or provider is an error hotspot when it fails this "
                + "many times as often as the others (and at least 2% of its calls fail).", 1, 1000, false, false,
                current.errorHotspotShare(), d.errorHotspotShare());
        add("loopCalls", "Agent loop", "calls", "A trace loops when it makes at least this many model or tool "
                + "calls.", 2, 100_000, false, true, current.loopCalls(), d.loopCalls());
        add("outlierFactor", "Outlier factor", "×", "Tokens or cost are outliers above this many times the "
                + "operation's median.", 1, 1000, false, false, current.outlierFactor(), d.outlierFactor());
        int row = 1;
        for (Field f : fields) {
            Label name = new Label(f.name());
            name.setLabelFor(f.input());
            Label unit = new Label(f.unit());
            Label def = new Label(text(f, defaultOf(f.id(), d)));
            def.setStyle("-fx-text-fill: -fx-mid-text-color;");
            Label m = new Label(f.meaning());
            m.setWrapText(true);
            m.setMaxWidth(420);
            grid.addRow(row++, name, f.input(), unit, def, m);
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
            for (Field f : fields) {
                f.input().setText(text(f, defaultOf(f.id(), d)));
            }
        });
        for (Field f : fields) {
            f.input().textProperty().addListener((o, a, b) -> validate());
        }
        setResultConverter(b -> b == ButtonType.OK ? read() : null);
        validate();
        setOnShown(e -> fields.get(0).input().requestFocus());
    }

    private void add(String id, String name, String unit, String meaning, double min, double max, boolean percent,
            boolean integer, double value, double def) {
        TextField t = new TextField();
        t.setId("threshold-" + id);
        t.setPrefColumnCount(7);
        Field f = new Field(id, name, unit, meaning, min, max, percent, integer, t);
        t.setText(text(f, value));
        fields.add(f);
    }

    private static String text(Field f, double v) {
        double shown = f.percent() ? v * 100 : v;
        if (f.integer() || shown == Math.rint(shown)) {
            return Long.toString(Math.round(shown));
        }
        return java.math.BigDecimal.valueOf(shown).round(new java.math.MathContext(10)).stripTrailingZeros()
                .toPlainString();
    }

    private static double defaultOf(String id, CheckSettings d) {
        return value(id, d);
    }

    private static double value(String id, CheckSettings s) {
        return switch (id) {
            case "minSupport" -> s.minSupport();
            case "minDifference" -> s.minDifference();
            case "minConfidence" -> s.minConfidence();
            case "sampleTraces" -> s.sampleTraces();
            case "dominantStageShare" -> s.dominantStageShare();
            case "queueGrowthRatio" -> s.queueGrowthRatio();
            case "errorHotspotShare" -> s.errorHotspotShare();
            case "loopCalls" -> s.loopCalls();
            default -> s.outlierFactor();
        };
    }

    /** Checks every field; says what is wrong and enables OK only when all are fine. */
    private boolean validate() {
        for (Field f : fields) {
            String t = f.input().getText() == null ? "" : f.input().getText().strip().replace("%", "");
            try {
                double v = Double.parseDouble(t);
                if (f.integer() && v != Math.rint(v)) {
                    throw new NumberFormatException();
                }
                if (v < f.min() || v > f.max()) {
                    return invalid(f.name() + " must be between " + text(f, f.percent() ? f.min() / 100 : f.min())
                            + " and " + text(f, f.percent() ? f.max() / 100 : f.max()) + " " + f.unit() + ".");
                }
            } catch (NumberFormatException e) {
                return invalid(f.name() + ": \"" + t + "\" is not " + (f.integer() ? "a whole number." : "a number."));
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

    private double read(String id) {
        for (Field f : fields) {
            if (f.id().equals(id)) {
                double v = Double.parseDouble(f.input().getText().strip().replace("%", ""));
                return f.percent() ? v / 100 : v;
            }
        }
        throw new IllegalStateException(id);
    }

    private CheckSettings read() {
        return new CheckSettings(read("minSupport"), read("minDifference"), read("minConfidence"),
                (int) Math.round(read("sampleTraces")), read("dominantStageShare"), read("queueGrowthRatio"),
                read("errorHotspotShare"), (int) Math.round(read("loopCalls")), read("outlierFactor"));
    }
}
