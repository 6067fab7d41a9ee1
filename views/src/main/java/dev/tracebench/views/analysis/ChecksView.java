package dev.tracebench.views.analysis;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.views.common.Styles;
import java.util.function.BiConsumer;
import java.util.function.ObjLongConsumer;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** The automated checks over the whole workspace (a stage dominating, cache misses, queueing, loops, …). */
final class ChecksView extends BorderPane {
    private final FindingList list;

    ChecksView(FindingsViewModel vm, ObjLongConsumer<TraceId> onOpen, BiConsumer<Cohort, String> onShowTraces) {
        setId("checks-view");
        list = new FindingList(vm.checks(), onOpen, onShowTraces);
        list.setId("checks-list");
        Label empty = new Label("No check has found anything (or they have not run yet).");
        empty.getStyleClass().add(Styles.MUTED);
        list.setPlaceholder(empty);
        Label title = new Label("Checks over the whole workspace");
        title.getStyleClass().add(Styles.TITLE);
        Button run = new Button("Run Again");
        run.setId("checks-run");
        run.setTooltip(new Tooltip("Run every check again with the current thresholds"));
        run.setOnAction(e -> vm.runChecks());
        run.disableProperty().bind(vm.checkingProperty());
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(20, 20);
        busy.setMaxSize(20, 20);
        busy.visibleProperty().bind(vm.checkingProperty());
        Label status = new Label();
        status.setId("checks-status");
        status.getStyleClass().add(Styles.MUTED);
        status.textProperty().bind(vm.checksStatusProperty());
        Button thresholds = new Button("Thresholds…");
        thresholds.setOnAction(e -> new CheckSettingsDialog(getScene().getWindow(), vm.settingsProperty().get())
                .showAndWait().ifPresent(vm.settingsProperty()::set));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(8, title, spacer, busy, status, run, thresholds);
        bar.setAlignment(Pos.CENTER_LEFT);
        VBox top = new VBox(bar);
        top.setPadding(new Insets(8));
        top.getStyleClass().add(Styles.HEADER);
        setTop(top);
        setCenter(list);
    }

    FindingList list() {
        return list;
    }
}
