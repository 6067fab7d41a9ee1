package dev.tracebench.views.datasets;

import static dev.tracebench.views.testing.Fx.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetFile;
import dev.tracebench.core.dataset.DatasetFiles;
import dev.tracebench.core.dataset.Redaction;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.common.BackgroundTasks;
import dev.tracebench.views.common.Navigator;
import dev.tracebench.views.common.Styles;
import dev.tracebench.views.testing.FakeDatasetService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * "Quality of the set" and "Export…" on planted data (headless): a planted near-duplicate is found and merged (and
 * the merge undone), a stratified sample keeps the target size with every tag, the export's PII preview lists the
 * planted e-mail address masked and the file port receives the redacted examples; a clean set has no duplicates and
 * nothing to mask.
 */
@ExtendWith(ApplicationExtension.class)
class SetQualityAndExportUiTest {
    private static final String EMAIL = "jane.doe@example.com";
    private final FakeDatasetService service = new FakeDatasetService();
    private final Background background = new Background(2);
    private final List<String> written = new CopyOnWriteArrayList<>();
    private final List<List<DatasetExample>> writtenExamples = new CopyOnWriteArrayList<>();
    private DatasetsView view;

    /** Records what would be written; reads nothing. */
    private final DatasetFiles files = new DatasetFiles() {
        @Override
        public List<String> exportFormats() {
            return List.of("jsonl", "promptfoo", "openai-evals");
        }

        @Override
        public DatasetFile read(Path file, String format, Map<String, String> mapping) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void write(List<DatasetExample> examples, String format, Path out) {
            written.add(format + " " + out.getFileName());
            writtenExamples.add(List.copyOf(examples));
        }
    };

    @Start
    void start(Stage stage) {
        List<DatasetExample> planted = new ArrayList<>(FakeDatasetService.generated(20));
        // a copy of ex-0003 differing in case and punctuation only; and an e-mail address in ex-0007's input
        planted.add(DatasetExample.of("ex-0021", "QUESTION 3, about shipping!", "Answer 3 again")
                .withTags(List.of("dup")));
        planted.set(6, new DatasetExample("ex-0007", "Please write to " + EMAIL + " about order 7", List.of(),
                List.of(), "Answer 7", "", Map.of(), List.of(), null, "", "", null));
        service.save("planted", "first", planted);
        service.save("zz-clean", "first", List.of(DatasetExample.of("ex-0001", "How do refunds work?", "Ask"),
                DatasetExample.of("ex-0002", "Where is my parcel?", "Track it")));
        service.save("zz-large", "first", FakeDatasetService.generated(200));
        Navigator navigator = new Navigator() {
            @Override
            public void openTrace(TraceId traceId, long spanId) {
            }

            @Override
            public void showTraces(Cohort cohort, String label) {
            }

            @Override
            public void explain(String cohort) {
            }
        };
        view = new DatasetsView(new DatasetsViewModel(service, background), navigator, new BackgroundTasks());
        view.setDatasetFiles(files);
        Scene scene = new Scene(view, 1280, 800);
        scene.getStylesheets().add(Styles.stylesheet());
        stage.setScene(scene);
        stage.show();
        view.refresh();
    }

    @AfterEach
    void close() {
        background.close();
    }

    private void show(FxRobot robot, String name, int examples) {
        robot.interact(() -> view.viewModel().selectedProperty().set(name));
        waitFor(name, () -> view.viewModel().examples().size() == examples && !view.viewModel().loadingProperty()
                .get());
    }

    @SuppressWarnings("unchecked")
    private static <T> TableView<T> table(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(TableView.class);
    }

