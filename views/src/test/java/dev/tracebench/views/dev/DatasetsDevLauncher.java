package dev.tracebench.views.dev;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.EvalCondition;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.eval.EvalInput;
import dev.tracebench.core.eval.EvalService;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.common.BackgroundTasks;
import dev.tracebench.views.common.Navigator;
import dev.tracebench.views.common.Styles;
import dev.tracebench.views.datasets.DatasetsView;
import dev.tracebench.views.datasets.DatasetsViewModel;
import dev.tracebench.views.datasets.ReviewQueueDialog;
import dev.tracebench.views.datasets.ReviewQueueViewModel;
import dev.tracebench.views.testing.FakeDatasetService;
import dev.tracebench.views.testing.FakeTraceService;
import dev.tracebench.views.testing.FakeWorkspace;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * A manual look at the Datasets area and the review queue on fake services (for screenshots). Arguments: "diff"
 * opens the Versions tab with the diff of versions 1 and 2; "queue" opens a review queue; "quality" the quality of
 * the set tab; "edit" leaves an unsaved edit.
 */
public final class DatasetsDevLauncher {
    private DatasetsDevLauncher() {
    }

    public static void main(String[] args) {
        Application.launch(App.class, args);
    }

    /** The application. */
    public static final class App extends Application {
        private final Background background = new Background(2);
        private final FakeWorkspace ws = FakeWorkspace.standard();

        @Override
        public void start(Stage stage) {
            FakeDatasetService service = new FakeDatasetService();
            List<DatasetExample> v1 = FakeDatasetService.generated(180);
            List<DatasetExample> v2 = new ArrayList<>(v1);
            v2.set(4, v1.get(4).withExpectedOutput("Orders ship within two business days; express ships the same "
                    + "day when ordered before noon."));
            v2.set(11, v1.get(11).withTags(List.of("refund", "policy")).withNotes("Checked against the 2026 policy"));
            v2.remove(20);
            v2.add(DatasetExample.of("ex-0181", "Can I change the delivery address after ordering?",
                    "Yes, until the parcel is handed to the carrier."));
            service.save("support-golden", "Imported goldens.jsonl", v1);
            service.save("support-golden", "Fixed shipping answers, tagged policy questions", v2);
            service.save("refunds-edge-cases", "Reviewed hallucinated answers", FakeDatasetService.generated(24));
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
            DatasetsView view = new DatasetsView(new DatasetsViewModel(service, background), navigator,
                    new BackgroundTasks());
            String[] size = System.getProperty("dev.size", "1280x800").split("x");
            Scene scene = new Scene(view, Integer.parseInt(size[0]), Integer.parseInt(size[1]));
            scene.getStylesheets().add(Styles.stylesheet());
            stage.setScene(scene);
            stage.setTitle("Tracebench datasets (fake services)");
            stage.show();
            view.viewModel().selectWhenListed("support-golden");
            view.refresh();
            for (String a : getParameters().getRaw()) {
                switch (a) {
                    case "diff" -> {
                        view.showTab(1);
                        later(() -> view.lookupAll("#datasets-diff").forEach(n -> ((javafx.scene.control.Button) n)
                                .fire()));
                    }
                    case "quality" -> {
                        view.showTab(2);
                        later(() -> {
                            view.lookupAll("#datasets-coverage").forEach(n -> ((javafx.scene.control.Button) n)
                                    .fire());
                            view.lookupAll("#datasets-dup-find").forEach(n -> ((javafx.scene.control.Button) n)
                                    .fire());
                        });
                    }
                    case "edit" -> later(() -> {
                        DatasetExample e = view.viewModel().examples().get(3);
                        view.viewModel().edit(e.withExpectedOutput("Refunds reach the card in 5–7 business days.")
                                .withTags(List.of("refund", "policy")), "edit " + e.id() + " expected output");
                        view.select(e.id());
                    });
                    case "queue" -> queue(stage, service, navigator);
                    default -> { }
                }
            }
        }

        private void queue(Stage owner, FakeDatasetService service, Navigator navigator) {
            List<EvalService.TraceEvalInput> inputs = new ArrayList<>();
            String[][] qa = {
                {"How long do refunds take to reach my card?", "Refunds are instant and appear within minutes."},
                {"Can I return a sale item?", "Sale items can be returned within 90 days for store credit."},
                {"Do you ship to Norway?", "We ship to all EU countries, including Norway."},
                {"What is the warranty on headphones?", "All headphones carry a lifetime warranty."}};
            for (int i = 0; i < qa.length; i++) {
                FakeWorkspace.Trace t = ws.traces().get(i);
                long span = t.spans().stream().filter(s -> "inference".equals(s.stage())).findFirst()
                        .map(FakeWorkspace.Span::spanId).orElse(0L);
                inputs.add(new EvalService.TraceEvalInput(t.id(), span, new EvalInput(qa[i][0], List.of(
                        "Refund policy: refunds are issued to the original payment method within 5–7 business "
                                + "days after the return is received.",
                        "Returns: items bought on sale can be returned within 30 days for store credit only."),
                        qa[i][1], "")));
            }
            EvalService evals = new dev.tracebench.views.testing.FakeEvalInputs(inputs);
            ReviewQueueViewModel vm = new ReviewQueueViewModel(evals, service, new FakeTraceService(ws), background,
                    Cohort.quality(EvalCondition.label("groundedness", "hallucinated")),
                    "answers labelled hallucinated by groundedness", "default.duckdb", Instant::now);
            ReviewQueueDialog d = new ReviewQueueDialog(owner, vm, navigator, v -> { });
            d.setWidth(1280);
            d.setHeight(800);
            d.show();
            vm.load(100);
            later(() -> {
                vm.accept();
                vm.bulkTags().setAll("hallucination");
            });
        }

        private static void later(Runnable r) {
            new Thread(() -> {
                try {
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    return;
                }
                Platform.runLater(r);
            }).start();
        }
    }
}
