package dev.tracebench.views.analysis;

import static dev.tracebench.views.testing.Fx.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.common.Styles;
import dev.tracebench.views.testing.FakeAnalysisService;
import dev.tracebench.views.testing.FakeWorkspace;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.collections.FXCollections;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The findings list as a user meets it: what the empty list tells them to press, example links that open the trace on
 * the span the finding names, "Show these traces", the supporting properties, and no secret on screen.
 */
@ExtendWith(ApplicationExtension.class)
class FindingsViewUiTest {
    private static final TraceId T = new TraceId(0xabcdef0123456789L, 0x1122334455667788L);
    private static final long SPAN = 0x0102030405060708L;
    private static final Cohort NARROWED = Cohort.slow(95).and("t.tenant = 'acme'");

    private final FakeAnalysisService fake = new FakeAnalysisService(FakeWorkspace.standard());
    private final Background background = new Background(2);
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private FindingsView view;
    private FindingList plain;

    private static final Finding CAUSE = new Finding(Severity.WARNING, Finding.ROOT_CAUSE,
            "62% of slow requests came from tenant acme (vs 20% of the others).", "Explanation.",
            new Finding.Evidence(100, 62, 900, 180, 0.42, 0.9999, Map.of("dimension", "tenant", "value", "acme"),
                    new Finding.Cost(1_200_000_000L, "retrieval", 0.55)),
            List.of("had retrieval · app.vector.shard = archive-1 (60% vs 4%)"),
            List.of(new Finding.Exemplar(T, SPAN)), new Finding.Traces(NARROWED, "slow requests that came from acme"));
    private static final Finding LEAKY = new Finding(Severity.NOTICE, Finding.ROOT_CAUSE,
            "40% had request · authorization = Bearer sk-live-4f9a8b7c6d5e4f3a2b1c (vs 1%).",
            "The key sk-live-4f9a8b7c6d5e4f3a2b1c0d appears.", new Finding.Evidence(100, 40, 100, 1, 0.39, 0.999,
                    Map.of("attribute", "authorization", "value", "Bearer sk-live-4f9a8b7c6d5e4f3a2b1c")),
            List.of("had api_key=sk-live-4f9a8b7c6d5e4f3a2b1c (40% vs 1%)"), List.of(), null);

    @Start
    void start(Stage stage) {
        FindingsViewModel vm = new FindingsViewModel(fake, background);
        view = new FindingsView(vm, () -> Cohort.slow(95), (id, span) -> calls.add("open " + id.hex() + " " + span),
                (cohort, label) -> calls.add("show " + cohort.filter() + " | " + label));
        // a list without a trace list to show into: no "Show these traces"
        plain = new FindingList(FXCollections.observableArrayList(CAUSE), (id, span) -> { }, null);
        plain.setId("plain-list");
        plain.setPrefHeight(200);
        Scene scene = new Scene(new VBox(view, plain), 1280, 800);
        scene.getStylesheets().add(Styles.stylesheet());
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void theEmptyListNamesTheButtonsAsTheyRead(FxRobot robot) {
        String empty = robot.lookup("#findings-empty").queryAs(Label.class).getText();
        String explain = robot.lookup("#findings-explain").queryAs(Button.class).getText();
        assertTrue(empty.contains("\u201c" + explain + "\u201d"), empty);
        assertTrue(empty.contains("\u201c" + FindingsView.ASK + "\u201d"), empty);
    }

    @Test
    void anExampleOpensOnItsSpanAndTheFindingListsItsTraces(FxRobot robot) {
        robot.interact(() -> view.list().getItems().setAll(CAUSE));
        waitFor("the finding", () -> !robot.lookup("#findings-list .tb-exemplar").queryAll().isEmpty());
        robot.clickOn(robot.lookup("#findings-list .tb-exemplar").queryAs(Hyperlink.class));
        assertEquals(List.of("open " + T.hex() + " " + SPAN), calls);
        robot.clickOn(robot.lookup("#findings-list .tb-show-traces").queryAs(Hyperlink.class));
        assertEquals("show " + NARROWED.filter() + " | slow requests that came from acme", calls.get(1));
        // what else the same requests have, and the evidence as lift and cost, no confidence
        assertTrue(robot.lookup("#findings-list .tb-finding-supporting").queryAllAs(Label.class).stream().anyMatch(
                l -> l.getText().equals("The same requests also had retrieval · app.vector.shard = archive-1 (60% vs "
                        + "4%).")));
        String meta = FindingList.scope(CAUSE) + " · " + FindingList.evidence(CAUSE);
        assertTrue(meta.startsWith("warning · about this cohort · 62 of 100 in the cohort (62.0%) vs 180 of 900 "
                + "others (20.0%); 3.1× as common; +1.20 s median, mostly retrieval; 55% of the cohort's excess time"),
                meta);
        assertTrue(robot.lookup("#plain-list .tb-show-traces").queryAll().isEmpty(),
                "no trace list to show into: no link");
    }

    @Test
    void noSecretReachesTheScreen(FxRobot robot) {
        robot.interact(() -> {
            view.list().getItems().setAll(LEAKY);
            view.list().toggle(LEAKY);
        });
        waitFor("the finding", () -> !robot.lookup("#findings-list .tb-finding-summary").queryAll().isEmpty());
        for (Label l : robot.lookup("#findings-list .label").queryAllAs(Label.class)) {
            assertFalse(l.getText() != null && l.getText().contains("4f9a8b7c6d5e"), l.getText());
        }
    }
}
