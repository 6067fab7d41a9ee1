package dev.tracebench.views.datasets;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.EvalCondition;
import dev.tracebench.core.dataset.Dataset;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetService;
import dev.tracebench.core.dataset.DatasetVersion;
import dev.tracebench.core.dataset.Provenance;
import dev.tracebench.core.dataset.Split;
import dev.tracebench.core.eval.EvalService;
import dev.tracebench.core.eval.EvalService.TraceEvalInput;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceDetail;
import dev.tracebench.core.query.TraceService;
import dev.tracebench.core.task.CancelledException;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.LatestLoads;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * A review queue over a cohort's traces: their question, retrieved passages and answer
 * ({@link EvalService#inputs}), one at a time with its trace's context, each accepted (with the expected output
 * starting from the model's answer, editable, and tags), skipped, or gone back to. Finishing appends the accepted
 * examples to the target dataset (existing or new) as a new version; they carry provenance (workspace, trace, span,
 * the cohort's label, when) and, when known, the model, stage and failure in metadata. Used on the FX thread.
 */
public final class ReviewQueueViewModel {
    /** Candidates taken from a cohort at most, unless the user says otherwise. */
    public static final int DEFAULT_LIMIT = 500;

    /** What became of a candidate. */
    public enum Decision { PENDING, ACCEPTED, SKIPPED }

    /** One trace's answer under review. Changed only through the view model, on the FX thread. */
    public static final class Candidate {
        private final TraceEvalInput input;
        private Decision decision = Decision.PENDING;
        private String expected;
        private List<String> tags = List.of();
        private TraceContext context;

        Candidate(TraceEvalInput input) {
            this.input = input;
            this.expected = input.input().answer();
        }

        public TraceEvalInput input() {
            return input;
        }

        public Decision decision() {
            return decision;
        }

        /** The expected output as the curator left it (the model's answer to begin with). */
        public String expected() {
            return expected;
        }

        /** Tags of this example (the queue's bulk tags are added on top). */
        public List<String> tags() {
            return tags;
        }

        /** The trace's context, once loaded (null before). */
        public TraceContext context() {
            return context;
        }
    }

    /** What the queue shows of the trace an answer came from, and the facts curated examples carry. */
    public record TraceContext(String rootName, String service, long durationNs, int spans, String spanName,
            String model, String stage, boolean error) {
    }

    private final EvalService evals;
    private final DatasetService datasets;
    private final TraceService traces;
    private final Background background;
    private final Cohort cohort;
    private final String label;
    private final String workspace;
    private final Supplier<Instant> clock;
    private final LatestLoads loads;
    private final LatestLoads contextLoads;

    private final ObservableList<Candidate> candidates = FXCollections.observableArrayList();
    private final ReadOnlyIntegerWrapper index = new ReadOnlyIntegerWrapper(this, "index", -1);
    private final ReadOnlyObjectWrapper<Candidate> current = new ReadOnlyObjectWrapper<>(this, "current");
    private final ObjectProperty<String> target = new SimpleObjectProperty<>(this, "target");
    private final ObservableList<String> datasetNames = FXCollections.observableArrayList();
    private final ObservableList<String> bulkTags = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
    private final ReadOnlyBooleanWrapper saving = new ReadOnlyBooleanWrapper(this, "saving");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    /** Bumped on every decision or edit, so views redraw the list. */
    private final ReadOnlyIntegerWrapper changes = new ReadOnlyIntegerWrapper(this, "changes");
    private LatestLoads.Ticket loadTicket;

    /**
     * @param traces    reads each candidate's trace for its context (null: no context, no model or stage)
     * @param workspace the workspace file's name, for provenance
     * @param clock     when an example is added (tests fix it)
     */
    public ReviewQueueViewModel(EvalService evals, DatasetService datasets, TraceService traces,
            Background background, Cohort cohort, String label, String workspace, Supplier<Instant> clock) {
        this.evals = evals;
        this.datasets = datasets;
        this.traces = traces;
        this.background = background;
        this.cohort = cohort;
        this.label = label;
        this.workspace = workspace;
        this.clock = clock;
        this.loads = new LatestLoads(background);
        this.contextLoads = new LatestLoads(background);
        index.addListener((o, a, b) -> showCurrent());
    }

    /** The traces listed by id: a trace-table selection, the traces of examples. */
    public static Cohort ofTraces(Collection<TraceId> ids) {
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("no traces chosen");
        }
        return Cohort.filter(ids.stream().map(id -> "'" + id.uuid() + "'").distinct()
                .collect(Collectors.joining(", ", "trace_id IN (", ")")));
    }

    public String label() {
        return label;
    }

    public ObservableList<Candidate> candidates() {
        return candidates;
    }

    /** The position of the candidate shown (-1: none). */
    public ReadOnlyIntegerProperty indexProperty() {
        return index.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Candidate> currentProperty() {
        return current.getReadOnlyProperty();
    }

    /** The dataset the accepted examples go to (a new one when no dataset has this name). */
    public ObjectProperty<String> targetProperty() {
        return target;
    }

    /** The workspace's datasets, for the target picker. */
    public ObservableList<String> datasetNames() {
        return datasetNames;
    }

    /** Tags every accepted example gets. */
    public ObservableList<String> bulkTags() {
        return bulkTags;
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty savingProperty() {
        return saving.getReadOnlyProperty();
    }

    /** "12 of 48 · 5 accepted · 3 skipped". */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty changesProperty() {
        return changes.getReadOnlyProperty();
    }

    /** Takes up to {@code limit} candidates of the cohort (and lists the datasets) in the background. */
    public void load(int limit) {
        LatestLoads.Ticket t = loadTicket = loads.next();
        loading.set(true);
        problem.set("");
        status.set("Reading the answers of " + label + "…");
        t.run(() -> new Loaded(evals.inputs(cohort, limit, t.cancellation()),
                datasets.datasets().stream().map(Dataset::name).toList()), l -> {
                    loading.set(false);
                    candidates.setAll(l.inputs().stream().map(Candidate::new).toList());
                    datasetNames.setAll(l.datasets());
                    if (target.get() == null) {
                        target.set(l.datasets().isEmpty() ? "golden" : l.datasets().get(0));
                    }
                    index.set(-1);
                    index.set(candidates.isEmpty() ? -1 : 0);
                    if (candidates.isEmpty()) {
                        status.set("No answers to review: none of " + label + " has a question and an answer.");
                    }
                }, e -> {
                    loading.set(false);
                    status.set("");
                    problem.set(e instanceof CancelledException ? "Cancelled."
                            : "The answers could not be read: " + Background.message(e));
                });
    }

    private record Loaded(List<TraceEvalInput> inputs, List<String> datasets) {
    }

    /** Stops reading the candidates. */
    public void cancel() {
        if (loadTicket != null && loadTicket.isCurrent() && loading.get()) {
            loads.cancel();
            loading.set(false);
            problem.set("Cancelled.");
        }
    }

    private void showCurrent() {
        int i = index.get();
        Candidate c = i < 0 || i >= candidates.size() ? null : candidates.get(i);
        current.set(c);
        updateStatus();
        if (c != null && c.context == null && traces != null) {
            LatestLoads.Ticket t = contextLoads.next();
            t.run(() -> contextOf(c.input), ctx -> {
                c.context = ctx;
                if (c == current.get()) {
                    current.set(null); // the same candidate, now with its context: listeners redraw
                    current.set(c);
                }
            }, e -> { }); // no context: the answer is still reviewable
        }
    }

    private TraceContext contextOf(TraceEvalInput in) {
        return traces.trace(in.traceId()).map(d -> context(d, in.spanId())).orElse(null);
    }

    /** The context of a trace: its root, and the model and stage of the span whose answer is reviewed. */
    static TraceContext context(TraceDetail d, long spanId) {
        SpanDetail root = null;
        SpanDetail span = null;
        boolean error = false;
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (SpanDetail s : d.spans()) {
            if (s.parentSpanId() == null && root == null) {
                root = s;
            }
            if (s.spanId() == spanId) {
                span = s;
            }
            error |= s.isError();
            start = Math.min(start, s.startNs());
            end = Math.max(end, s.endNs());
        }
        if (root == null && !d.spans().isEmpty()) {
            root = d.spans().get(0);
        }
        SpanDetail answered = span != null ? span : root;
        String model = "";
        String stage = "";
        if (answered != null && answered.llm() != null) {
            model = nonNull(answered.llm().responseModel()).isEmpty() ? nonNull(answered.llm().requestModel())
                    : answered.llm().responseModel();
            stage = nonNull(answered.llm().stage());
        }
        return new TraceContext(root == null ? "" : root.name(), root == null ? "" : root.serviceName(),
                d.spans().isEmpty() ? 0 : end - start, d.spans().size(), answered == null ? "" : answered.name(),
                model, stage, error);
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    // ------------------------------------------------------------------ decisions

    /** Accepts the shown candidate and moves on. */
    public void accept() {
        decide(Decision.ACCEPTED);
    }

    /** Skips the shown candidate and moves on. */
    public void skip() {
        decide(Decision.SKIPPED);
    }

    private void decide(Decision d) {
        Candidate c = current.get();
        if (c == null) {
            return;
        }
        c.decision = d;
        changed();
        if (index.get() < candidates.size() - 1) {
            index.set(index.get() + 1);
        } else {
            updateStatus();
        }
    }

    /** Shows the previous candidate (its decision can then be changed). */
    public void back() {
        if (index.get() > 0) {
            index.set(index.get() - 1);
        }
    }

    /** Shows candidate {@code i}. */
    public void show(int i) {
        if (i >= 0 && i < candidates.size()) {
            index.set(i);
        }
    }

    /** The curator's expected output for the shown candidate. */
    public void setExpected(String text) {
        Candidate c = current.get();
        if (c != null && !c.expected.equals(text)) {
            c.expected = text;
            changed();
        }
    }

    /** The shown candidate's own tags. */
    public void setTags(List<String> tags) {
        Candidate c = current.get();
        if (c != null && !c.tags.equals(tags)) {
            c.tags = List.copyOf(tags);
            changed();
        }
    }

    private void changed() {
        changes.set(changes.get() + 1);
    }

    public int accepted() {
        return (int) candidates.stream().filter(c -> c.decision == Decision.ACCEPTED).count();
    }

    private void updateStatus() {
        if (candidates.isEmpty()) {
            return;
        }
        long skipped = candidates.stream().filter(c -> c.decision == Decision.SKIPPED).count();
        status.set((index.get() + 1) + " of " + Format.count(candidates.size()) + " · " + accepted() + " accepted · "
                + skipped + " skipped");
    }

    // ------------------------------------------------------------------ finishing

    /**
     * Appends the accepted candidates as examples to the target dataset, saved as its next version (version 1 of a
     * new dataset), in the background; then {@code onSaved} with the version.
     */
    public void finish(Consumer<DatasetVersion> onSaved) {
        String name = target.get() == null ? "" : target.get().strip();
        List<Candidate> chosen = candidates.stream().filter(c -> c.decision == Decision.ACCEPTED).toList();
        if (name.isEmpty()) {
            problem.set("Choose the dataset the examples go to.");
            return;
        }
        if (chosen.isEmpty()) {
            problem.set("No example accepted yet: A (or Enter) accepts the one shown.");
            return;
        }
        List<Draft> drafts = chosen.stream().map(c -> new Draft(c.input, c.expected, tagsOf(c), c.context)).toList();
        Instant now = clock.get();
        saving.set(true);
        problem.set("");
        status.set("Saving " + chosen.size() + " examples to " + name + "…");
        background.run(() -> {
            List<DatasetExample> existing = datasets.dataset(name).isPresent() ? datasets.examples(name, 0)
                    : List.of();
            List<String> ids = DatasetsViewModel.freshIds(existing, drafts.size());
            List<DatasetExample> all = new ArrayList<>(existing);
            for (int i = 0; i < drafts.size(); i++) {
                Draft d = drafts.get(i);
                TraceContext ctx = d.context() != null || traces == null ? d.context() : contextOf(d.input());
                all.add(example(ids.get(i), d, ctx, now));
            }
            return datasets.save(name, "Reviewed " + label + ": " + drafts.size() + " example"
                    + (drafts.size() == 1 ? "" : "s") + " accepted", all);
        }, v -> {
            saving.set(false);
            status.set("Saved " + drafts.size() + " examples to " + name + " as version " + v.version());
            onSaved.accept(v);
        }, e -> {
            saving.set(false);
            problem.set("Saving to " + name + " failed: " + Background.message(e) + " (the review is kept)");
        });
    }

    private record Draft(TraceEvalInput input, String expected, List<String> tags, TraceContext context) {
    }

    private List<String> tagsOf(Candidate c) {
        LinkedHashSet<String> t = new LinkedHashSet<>(c.tags);
        t.addAll(bulkTags);
        return List.copyOf(t);
    }

    private DatasetExample example(String id, Draft d, TraceContext ctx, Instant now) {
        Map<String, String> meta = new LinkedHashMap<>();
        if (ctx != null && !ctx.model().isEmpty()) {
            meta.put("model", ctx.model());
        }
        if (ctx != null && !ctx.stage().isEmpty()) {
            meta.put("stage", ctx.stage());
        }
        String failure = failure(cohort);
        if (!failure.isEmpty()) {
            meta.put("failure", failure);
        }
        Provenance p = new Provenance(workspace, d.input().traceId().hex(), d.input().spanId(), now, label);
        return new DatasetExample(id, d.input().input().question(), List.of(), d.input().input().contexts(),
                d.expected(), d.input().input().answer(), meta, d.tags(), Split.NONE, "", "", p);
    }

    /** What went wrong with a cohort's answers, when the cohort says: "hallucinated", "error", "slow". */
    static String failure(Cohort c) {
        return switch (c.kind()) {
            case QUALITY -> {
                EvalCondition e = c.eval();
                yield switch (e.test()) {
                    case LABEL -> e.label();
                    case FAILED -> "failed " + e.evaluator();
                    case ANY_FAILED -> "failed eval";
                    default -> "";
                };
            }
            case ERRORS -> "error";
            case FAILED -> "failed request";
            case SLOW_PERCENTILE -> c.metric() == Cohort.Metric.DURATION ? "slow" : "";
            case SLOW_THRESHOLD -> "slow";
            default -> "";
        };
    }
}
