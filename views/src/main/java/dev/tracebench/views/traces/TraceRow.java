package dev.tracebench.views.traces;

import dev.tracebench.core.query.TraceSummary;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * One row of the trace table. Rows are handed to the table before their page has loaded; the summary property is
 * filled when it arrives and the cells bound to it update by themselves.
 */
public final class TraceRow {
    private final long index;
    private final ObjectProperty<TraceSummary> summary = new SimpleObjectProperty<>(this, "summary");

    TraceRow(long index) {
        this.index = index;
    }

    /** Position in the current (filtered, sorted) result. */
    public long index() {
        return index;
    }

    /** The trace, or null while its page is loading. */
    public TraceSummary summary() {
        return summary.get();
    }

    public ReadOnlyObjectProperty<TraceSummary> summaryProperty() {
        return summary;
    }

    void fill(TraceSummary s) {
        summary.set(s);
    }
}
