package dev.tracebench.app.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.importers.evaltable.ColumnMapping;
import dev.tracebench.importers.evaltable.TablePreview;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The column mapping dialog: choices filled with the file's columns, a preview that follows them, the mapping. */
@ExtendWith(ApplicationExtension.class)
class ColumnMappingDialogUiTest {
    @TempDir
    Path dir;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        stage.setScene(new javafx.scene.Scene(new javafx.scene.layout.StackPane(), 400, 300));
        stage.show();
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> robot.listWindows().stream().filter(w -> w != stage).toList()
                .forEach(w -> ((Stage) w).close()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void choosingColumnsPreviewsTheResultsAndGivesTheMapping(FxRobot robot) throws Exception {
        Path f = dir.resolve("odd.csv");
        Files.writeString(f, "tid;check;points;grade;why\nabc123;tone;4;ok;polite\nabc124;tone;1;bad;rude\n",
                StandardCharsets.UTF_8);
        TablePreview table = TablePreview.of(f);
        assertFalse(table.recognised());
        ColumnMappingDialog[] dialog = new ColumnMappingDialog[1];
        robot.interact(() -> {
            dialog[0] = new ColumnMappingDialog(stage, f, table);
            dialog[0].show();
        });
        ComboBox<String> evaluator = robot.lookup("#map-evaluator").queryAs(ComboBox.class);
        ComboBox<String> score = robot.lookup("#map-score").queryAs(ComboBox.class);
        ComboBox<String> label = robot.lookup("#map-label").queryAs(ComboBox.class);
        TableView<EvalResultData> preview = robot.lookup("#mapping-preview").queryAs(TableView.class);
        Node importButton = dialog[0].getDialogPane().lookupButton(ColumnMappingDialog.IMPORT);
        assertEquals(List.of(ColumnMappingDialog.NONE, "tid", "check", "points", "grade", "why"),
                evaluator.getItems());
        // nothing recognised: nothing to import yet
        assertTrue(importButton.isDisabled());
        assertTrue(preview.getItems().isEmpty());
        robot.interact(() -> {
            evaluator.setValue("check");
            score.setValue("points");
            label.setValue("grade");
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(importButton.isDisabled());
        assertEquals(2, preview.getItems().size());
        assertEquals("tone", preview.getItems().get(1).evaluator());
        assertEquals(1.0, preview.getItems().get(1).score());
        assertEquals("bad", preview.getItems().get(1).label());
        Label status = (Label) robot.lookup(".mapping-status").query();
        assertEquals("The first 2 results read without a problem.", status.getText());
        // a score column of words: every row is rejected, and the form says why
        robot.interact(() -> score.setValue("why"));
        assertTrue(preview.getItems().isEmpty());
        assertTrue(importButton.isDisabled());
        assertTrue(status.getText().startsWith("2 problem(s) in the first rows, e.g. rejected line 2: 'polite' is "
                + "not a number"), status.getText());
        robot.interact(() -> score.setValue("points"));
        robot.interact(() -> ((javafx.scene.control.Button) importButton).fire());
        ColumnMapping m = dialog[0].getResult();
        assertEquals("evaluator=check,score=points,label=grade", m.toString());
    }
}
