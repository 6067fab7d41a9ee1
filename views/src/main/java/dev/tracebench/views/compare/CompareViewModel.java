package dev.tracebench.views.compare;

import dev.tracebench.core.analysis.AnalysisService;
import dev.tracebench.core.analysis.Comparison;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.query.TraceDetail;
import dev.tracebench.core.query.TraceService;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.common.LatestLoads;
import dev.tracebench.views.trace.CriticalPathIndex;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * Two traces side by side: A (the baseline: a typical trace, or the shorter of two picked) and B. Loads the
 * comparison (per-stage and per-operation deltas, B minus A), both traces and both critical paths in the background;
 * with no B given, first asks the analysis for a typical peer of A's operation and makes A that peer.
 */
public final class CompareViewModel {
    private final AnalysisService analysis;
    private final TraceService traces;
    private final LatestLoads loads;
    private final TraceId given;
    private final TraceId other;

    private final ReadOnlyObjectWrapper<TraceId> a = new ReadOnlyObjectWrapper<>(this, "a");
    private final ReadOnlyObjectWrapper<TraceId> b = new ReadOnlyObjectWrapper<>(this, "b");
    private final ReadOnlyObjectWrapper<Comparison> comparison = new ReadOnlyObjectWrapper<>(this, "comparison");
    private final ReadOnlyObjectWrapper<TraceDetail> traceA = new ReadOnlyObjectWrapper<>(this, "traceA");
    private final ReadOnlyObjectWrapper<TraceDetail> traceB = new ReadOnlyObjectWrapper<>(this, "traceB");
    private final ReadOnlyObjectWrapper<CriticalPathIndex> pathA = new ReadOnlyObjectWrapper<>(this, "pathA");
    private final ReadOnlyObjectWrapper<CriticalPathIndex> pathB = new ReadOnlyObjectWrapper<>(this, "pathB");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");

    /** Compares {@code a} (baseline) with {@code b}. */
    public static CompareViewModel of(AnalysisService analysis, TraceService traces, Background background,
            TraceId a, TraceId b) {
        return new CompareViewModel(analysis, traces, background, b, a);
    }

    /** Compares a typical trace of {@code slow}'s operation (the baseline, A) with {@code slow} (B). */
    public static CompareViewModel withTypical(AnalysisService analysis, TraceService traces, Background background,
            TraceId slow) {
        return new CompareViewModel(analysis, traces, background, slow, null);
    }

    private CompareViewModel(AnalysisService analysis, TraceService traces, Background background, TraceId given,
            TraceId other) {
        this.analysis = analysis;
        this.traces = traces;
        this.loads = new LatestLoads(background);
        this.given = given;
        this.other = other;
        b.set(given);
        a.set(other);
    }

    /** True when A is a typical peer the analysis chose. */
    public boolean isTypical() {
        return other == null;
    }

    /** Loads (or reloads) everything. */
    public void load() {
        LatestLoads.Ticket t = loads.next();
        loading.set(true);
        problem.set("");
        t.onIdle(() -> loading.set(false));
        if (other != null) {
            loadPair(t, other, given);
            return;
        }
        status.set("Finding a typical trace of the same operation…");
        t.run(() -> analysis.typicalPeer(given).orElse(null), peer -> {
            if (peer == null) {
                status.set("");
                problem.set("There is no other trace of the same operation to compare with.");
                return;
            }
            a.set(peer);
            loadPair(t, peer, given);
        }, e -> {
            status.set("");
            problem.set("Could not find a typical trace: " + Background.message(e));
        });
    }

    private void loadPair(LatestLoads.Ticket t, TraceId ta, TraceId tb) {
        status.set("Comparing…");
        t.run(() -> analysis.compare(ta, tb).orElse(null), c -> {
            status.set("");
            if (c == null) {
                problem.set("One of the traces is not in this workspace.");
            }
            comparison.set(c);
        }, e -> {
            status.set("");
            problem.set("The comparison failed: " + Background.message(e));
        });
        t.run(() -> traces.trace(ta).orElse(null), traceA::set, e -> { });
        t.run(() -> traces.trace(tb).orElse(null), traceB::set, e -> { });
        t.run(() -> analysis.criticalPath(ta).map(CriticalPathIndex::new).orElse(null), pathA::set, e -> { });
        t.run(() -> analysis.criticalPath(tb).map(CriticalPathIndex::new).orElse(null), pathB::set, e -> { });
    }

    /** The baseline (null until the typical peer is found). */
    public ReadOnlyObjectProperty<TraceId> aProperty() {
        return a.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<TraceId> bProperty() {
        return b.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Comparison> comparisonProperty() {
        return comparison.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<TraceDetail> traceAProperty() {
        return traceA.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<TraceDetail> traceBProperty() {
        return traceB.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<CriticalPathIndex> pathAProperty() {
        return pathA.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<CriticalPathIndex> pathBProperty() {
        return pathB.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }
}
