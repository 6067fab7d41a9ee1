package dev.tracebench.app.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.normalize.PriceTable;
import dev.tracebench.core.normalize.Rules;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.settings.PriceTableDialog;
import dev.tracebench.views.settings.RulesDialog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Settings > Price Table and Settings > Normalisation Rules, driven as a user would (headless). */
@ExtendWith(ApplicationExtension.class)
class SettingsDialogsUiTest {
    @TempDir
    Path dir;
    private Stage stage;
    private final Background background = new Background(1);

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
        background.close();
    }

    private static void waitFor(String what, BooleanSupplier condition) {
        try {
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, condition::getAsBoolean);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what, e);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static Button button(FxRobot robot, String text) {
        return robot.lookup(".button").queryAllAs(Button.class).stream().filter(b -> text.equals(b.getText()))
                .findFirst().orElseThrow(() -> new AssertionError("no button " + text));
    }

    @Test
    @SuppressWarnings("unchecked")
    void editingAPriceSavesItAsTheUsersOwn(FxRobot robot) throws Exception {
        Path file = dir.resolve("home/prices.yaml");
        robot.interact(() -> new PriceTableDialog(stage, file, background).show());
        TableView<Object> table = robot.lookup("#price-table").queryAs(TableView.class);
        Label status = robot.lookup("#price-status").queryAs(Label.class);
        waitFor("the prices", () -> status.getText().contains("of your own prices"));
        assertEquals("0 of your own prices, in " + file, status.getText());
        TableColumn<Object, ?> model = table.getColumns().get(0);
        TableColumn<Object, ?> input = table.getColumns().get(1);
        int row = -1;
        for (int i = 0; i < table.getItems().size(); i++) {
            if ("gpt-4o".equals(model.getCellData(i))) {
                row = i;
            }
        }
        assertTrue(row >= 0, "gpt-4o is shipped");
        assertEquals(2.5, input.getCellData(row));
        assertEquals("shipped", table.getColumns().get(4).getCellData(row));
        int r = row;
        robot.interact(() -> {
            table.scrollTo(r);
            table.getSelectionModel().select(r);
        });
        robot.interact(() -> {
            table.requestFocus();
            table.edit(r, input);
        });
        waitFor("the cell editor", () -> table.getEditingCell() != null
                && robot.lookup(".table-cell .text-field").tryQuery().isPresent());
        javafx.scene.control.TextField editor = robot.lookup(".table-cell .text-field")
                .queryAs(javafx.scene.control.TextField.class);
        robot.clickOn(editor).eraseText(8).write("3.75").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(3.75, input.getCellData(r));
        assertEquals("yours", table.getColumns().get(4).getCellData(r));
        robot.interact(() -> button(robot, "Save").fire());
        waitFor("the file", () -> Files.exists(file));
        PriceTable.Price p = PriceTable.userFile(file).entries().get("gpt-4o");
        assertEquals(3.75, p.input());
        assertEquals(10.0, p.output());
        assertEquals(1, PriceTable.userFile(file).entries().size(), "only the edited model is the user's");
        assertEquals(3.75, PriceTable.withUserFile(file).lookup("gpt-4o-2024-08-06").input());
    }

    @Test
    void rulesThatDoNotParseAreNotSavedAndTheMessageSaysWhy(FxRobot robot) throws Exception {
        Path file = dir.resolve("home/rules.yaml");
        robot.interact(() -> new RulesDialog(stage, file, background).show());
        TextArea text = robot.lookup("#rules-text").queryAs(TextArea.class);
        Label status = robot.lookup("#rules-status").queryAs(Label.class);
        waitFor("the template", () -> !text.isDisabled());
        assertEquals("2 rules, all fine.", status.getText(), "the template parses");
        robot.interact(() -> text.setText("rules:\n  - name: broken\n    set: {stage: nonsense}\n"));
        assertTrue(status.getText().contains("rule #1") && status.getText().contains("nonsense"), status.getText());
        robot.interact(() -> button(robot, "Save").fire());
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(Files.exists(file), "a broken file is not saved");
        String good = "rules:\n  - name: kb search\n    match: {span_name: \"kb\\\\..*\"}\n"
                + "    set: {stage: retrieval}\n";
        robot.interact(() -> text.setText(good));
        assertEquals("1 rule, all fine.", status.getText());
        robot.interact(() -> button(robot, "Save").fire());
        waitFor("the file", () -> Files.exists(file));
        assertEquals(good, Files.readString(file));
        Rules saved = Rules.load(file);
        assertEquals("kb search", saved.rules().get(0).name());
    }
}