    @Test
    void thePlantedNearDuplicateIsFoundAndMergedAndTheMergeUndone(FxRobot robot) {
        show(robot, "planted", 21);
        robot.interact(() -> view.showTab(2));
        // 1.0: copies differing only in case, spacing and punctuation (the generated questions 1 and 11 are 0.8)
        @SuppressWarnings("unchecked")
        javafx.scene.control.Spinner<Double> threshold = robot.lookup("#datasets-dup-threshold")
                .queryAs(javafx.scene.control.Spinner.class);
        robot.interact(() -> threshold.getValueFactory().setValue(1.0));
        robot.clickOn("#datasets-dup-find");
        TableView<dev.tracebench.core.dataset.NearDuplicates.Group> groups = table(robot, "#datasets-dup-groups");
        waitFor("the group", () -> !groups.getItems().isEmpty());
        assertEquals(List.of(List.of("ex-0003", "ex-0021")), groups.getItems().stream().map(g -> g.ids()).toList());
        robot.interact(() -> groups.getSelectionModel().select(0));
        robot.clickOn("#datasets-dup-merge");
        waitFor("merged", () -> view.viewModel().examples().size() == 20);
        DatasetExample kept = view.viewModel().examples().get(2);
        assertEquals("ex-0003", kept.id());
        assertTrue(kept.tags().contains("dup"), "the merged example keeps the other's tags: " + kept.tags());
        assertTrue(view.viewModel().dirtyProperty().get());
        robot.interact(() -> view.viewModel().undo());
        assertEquals(21, view.viewModel().examples().size());

        show(robot, "zz-clean", 2);
        robot.clickOn("#datasets-dup-find");
        waitFor("the search", () -> robot.lookup("#datasets-dup-status").queryAs(Label.class).getText()
                .startsWith("No near-duplicates"));
        assertTrue(groups.getItems().isEmpty());
    }

    @Test
    void theSampleKeepsTheTargetSizeWithEveryTagAndCoverageCountsThem(FxRobot robot) {
        show(robot, "zz-large", 200);
        robot.interact(() -> view.showTab(2));
        robot.clickOn("#datasets-sample"); // 150 by tag, the defaults
        waitFor("the sample", () -> view.viewModel().examples().size() == SetQualityPane.DEFAULT_TARGET);
        Set<String> tags = new HashSet<>();
        view.viewModel().examples().forEach(e -> tags.addAll(e.tags()));
        assertEquals(Set.of("refund", "edge"), tags);
        assertTrue(view.viewModel().examples().stream().anyMatch(e -> e.tags().isEmpty()), "untagged kept too");
        robot.clickOn("#datasets-coverage");
        TableView<dev.tracebench.core.dataset.Coverage.Count> counts = table(robot, "#datasets-coverage-counts");
        waitFor("the counts", () -> !counts.getItems().isEmpty());
        long refund = view.viewModel().examples().stream().filter(e -> e.tags().contains("refund")).count();
        assertEquals(refund, counts.getItems().stream().filter(c -> c.value().equals("refund")).findFirst()
                .orElseThrow().count());
    }

    @Test
    void exportPreviewsTheMaskedPiiAndWritesTheRedactedExamples(FxRobot robot) {
        show(robot, "planted", 21);
        robot.clickOn("#datasets-export");
        waitFor("the export dialog", () -> robot.lookup("#export-redact").tryQuery().isPresent());
        robot.clickOn("#export-redact");
        TableView<Redaction.Masked> preview = table(robot, "#export-preview");
        waitFor("the preview", () -> !preview.getItems().isEmpty());
        assertEquals(1, preview.getItems().size());
        Redaction.Masked m = preview.getItems().get(0);
        assertEquals(List.of("ex-0007", "input"), List.of(m.exampleId(), m.field()));
        assertFalse(m.masked().contains(EMAIL));
        assertTrue(m.masked().startsWith("Please write to ") && m.masked().endsWith(" about order 7"), m.masked());
        TextField out = robot.lookup("#export-file").queryAs(TextField.class);
        robot.interact(() -> out.setText("/tmp/planted-export.jsonl"));
        javafx.scene.control.DialogPane pane = robot.lookup("#export-dataset-dialog")
                .queryAs(javafx.scene.control.DialogPane.class);
        robot.interact(() -> ((javafx.scene.control.Button) pane.lookupButton(ExportDatasetDialog.EXPORT)).fire());
        waitFor("written", () -> !written.isEmpty());
        assertEquals(List.of("jsonl planted-export.jsonl"), written);
        List<DatasetExample> sent = writtenExamples.get(0);
        assertEquals(21, sent.size());
        assertEquals(m.masked(), sent.get(6).input());
        assertTrue(sent.stream().noneMatch(e -> e.input().contains(EMAIL)));
        assertEquals(service.examples("planted", 0).get(0), sent.get(0), "examples without PII unchanged");
    }
}
