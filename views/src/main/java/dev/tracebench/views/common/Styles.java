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

    /** The stylesheet URL to add to a scene. */
    public static String stylesheet() {
        return Styles.class.getResource(STYLESHEET).toExternalForm();
    }
}
