package dev.tracebench.views.quality;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.eval.EvalRun;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.common.BackgroundTasks;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.Styles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;
import javafx.concurrent.Task;
import javafx.concurrent.Worker;
import javafx.event.ActionEvent;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.controlsfx.control.CheckListView;

/**
 * "Run evaluators…" on a cohort: the form (FXML) picks the evaluators and how many traces at most, then the run goes
 * as a listed background task (progress and Cancel here and in the status bar's task list); closing the dialog leaves
 * it running. When the run is stored, {@code onStored} gets it on the FX thread.
 */
public final class RunEvaluatorsDialog extends Dialog<Void> {
    /** Traces judged at most, unless the user says otherwise. */
    static final int DEFAULT_LIMIT = 10_000;
    static final ButtonType RUN = new ButtonType("Run", ButtonBar.ButtonData.OK_DONE);

    @FXML
    private VBox form;
    @FXML
    private Label cohortLabel;
    @FXML
    private TextField cohortField;
    @FXML
    private CheckListView<String> evaluators;
    @FXML
    private Spinner<Integer> limit;
    @FXML
    private HBox progressBox;
    @FXML
    private ProgressBar progress;
    @FXML
    private Label progressText;
    @FXML
    private Button cancel;
    @FXML
    private Label problem;

    private final EvaluatorRunPort port;
    private final Cohort fixedCohort;
    private final BackgroundTasks tasks;
    private final Consumer<EvalRun> onStored;
    private Task<EvalRun> running;
    private CancellationToken token;
    private final javafx.beans.property.BooleanProperty busy = new javafx.beans.property.SimpleBooleanProperty();

    /**
     * @param cohort the traces to judge (null: the user types a cohort, "all" to begin with)
     * @param label  the cohort in words (when {@code cohort} is given)
     */
    public RunEvaluatorsDialog(Window owner, EvaluatorRunPort port, Cohort cohort, String label,
            BackgroundTasks tasks, Consumer<EvalRun> onStored) {
        this.port = port;
        this.fixedCohort = cohort;
        this.tasks = tasks;
        this.onStored = onStored;
        FXMLLoader loader = new FXMLLoader(RunEvaluatorsDialog.class.getResource("run-evaluators.fxml"));
        loader.setController(this);
        try {
            loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("the Run evaluators form is missing from the build", e);
        }
        initOwner(owner);
        setTitle("Run evaluators");
        setHeaderText("Judge the answers of a cohort's traces with the built-in evaluators");
        getDialogPane().setContent(form);
        // never smaller than the form (GTK window managers may map a dialog before JavaFX sizes it)
        getDialogPane().setMinSize(javafx.scene.layout.Region.USE_PREF_SIZE, javafx.scene.layout.Region.USE_PREF_SIZE);
        getDialogPane().getStylesheets().add(Styles.stylesheet());
        getDialogPane().getButtonTypes().setAll(RUN, ButtonType.CLOSE);
        getDialogPane().setId("run-evaluators-dialog");

        boolean typed = cohort == null;
        cohortLabel.setText(typed ? "" : QualityText.mask(label));
        cohortLabel.setVisible(!typed);
        cohortLabel.setManaged(!typed);
        cohortField.setVisible(typed);
        cohortField.setManaged(typed);
        cohortField.setText("all");
        cohortField.setId("run-evaluators-cohort");
        evaluators.setId("run-evaluators-list");
        evaluators.getItems().setAll(port.available());
        evaluators.getCheckModel().checkAll();
        limit.setId("run-evaluators-limit");
        limit.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(1, 10_000_000, DEFAULT_LIMIT, 1000));
        progressBox.setVisible(false); // its room is kept: the dialog does not grow under the pointer when it shows
        cancel.setId("run-evaluators-cancel");
        cancel.setOnAction(e -> {
            if (running != null) {
                // the run stops at its next check of the token: never interrupt a thread inside the database driver
                token.cancel();
                running.cancel(false);
            }
        });
        problem.setId("run-evaluators-problem");
        Button run = (Button) getDialogPane().lookupButton(RUN);
        run.setId("run-evaluators-run");
        // Run starts the task and keeps the dialog open to show its progress
        run.addEventFilter(ActionEvent.ACTION, e -> {
            e.consume();
            start();
        });
        run.disableProperty().bind(javafx.beans.binding.Bindings.isEmpty(evaluators.getCheckModel()
                .getCheckedItems()).or(busy));
    }

    /** The cohort to judge, or null after saying why the typed one cannot be used. */
    private Cohort cohort() {
        if (fixedCohort != null) {
            return fixedCohort;
        }
        try {
            return Cohort.parse(cohortField.getText());
        } catch (IllegalArgumentException e) {
            problem.setText(e.getMessage());
            return null;
        }
    }

    private void start() {
        if (running != null) {
            return;
        }
        problem.setText("");
        Cohort c = cohort();
        if (c == null) {
            return;
        }
        List<String> chosen = List.copyOf(evaluators.getCheckModel().getCheckedItems());
        int max = limit.getValue();
        CancellationToken token = new CancellationToken();
        this.token = token;
        busy.set(true);
        progressBox.setVisible(true);
        Task<EvalRun> task = tasks.run("Run evaluators", p -> port.run(c, chosen, max, (done, total, message) ->
                p.update(message, total > 0 ? (double) done / total : -1), token), r -> {
                    running = null;
                    close();
                    onStored.accept(r);
                });
        running = task;
        task.stateProperty().addListener((o, a, s) -> {
            if (s == Worker.State.CANCELLED) {
                token.cancel();
                ended("Cancelled: nothing was stored.");
            } else if (s == Worker.State.FAILED) {
                ended("The evaluators failed: " + Background.message(task.getException()));
            }
        });
        progress.progressProperty().bind(task.progressProperty());
        progressText.textProperty().bind(task.messageProperty());
    }

    /** A run that ended without a stored run: say why, and let the user try again. */
    private void ended(String why) {
        running = null;
        progress.progressProperty().unbind();
        progressText.textProperty().unbind();
        progressBox.setVisible(false);
        problem.setText(why);
        busy.set(false);
    }

    /** A stored run in words, for the status line. */
    public static String stored(EvalRun r) {
        return "Stored " + QualityText.mask(r.name()) + ": " + Format.count(r.results()) + " verdicts";
    }
}
