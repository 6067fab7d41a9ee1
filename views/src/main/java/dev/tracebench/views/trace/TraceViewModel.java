package dev.tracebench.views.trace;

import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceDetail;
import dev.tracebench.core.query.TraceService;
import dev.tracebench.views.common.Background;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * State of one open trace: the loaded trace and its waterfall, the selected span, and the visible time window
 * (zoom). The trace is fetched and the waterfall built in the background.
 */
public final class TraceViewModel {
    private final TraceService service;
    private final Background background;
    private final TraceId traceId;
    private final java.util.function.Supplier<dev.tracebench.core.normalize.SpanNormalizer> normalizer;
    private java.util.Map<Long, dev.tracebench.core.normalize.Normalization> explanations = java.util.Map.of();
    private java.util.Map<Long, dev.tracebench.core.normalize.LlmContent> contents = java.util.Map.of();

    private final ReadOnlyObjectWrapper<TraceDetail> trace = new ReadOnlyObjectWrapper<>(this, "trace");
    private final ReadOnlyObjectWrapper<WaterfallModel> waterfall = new ReadOnlyObjectWrapper<>(this, "waterfall");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private final ObjectProperty<SpanDetail> selected = new SimpleObjectProperty<>(this, "selected");
    private final LongProperty windowStart = new SimpleLongProperty(this, "windowStart");
    private final LongProperty windowEnd = new SimpleLongProperty(this, "windowEnd");
    private final dev.tracebench.core.analysis.AnalysisService analysis;
    private final ReadOnlyObjectWrapper<CriticalPathIndex> path = new ReadOnlyObjectWrapper<>(this, "path");
    private final ReadOnlyStringWrapper pathProblem = new ReadOnlyStringWrapper(this, "pathProblem", "");
    private final javafx.beans.property.BooleanProperty showPath = new javafx.beans.property.SimpleBooleanProperty(
            this, "showPath", true);
    private final javafx.beans.property.BooleanProperty colorByStage =
            new javafx.beans.property.SimpleBooleanProperty(this, "colorByStage", false);
    private dev.tracebench.core.eval.EvalService evals;
    private final ReadOnlyObjectWrapper<java.util.List<dev.tracebench.core.eval.EvalResult>> evalResults =
            new ReadOnlyObjectWrapper<>(this, "evalResults", java.util.List.of());
    private final ReadOnlyStringWrapper evalProblem = new ReadOnlyStringWrapper(this, "evalProblem", "");

    /** A loaded trace with its waterfall and normalisation explanations, built together off the FX thread. */
    private record Loaded(TraceDetail trace, WaterfallModel waterfall,
            java.util.Map<Long, dev.tracebench.core.normalize.Normalization> explanations,
            java.util.Map<Long, dev.tracebench.core.normalize.LlmContent> contents) {
    }

    public TraceViewModel(TraceService service, Background background, TraceId traceId) {
        this(service, background, traceId, dev.tracebench.core.normalize.SpanNormalizer::new);
    }

    /** @param normalizer makes a normaliser with the user's rules and prices, to explain each span's fields */
    public TraceViewModel(TraceService service, Background background, TraceId traceId,
            java.util.function.Supplier<dev.tracebench.core.normalize.SpanNormalizer> normalizer) {
        this(service, null, background, traceId, normalizer);
    }

    /**
     * @param analysis   computes the trace's critical path (loaded alongside the trace; null: no critical path)
     * @param normalizer makes a normaliser with the user's rules and prices, to explain each span's fields
     */
    public TraceViewModel(TraceService service, dev.tracebench.core.analysis.AnalysisService analysis,
            Background background, TraceId traceId,
            java.util.function.Supplier<dev.tracebench.core.normalize.SpanNormalizer> normalizer) {
        this.analysis = analysis;
        this.service = service;
        this.background = background;
        this.traceId = traceId;
        this.normalizer = normalizer;
    }

    /** Loads the trace's eval verdicts (of every run) alongside the trace, for the span details; returns this. */
    public TraceViewModel withEvals(dev.tracebench.core.eval.EvalService evals) {
        this.evals = evals;
        return this;
    }

    /** Every eval result linked to this trace (empty before they arrive, or without an eval service). */
    public ReadOnlyObjectProperty<java.util.List<dev.tracebench.core.eval.EvalResult>> evalResultsProperty() {
        return evalResults.getReadOnlyProperty();
    }

    /** Why the verdicts could not be loaded; empty otherwise. */
    public ReadOnlyStringProperty evalProblemProperty() {
        return evalProblem.getReadOnlyProperty();
    }

    /** What the span says (messages, tool calls, documents), whatever convention wrote it; never null. */
    public dev.tracebench.core.normalize.LlmContent content(long spanId) {
        return contents.getOrDefault(spanId, dev.tracebench.core.normalize.LlmContent.NONE);
    }

    /** Why the span's normalised fields are what they are (which convention decided each, and disagreements). */
    public dev.tracebench.core.normalize.Normalization explanation(long spanId) {
        return explanations.get(spanId);
    }

