package dev.tracebench.views.common;

/** Style classes and the stylesheet of the views (defined in tracebench.css). */
public final class Styles {
    public static final String STYLESHEET = "/dev/tracebench/views/tracebench.css";
    public static final String ERROR = "tb-error";
    public static final String MUTED = "tb-muted";
    public static final String FILTER_BAR = "tb-filter-bar";
    public static final String HEADER = "tb-header";
    public static final String TITLE = "tb-title";
    public static final String MONO = "tb-mono";

    private Styles() {
    }

    /**
     * A wrapped error banner showing {@code text}, present in the layout only while the text is not empty (a view
     * model's problem property).
     */
    public static javafx.scene.control.Label errorBanner(String id, javafx.beans.value.ObservableStringValue text) {
        javafx.scene.control.Label p = new javafx.scene.control.Label();
        p.setId(id);
        p.getStyleClass().add("tb-banner-error");
        p.setMaxWidth(Double.MAX_VALUE);
        p.setWrapText(true);
        p.textProperty().bind(text);
        p.visibleProperty().bind(p.textProperty().isNotEmpty());
        p.managedProperty().bind(p.visibleProperty());
        return p;
    }

    /**
     * A small spinner with a Cancel button ({@code cancelId} may be null), shown and in the layout only while
     * {@code busy} holds.
     */
    public static javafx.scene.layout.HBox busyWithCancel(javafx.beans.value.ObservableBooleanValue busy,
            Runnable cancel, String cancelId) {
        javafx.scene.control.ProgressIndicator spinner = new javafx.scene.control.ProgressIndicator();
        spinner.setMaxSize(18, 18);
        javafx.scene.control.Button button = new javafx.scene.control.Button("Cancel");
        if (cancelId != null) {
            button.setId(cancelId);
        }
        button.getStyleClass().add("tb-small-button");
        button.setOnAction(e -> cancel.run());
        javafx.scene.layout.HBox box = new javafx.scene.layout.HBox(6, spinner, button);
        box.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        box.visibleProperty().bind(busy);
        box.managedProperty().bind(box.visibleProperty());
        return box;
    }

    /** The stylesheet URL to add to a scene. */
    public static String stylesheet() {
        return Styles.class.getResource(STYLESHEET).toExternalForm();
    }
}
