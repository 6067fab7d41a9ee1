package dev.tracebench.views.analysis;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.remote.RemoteAnalysisService;
import dev.tracebench.core.remote.RemoteResult;
import dev.tracebench.core.slo.SloFile;
import dev.tracebench.core.slo.SloParser;
import dev.tracebench.core.slo.SloReport;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.common.Styles;
import dev.tracebench.views.slo.SloCards;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * A Spark result folder shown read-only with the workspace's own components: the breakdown (the Latency area's
 * tables), the root-cause findings (the Findings list) and the SLO cards, under a header that says what was analysed
 * and that this is a read-only remote result. The folder is read in the background; a folder that is not a result,
 * or a damaged one, shows why.
 */
public final class RemoteResultView extends BorderPane {
    private final Background background;
    private final Label title = new Label("Read-only remote result (Spark)");
    private final Label facts = new Label();
    private final Label status = new Label();

    /** What a load brings: the result, its findings and SLO report (the SLO file's, or the default objective's). */
    private record Loaded(RemoteResult result, List<Finding> findings, SloReport slos) {
    }

    /**
     * Starts reading {@code dir} ({@code sloFile}: the SLOs to evaluate over its series; null: each series at the
     * default objective).
     */
    public RemoteResultView(Path dir, Path sloFile, Background background) {
        this.background = background;
        setId("remote-result");
        title.getStyleClass().add(Styles.TITLE);
        facts.getStyleClass().add(Styles.MUTED);
        facts.setWrapText(true);
        status.setId("remote-result-status");
        status.setWrapText(true);
        status.setText("Reading " + dir + "…");
        // (a line only while it has something to say: an export's outcome)
        status.managedProperty().bind(status.textProperty().isNotEmpty());
        status.visibleProperty().bind(status.managedProperty());
        VBox header = new VBox(2, title, facts);
        header.getStyleClass().add(Styles.HEADER);
        header.setPadding(new Insets(8, 10, 8, 10));
        setTop(header);
        setCenter(status);
        BorderPane.setMargin(status, new Insets(12));
        background.run(() -> load(dir, sloFile), this::show, t -> {
            status.setText("Cannot open " + dir + " as a remote result:\n" + Background.message(t));
            status.getStyleClass().add(Styles.ERROR);
        });
    }

    private static Loaded load(Path dir, Path sloFile) {
        RemoteResult r = RemoteResult.open(dir);
        SloFile file = sloFile == null ? r.defaultSlos() : SloParser.load(sloFile);
        return new Loaded(r, r.findings(CheckSettings.DEFAULTS), r.sloReport(file));
    }

    private void show(Loaded l) {
        RemoteResult r = l.result();
        Map<String, String> f = r.facts();
        title.setText("Read-only remote result (Spark): " + r.lakeName());
        facts.setText("lake " + f.get("lake") + " · " + f.get("traces") + " traces · computed " + f.get("computed")
                + " · percentiles " + f.get("percentiles") + " · grouped by " + f.get("group by") + " · cohort "
                + f.get("cohort") + " · no per-operation lists (not in Spark's output)");

        // the Latency area's breakdown tables, over a service that answers from the result
        LatencyViewModel vm = new LatencyViewModel(new RemoteAnalysisService(r), background);
        vm.dimensionProperty().set(r.breakdown().groupBy().dimension());
        vm.start();
        BreakdownPane breakdown = new BreakdownPane(vm, new Exports(background, status::setText));
        breakdown.withoutCharts();

        Label findingsTitle = new Label(r.findingsTitle());
        findingsTitle.getStyleClass().add("tb-section-title");
        findingsTitle.setWrapText(true);
        findingsTitle.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        FindingList findings = new FindingList(FXCollections.observableArrayList(l.findings()), (id, span) -> { },
                null);
        findings.setId("remote-findings");
        Label none = new Label("Nothing sets " + r.cohort().noun() + " apart in the counted trace dimensions.");
        none.setWrapText(true);
        findings.setPlaceholder(none);
        VBox.setVgrow(findings, Priority.ALWAYS);

        Label slosTitle = new Label("SLOs (" + l.slos().file() + ")");
        slosTitle.getStyleClass().add("tb-section-title");
        FlowPane cards = new FlowPane(8, 8);
        cards.setId("remote-slo-cards");
        for (SloReport.Result res : l.slos().results()) {
            cards.getChildren().add(SloCards.card(res.status(), r.seriesFor(res.status().slo())));
        }
        if (cards.getChildren().isEmpty()) {
            cards.getChildren().add(new Label("The job counted no SLI series (run it with --slo)."));
        }
        ScrollPane cardsScroll = new ScrollPane(cards);
        cardsScroll.setFitToWidth(true);
        cardsScroll.setPrefViewportHeight(182);
        cardsScroll.setMinViewportHeight(182);
        VBox right = new VBox(6, findingsTitle, findings);
        right.setPadding(new Insets(6, 8, 6, 6));

        SplitPane split = new SplitPane(breakdown, right);
        split.setOrientation(Orientation.HORIZONTAL);
        split.setDividerPositions(0.56);
        status.setText("");
        setCenter(split);
        // the SLO cards in a strip across the window: the breakdown's tables keep their columns beside the findings
        VBox bottom = new VBox(4, slosTitle, cardsScroll, status);
        bottom.setPadding(new Insets(4, 8, 4, 8));
        setBottom(bottom);
    }
}