    private Loaded loaded(TraceDetail t) {
        dev.tracebench.core.normalize.SpanNormalizer n = normalizer.get();
        java.util.Map<Long, dev.tracebench.core.normalize.Normalization> ex = new java.util.HashMap<>();
        java.util.Map<Long, dev.tracebench.core.normalize.LlmContent> content = new java.util.HashMap<>();
        for (SpanDetail s : t.spans()) {
            dev.tracebench.core.model.ScopeData scope = t.scopes().get(s.scopeId());
            ex.put(s.spanId(), n.explain(s.name(), s.attributes(), s.events(), s.startNs(), s.serviceName(),
                    scope == null ? "" : scope.name()));
            dev.tracebench.core.normalize.LlmContent c = dev.tracebench.core.normalize.ContentExtractor.extract(
                    s.attributes(), s.events());
            if (!c.isEmpty()) {
                content.put(s.spanId(), c);
            }
        }
        return new Loaded(t, new WaterfallModel(t), ex, content);
    }

    public TraceId traceId() {
        return traceId;
    }

    /** The span to select when the trace has (re)loaded; 0: the first root. */
    private long wantedSpan;

    /** Selects a span: now if the trace is loaded and has it, else when it has loaded. */
    public void selectSpan(long spanId) {
        wantedSpan = spanId;
        TraceDetail t = trace.get();
        if (t != null) {
            t.spans().stream().filter(s -> s.spanId() == spanId).findFirst().ifPresent(selected::set);
        }
    }

    /** The span the view should select after a load (the one asked for, or the one selected before a reload). */
    public long wantedSpan() {
        return wantedSpan;
    }

    /**
     * Fetches the trace; the waterfall property is set when it has arrived. Called again (after the workspace
     * changed) it reloads, keeping the selected span and, if the trace's time range is unchanged, the zoom.
     */
    public void load() {
        problem.set("");
        if (selected.get() != null) {
            wantedSpan = selected.get().spanId();
        }
        background.run(() -> service.trace(traceId).map(this::loaded).orElse(null),
                loaded -> {
                    if (loaded == null) {
                        problem.set("Trace " + traceId.hex() + " is not in this workspace.");
                        return;
                    }
                    explanations = loaded.explanations();
                    contents = loaded.contents();
                    WaterfallModel before = waterfall.get();
                    trace.set(loaded.trace());
                    if (before == null || before.startNs() != loaded.waterfall().startNs()
                            || before.endNs() != loaded.waterfall().endNs()) {
                        windowStart.set(loaded.waterfall().startNs());
                        windowEnd.set(Math.max(loaded.waterfall().endNs(), loaded.waterfall().startNs() + 1));
                    }
                    waterfall.set(loaded.waterfall());
                },
                t -> problem.set("Could not load trace " + traceId.hex() + ": " + Background.message(t)));
        loadCriticalPath();
        loadEvals();
    }

    /** Loads the verdicts on their own: if they fail, the trace is still shown. */
    private void loadEvals() {
        if (evals == null) {
            return;
        }
        evalProblem.set("");
        background.run(() -> evals.resultsForTrace(traceId), evalResults::set,
                t -> evalProblem.set("Eval results unavailable: " + Background.message(t)));
    }

    /** Loads the critical path (on its own: if it fails, the trace is still shown). */
    private void loadCriticalPath() {
        if (analysis == null) {
            pathProblem.set("The critical path is not available here.");
            return;
        }
        pathProblem.set("");
        background.run(() -> analysis.criticalPath(traceId).map(CriticalPathIndex::new).orElse(null), p -> {
            path.set(p);
            if (p == null) {
                pathProblem.set("No critical path: the trace has no root span to follow.");
            }
        }, t -> pathProblem.set("Critical path unavailable: " + Background.message(t)));
    }

    /** The trace's critical path, once loaded (null before, or if it could not be computed). */
    public ReadOnlyObjectProperty<CriticalPathIndex> pathProperty() {
        return path.getReadOnlyProperty();
    }

    /** Why there is no critical path (empty while loading or when there is one). */
    public ReadOnlyStringProperty pathProblemProperty() {
        return pathProblem.getReadOnlyProperty();
    }

    /** Whether the waterfall emphasises the critical path. */
    public javafx.beans.property.BooleanProperty showCriticalPathProperty() {
        return showPath;
    }

    /** Bars coloured by (effective) stage instead of by service. */
    public javafx.beans.property.BooleanProperty colorByStageProperty() {
        return colorByStage;
    }

    public ReadOnlyObjectProperty<TraceDetail> traceProperty() {
        return trace.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<WaterfallModel> waterfallProperty() {
        return waterfall.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public ObjectProperty<SpanDetail> selectedProperty() {
        return selected;
    }

    public LongProperty windowStartProperty() {
        return windowStart;
    }

    public LongProperty windowEndProperty() {
        return windowEnd;
    }

    /** Zooms the time window to a span (with a little room either side). */
    public void zoomTo(SpanDetail span) {
        if (span == null) {
            return;
        }
        long s = Math.min(span.startNs(), span.endNs());
        long e = Math.max(span.startNs(), span.endNs());
        long pad = Math.max(1, (e - s) / 20);
        windowStart.set(s - pad);
        windowEnd.set(Math.max(e + pad, s - pad + 1_000));
    }

    /** Shows the whole trace again. */
    public void resetZoom() {
        WaterfallModel w = waterfall.get();
        if (w != null) {
            windowStart.set(w.startNs());
            windowEnd.set(Math.max(w.endNs(), w.startNs() + 1));
        }
    }

    /** True when the window shows less than the whole trace. */
    public boolean isZoomed() {
        WaterfallModel w = waterfall.get();
        return w != null && (windowStart.get() > w.startNs() || windowEnd.get() < w.endNs());
    }
}
