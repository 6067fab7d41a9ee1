package dev.tracebench.views.analysis;

import dev.tracebench.core.analysis.AnalysisService;
import dev.tracebench.core.analysis.Breakdown;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Dimension;
import dev.tracebench.core.analysis.GroupBy;
import dev.tracebench.core.analysis.Heatmap;
import dev.tracebench.core.analysis.Histogram;
import dev.tracebench.core.analysis.Timeline;
import dev.tracebench.core.report.Durations;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.common.LatestLoads;
import java.util.List;
import java.util.Objects;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * State of the Latency area: which requests to look at (the cohort, optionally narrowed to chosen services and
 * models), how to group them, and what the analysis service says about them (count, breakdown, timeline, heatmap,
 * histogram of the selected stage). The charts show the group picked in the breakdown ({@link #chartCohortProperty()}),
 * the whole cohort when none is. Every query runs in the background; changing the cohort or the grouping supersedes
 * the loads in flight (their results are dropped and queued ones never run).
 *
 * <p>Discrete choices (cohort kind, percentile, services, models, dimension, group, stage) reload by themselves once
 * {@link #start()} was called; typed inputs (threshold, filter, attribute key) take effect on {@link #apply()}.
 * {@link #refresh()} runs every query again, for when the workspace changed.
 */
public final class LatencyViewModel {
    public static final List<Double> PERCENTILES = List.of(90.0, 95.0, 99.0);
    /** At most this many time buckets in the timeline (fewer for small cohorts: see {@link #timelineBuckets}). */
    public static final int TIMELINE_BUCKETS = 72;
    public static final int HEATMAP_TIME_BUCKETS = 96;
    public static final int HEATMAP_DURATION_BUCKETS = 40;
    public static final int HISTOGRAM_BINS = 36;
    public static final int ATTRIBUTE_KEYS = 200;

    /** At most this many services or models to choose from. */
    public static final int CHOICES = 200;
    static final GroupBy SERVICE = GroupBy.of(Dimension.SERVICE);
    static final GroupBy MODEL = GroupBy.of(Dimension.MODEL);

    private final AnalysisService service;
    private final LatestLoads countLoads;
    private final LatestLoads timelineLoads;
    private final LatestLoads breakdownLoads;
    private final LatestLoads heatmapLoads;
    private final LatestLoads histogramLoads;
    private final LatestLoads operationsLoads;
    /** Groups of the current breakdown whose operations were loaded (or failed to load). */
    private final java.util.Set<String> operationsAsked = new java.util.HashSet<>();
    /** The group whose operations {@link #operationsTicket} loads. */
    private String operationsLoading;
    private final Background background;

    // inputs
    private final ObjectProperty<Cohort.Kind> kind = new SimpleObjectProperty<>(this, "kind", Cohort.Kind.ALL);
    private final DoubleProperty percentile = new SimpleDoubleProperty(this, "percentile", 95);
    private final StringProperty threshold = new SimpleStringProperty(this, "threshold", "2s");
    private final StringProperty filter = new SimpleStringProperty(this, "filter", "");
    private final ObjectProperty<Dimension> dimension = new SimpleObjectProperty<>(this, "dimension",
            Dimension.NONE);
    private final StringProperty attributeKey = new SimpleStringProperty(this, "attributeKey", "");
    private final ObjectProperty<String> stage = new SimpleObjectProperty<>(this, "stage");
    private final ObjectProperty<Breakdown.Group> group = new SimpleObjectProperty<>(this, "group");
    private final ObservableList<String> chosenServices = FXCollections.observableArrayList();
    private final ObservableList<String> chosenModels = FXCollections.observableArrayList();

    // results
    private final ReadOnlyObjectWrapper<Cohort> cohort = new ReadOnlyObjectWrapper<>(this, "cohort", Cohort.all());
    private final ReadOnlyObjectWrapper<Cohort> chartCohort = new ReadOnlyObjectWrapper<>(this, "chartCohort",
            Cohort.all());    private final ReadOnlyObjectWrapper<Cohort> region = new ReadOnlyObjectWrapper<>(this, "region");
    private final ReadOnlyObjectWrapper<GroupBy> groupBy = new ReadOnlyObjectWrapper<>(this, "groupBy",
            GroupBy.NONE);
    private final ReadOnlyLongWrapper count = new ReadOnlyLongWrapper(this, "count", -1);
    private final ReadOnlyLongWrapper total = new ReadOnlyLongWrapper(this, "total", -1);
    private final ReadOnlyObjectWrapper<Breakdown> breakdown = new ReadOnlyObjectWrapper<>(this, "breakdown");
    private final ReadOnlyObjectWrapper<Timeline> timeline = new ReadOnlyObjectWrapper<>(this, "timeline");
    private final ReadOnlyObjectWrapper<Heatmap> heatmap = new ReadOnlyObjectWrapper<>(this, "heatmap");
    private final ReadOnlyObjectWrapper<Histogram> histogram = new ReadOnlyObjectWrapper<>(this, "histogram");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
    private final ReadOnlyBooleanWrapper timelineLoading = new ReadOnlyBooleanWrapper(this, "timelineLoading");
    private final ReadOnlyBooleanWrapper breakdownLoading = new ReadOnlyBooleanWrapper(this, "breakdownLoading");
    private final ReadOnlyBooleanWrapper heatmapLoading = new ReadOnlyBooleanWrapper(this, "heatmapLoading");
    private final ReadOnlyBooleanWrapper histogramLoading = new ReadOnlyBooleanWrapper(this, "histogramLoading");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private final ReadOnlyStringWrapper inputProblem = new ReadOnlyStringWrapper(this, "inputProblem", "");
    private final ObservableList<String> filterColumns = FXCollections.observableArrayList();
    private final ObservableList<String> attributeKeys = FXCollections.observableArrayList();
    private final ObservableList<String> services = FXCollections.observableArrayList();
    private final ObservableList<String> models = FXCollections.observableArrayList();

    private final java.util.Map<String, String> failures = new java.util.LinkedHashMap<>();
    private LatestLoads.Ticket countTicket;
    private LatestLoads.Ticket timelineTicket;
    /** The timeline waits for the cohort's count (the charts show the whole cohort, whose count is loading). */
    private boolean timelineAwaitsCount;
    private LatestLoads.Ticket breakdownTicket;
    private LatestLoads.Ticket heatmapTicket;
    private LatestLoads.Ticket histogramTicket;
    private LatestLoads.Ticket operationsTicket;
    private boolean started;

    public LatencyViewModel(AnalysisService service, Background background) {
        this.service = service;
        this.background = background;
        this.countLoads = new LatestLoads(background);
        this.timelineLoads = new LatestLoads(background);
        this.breakdownLoads = new LatestLoads(background);
        this.heatmapLoads = new LatestLoads(background);
        this.histogramLoads = new LatestLoads(background);
        this.operationsLoads = new LatestLoads(background);
        group.addListener((o, a, b) -> {
            loadOperations(b);
            followGroup();
        });
        kind.addListener((o, a, b) -> apply());
        chosenServices.addListener((javafx.collections.ListChangeListener<String>) c -> apply());
        chosenModels.addListener((javafx.collections.ListChangeListener<String>) c -> apply());
        percentile.addListener((o, a, b) -> {
            if (kind.get() == Cohort.Kind.SLOW_PERCENTILE) {
                apply();
            }
        });
        dimension.addListener((o, a, b) -> applyGrouping());
        stage.addListener((o, a, b) -> {
            if (started && !Objects.equals(a, b)) {
                loadHistogram();
            }
        });
    }

    // ------------------------------------------------------------------ properties

    public ObjectProperty<Cohort.Kind> kindProperty() {
        return kind;
    }

    /** Percentile of the "slow" cohort (90, 95, 99). */
    public DoubleProperty percentileProperty() {
        return percentile;
    }

    /** Minimum duration of the "slower than" cohort as typed ("2s", "1500ms"). */
    public StringProperty thresholdProperty() {
        return threshold;
    }

    /** The SQL expression of the filter cohort. */
    public StringProperty filterProperty() {
        return filter;
    }

    public ObjectProperty<Dimension> dimensionProperty() {
        return dimension;
    }

    public StringProperty attributeKeyProperty() {
        return attributeKey;
    }

    /** The stage whose contribution the histogram shows (null: the whole request). */
    public ObjectProperty<String> stageProperty() {
        return stage;
    }

    /**
     * The group the stage table and the charts show (the first, the whole cohort, unless the user picks another).
     */
    public ObjectProperty<Breakdown.Group> groupProperty() {
        return group;
    }

    /** The services the cohort is narrowed to (none: every service). */
    public ObservableList<String> chosenServices() {
        return chosenServices;
    }

    /** The models the cohort is narrowed to (none: every model; {@link Breakdown#NONE}: requests without one). */
    public ObservableList<String> chosenModels() {
        return chosenModels;
    }

    /** The cohort the results are for (the last one applied). */
    public ReadOnlyObjectProperty<Cohort> cohortProperty() {
        return cohort.getReadOnlyProperty();
    }

    /**
     * The cohort the timeline, heatmap and histogram show: {@link #cohortProperty()} narrowed to the group picked in
     * the breakdown, or the cohort itself when the whole cohort is picked.
     */
    public ReadOnlyObjectProperty<Cohort> chartCohortProperty() {
        return chartCohort.getReadOnlyProperty();
    }

    /** The picked group the charts are narrowed to ("service docs-search"), or null for the whole cohort. */
    public String chartGroupLabel() {
        Breakdown b = breakdown.get();
        Breakdown.Group g = group.get();
        return b == null || g == null || g.value() == null || b.groupBy().dimension() == Dimension.NONE ? null
                : b.groupBy().label() + " " + g.value();
    }

    /** The brushed heatmap rectangle (a REGION cohort), or null. */
    public ReadOnlyObjectProperty<Cohort> regionProperty() {
        return region.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<GroupBy> groupByProperty() {
        return groupBy.getReadOnlyProperty();
    }

    /** Traces in the cohort; -1 while unknown. */
    public ReadOnlyLongProperty countProperty() {
        return count.getReadOnlyProperty();
    }

    /** Traces in the workspace; -1 while unknown. */
    public ReadOnlyLongProperty totalProperty() {
        return total.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Breakdown> breakdownProperty() {
        return breakdown.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Timeline> timelineProperty() {
        return timeline.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Heatmap> heatmapProperty() {
        return heatmap.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Histogram> histogramProperty() {
        return histogram.getReadOnlyProperty();
    }

    /** True while anything is loading. */
    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** True while the count or the timeline load. */
    public ReadOnlyBooleanProperty timelineLoadingProperty() {
        return timelineLoading.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty breakdownLoadingProperty() {
        return breakdownLoading.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty heatmapLoadingProperty() {
        return heatmapLoading.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty histogramLoadingProperty() {
        return histogramLoading.getReadOnlyProperty();
    }

    /** A failed query, in the user's words; empty when all is well. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** Something the user typed that cannot be used (a bad duration, an empty filter); empty when fine. */
    public ReadOnlyStringProperty inputProblemProperty() {
        return inputProblem.getReadOnlyProperty();
    }

    /** The columns a filter may use ("name TYPE"). */
    public ObservableList<String> filterColumns() {
        return filterColumns;
    }

    /** Attribute keys for "group by attribute…". */
    public ObservableList<String> attributeKeys() {
        return attributeKeys;
    }

    /** The services to choose from, most requests first (and any chosen one that is gone). */
    public ObservableList<String> services() {
        return services;
    }

    /** The models to choose from, most requests first (and any chosen one that is gone). */
    public ObservableList<String> models() {
        return models;
    }

    // ------------------------------------------------------------------ actions

    /** Loads the pickers' contents and the first results (call once, when the area is first shown). */
    public void start() {
        if (started) {
            return;
        }
        started = true;
        takeInputs(); // unusable inputs leave the last good cohort (all requests at first)
        reload(true);
    }

    /**
     * Runs every query again: the pickers' contents, the number of requests in the workspace, the cohort's count,
     * breakdown, timeline, heatmap and histogram (percentile thresholds are computed by each query, so they are new
     * too). Call it when the workspace changed (an import) or on the user's Refresh.
     */
    public void refresh() {
        if (!started) {
            start();
            return;
        }
        reload(true);
    }

    private void loadPickers() {
        background.run(service::filterColumns, filterColumns::setAll, t -> { });
        background.run(() -> service.attributeKeys(ATTRIBUTE_KEYS), attributeKeys::setAll, t -> { });
        background.run(() -> service.dimensionValues(SERVICE, CHOICES), v -> services.setAll(withChosen(v,
                chosenServices)), t -> { });
        background.run(() -> service.dimensionValues(MODEL, CHOICES), v -> models.setAll(withChosen(v,
                chosenModels)), t -> { });
    }

    /** The values to choose from: those found, then any chosen one they lack (so it can be unchecked). */
    private static List<String> withChosen(List<String> found, List<String> chosen) {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(found);
        all.addAll(chosen);
        return List.copyOf(all);
    }

    public boolean isStarted() {
        return started;
    }

    /** The threads the queries run on (the view saves exports there too). */
    Background background() {
        return background;
    }

    /**
     * Builds the cohort from the inputs and, if it is usable, reloads everything for it. Returns false (and says
     * why in {@link #inputProblemProperty()}) if the inputs do not make a cohort.
     */
    public boolean apply() {
        boolean ok = takeInputs();
        if (ok && started) {
            reload(false);
        }
        return ok;
    }

    /** Makes the inputs the cohort and grouping, if they make one; else says why and returns false. */
    private boolean takeInputs() {
        Cohort c;
        try {
            c = cohortFromInputs();
        } catch (IllegalArgumentException e) {
            inputProblem.set(e.getMessage());
            return false;
        }
        inputProblem.set("");
        GroupBy g = groupingOrSayWhy();
        if (g == null) {
            return false;
        }
        cohort.set(c);
        groupBy.set(g);
        return true;
    }

    /** The grouping the inputs make, or null after saying why they make none. */
    private GroupBy groupingOrSayWhy() {
        try {
            return groupByFromInputs();
        } catch (IllegalArgumentException e) {
            inputProblem.set(e.getMessage());
            return null;
        }
    }

    /** Applies a new grouping only (the cohort stays, and so do the charts). */
    public boolean applyGrouping() {
        GroupBy g = groupingOrSayWhy();
        if (g == null) {
            return false;
        }
        inputProblem.set("");
        groupBy.set(g);
        if (started) {
            loadBreakdown();
        }
        return true;
    }

    /** The cohort the inputs describe; throws IllegalArgumentException with a message for the user. */
    public Cohort cohortFromInputs() {
        Cohort c = kindFromInputs();
        if (!chosenServices.isEmpty()) {
            c = c.within(SERVICE, chosenServices);
        }
        if (!chosenModels.isEmpty()) {
            c = c.within(MODEL, chosenModels);
        }
        return c;
    }

    private Cohort kindFromInputs() {
        return switch (kind.get()) {
            case ALL -> Cohort.all();
            case SLOW_PERCENTILE -> Cohort.slow(percentile.get());
            case SLOW_THRESHOLD -> {
                String t = threshold.get() == null ? "" : threshold.get().strip();
                if (t.isEmpty()) {
                    throw new IllegalArgumentException("Type a duration for \"Slower than\", e.g. 2s or 1500ms");
                }
                yield Cohort.slowerThan(Durations.parseNanos(t));
            }
            case ERRORS -> Cohort.errors();
            case FAILED -> Cohort.failed();
            case FILTER -> {
                String f = filter.get() == null ? "" : filter.get().strip();
                if (f.isEmpty()) {
                    throw new IllegalArgumentException("Type a filter expression, e.g. service_name = 'docs-search'");
                }
                // a quality cohort typed in the filter field (eval:groundedness=hallucinated) until the Quality
                // area offers its own picker
                yield f.regionMatches(true, 0, "eval:", 0, 5) ? Cohort.parse(f) : Cohort.filter(f);
            }
            case QUALITY -> throw new IllegalArgumentException("Type a quality cohort in the filter field, e.g. "
                    + "eval:groundedness=hallucinated");
            case REGION -> {
                if (region.get() == null) {
                    throw new IllegalArgumentException("Drag a rectangle on the heatmap to select requests");
                }
                yield region.get();
            }
        };
    }

    private GroupBy groupByFromInputs() {
        Dimension d = dimension.get() == null ? Dimension.NONE : dimension.get();
        if (d == Dimension.ATTRIBUTE) {
            String key = attributeKey.get() == null ? "" : attributeKey.get().strip();
            if (key.isEmpty()) {
                throw new IllegalArgumentException("Pick or type the attribute key to group by");
            }
            return GroupBy.attribute(key);
        }
        return GroupBy.of(d);
    }

    /**
     * Makes the requests in a heatmap rectangle the cohort: start time in [fromNs, toNs), duration in
     * [minDurationNs, maxDurationNs).
     */
    public void brush(long fromNs, long toNs, long minDurationNs, long maxDurationNs) {
        if (toNs <= fromNs || maxDurationNs <= minDurationNs) {
            return;
        }
        region.set(Cohort.region(fromNs, toNs, minDurationNs, maxDurationNs));
        if (kind.get() == Cohort.Kind.REGION) {
            apply();
        } else {
            kind.set(Cohort.Kind.REGION); // applies
        }
    }

    /** Forgets the heatmap selection and goes back to all requests if it was the cohort. */
    public void clearRegion() {
        region.set(null);
        if (kind.get() == Cohort.Kind.REGION) {
            kind.set(Cohort.Kind.ALL);
        }
    }

    /**
     * The cohort the heatmap shows: the charts' cohort, or when that is a heatmap selection, every request of the
     * chosen services, models and group (what the selection was drawn on).
     */
    public Cohort heatmapCohort() {
        Cohort c = chartCohort.get();
        return c.kind() == Cohort.Kind.REGION ? Cohort.all().narrowedAs(c) : c;
    }

    /** The charts' cohort for cohort {@code c} when group {@code g} of breakdown {@code b} is picked. */
    static Cohort chartCohortFor(Cohort c, Breakdown b, Breakdown.Group g) {
        if (b == null || g == null || g.value() == null || b.groupBy().dimension() == Dimension.NONE) {
            return c;
        }
        if (g.value().equals(Breakdown.OTHER)) {
            // the values beyond the breakdown's named groups: none of the named ones
            return c.excluding(b.groupBy(), b.groups().stream().map(Breakdown.Group::value)
                    .filter(v -> v != null && !v.equals(Breakdown.OTHER)).toList());
        }
        return c.within(b.groupBy(), List.of(g.value()));
    }

    /** Time buckets for a cohort of {@code n} requests: about 8 requests per bucket, between 12 and 72. */
    public static int timelineBuckets(long n) {
        return (int) Math.max(12, Math.min(TIMELINE_BUCKETS, n / 8));
    }

    /**
     * Reloads the results of the current cohort; {@code everything}: also the pickers, the workspace's count and
     * the heatmap even if its cohort did not change (the workspace may have).
     */
    private void reload(boolean everything) {
        if (everything) {
            loadPickers();
        }
        chartCohort.set(chartCohortFor(cohort.get(), breakdown.get(), group.get()));
        loadCount(everything);
        loadBreakdown();
        loadCharts(everything);
    }

    /** The cohort's count (and with {@code withTotal} the workspace's). */
    private void loadCount(boolean withTotal) {
        Cohort c = cohort.get();
        count.set(-1);
        countTicket = countLoads.next();
        LatestLoads.Ticket t = countTicket;
        t.onIdle(this::updateLoading);
        if (withTotal) {
            t.run(() -> service.count(Cohort.all()), total::set, e -> failed(COUNT, e));
        }
        t.run(() -> service.count(c), n -> {
            succeeded(COUNT);
            count.set(n);
            if (timelineAwaitsCount && chartCohort.get().equals(c)) {
                loadTimeline(n);
            }
        }, e -> {
            failed(COUNT, e);
            if (timelineAwaitsCount) {
                timelineAwaitsCount = false;
                timeline.set(null);
            }
        });
        updateLoading();
    }

    /** The timeline, heatmap (if its cohort changed, or {@code forceHeatmap}) and histogram of the charts' cohort. */
    private void loadCharts(boolean forceHeatmap) {
        Cohort cc = chartCohort.get();
        timelineTicket = timelineLoads.next();
        timelineTicket.onIdle(this::updateLoading);
        if (!cc.equals(cohort.get())) {
            timelineAwaitsCount = false;
            LatestLoads.Ticket t = timelineTicket;
            t.run(() -> service.count(cc), this::loadTimeline, e -> {
                timeline.set(null);
                failed(TIMELINE, e);
            });
        } else if (count.get() >= 0) {
            loadTimeline(count.get());
        } else {
            timelineAwaitsCount = true; // the count of the cohort, loading, starts it
        }
        Heatmap h = heatmap.get();
        if (forceHeatmap || h == null || !h.cohort().equals(heatmapCohort()) || heatmapLoading.get()) {
            loadHeatmap();
        }
        loadHistogram();
        updateLoading();
    }

    /** The timeline of the charts' cohort of {@code n} requests (about 8 per bucket: a small cohort draws no noise). */
    private void loadTimeline(long n) {
        timelineAwaitsCount = false;
        Cohort cc = chartCohort.get();
        LatestLoads.Ticket t = timelineTicket;
        int buckets = timelineBuckets(n);
        t.run(() -> service.timeline(cc, buckets), tl -> {
            succeeded(TIMELINE);
            timeline.set(tl);
        }, e -> {
            timeline.set(null);
            failed(TIMELINE, e);
        });
        updateLoading();
    }

    /** The picked group changed: the charts follow it (if that changes what they show). */
    private void followGroup() {
        Cohort cc = chartCohortFor(cohort.get(), breakdown.get(), group.get());
        if (!cc.equals(chartCohort.get())) {
            chartCohort.set(cc);
            if (started) {
                loadCharts(false);
            }
        }
    }

    private void loadBreakdown() {
        Cohort c = cohort.get();
        GroupBy g = groupBy.get();
        breakdownTicket = breakdownLoads.next();
        LatestLoads.Ticket t = breakdownTicket;
        t.onIdle(this::updateLoading);
        t.run(() -> service.breakdown(c, g), b -> {
            succeeded(BREAKDOWN);
            operationsAsked.clear();
            breakdown.set(b);
            Breakdown.Group keep = group.get();
            Breakdown.Group pick = b.groups().isEmpty() ? null : b.groups().get(0);
            if (keep != null && keep.value() != null) {
                pick = b.groups().stream().filter(x -> keep.value().equals(x.value())).findFirst().orElse(pick);
            }
            group.set(pick);
        }, e -> {
            breakdown.set(null);
            group.set(null);
            failed(BREAKDOWN, e);
        });
        updateLoading();
    }

    /**
     * The operations of a group are loaded when the group is shown (the breakdown brings only the whole cohort's:
     * every group's at once would cost more than the rest of the breakdown).
     */
    private void loadOperations(Breakdown.Group g) {
        Breakdown b = breakdown.get();
        if (g == null || b == null || g.value() == null || g.value().equals(Breakdown.OTHER) || g.traces() == 0
                || !g.operations().isEmpty() || operationsAsked.contains(g.value())
                || (g.value().equals(operationsLoading) && busy(operationsTicket))) {
            return;
        }
        String value = g.value();
        operationsLoading = value;
        operationsTicket = operationsLoads.next();
        LatestLoads.Ticket t = operationsTicket;
        t.onIdle(this::updateLoading);
        t.run(() -> service.operations(b.cohort(), b.groupBy(), value), ops -> {
            Breakdown current = breakdown.get();
            if (current == null || !current.cohort().equals(b.cohort()) || !current.groupBy().equals(b.groupBy())) {
                return; // the cohort or the grouping changed meanwhile
            }
            succeeded(OPERATIONS);
            operationsAsked.add(value);
            Breakdown withOps = current.withOperations(value, ops);
            boolean shown = group.get() != null && value.equals(group.get().value());
            breakdown.set(withOps);
            if (shown) {
                group.set(withOps.group(value).orElse(null));
            }
        }, e -> {
            operationsAsked.add(value); // not again until the next breakdown (Refresh)
            failed(OPERATIONS, e);
        });
        updateLoading();
    }

    private void loadHeatmap() {
        Cohort c = heatmapCohort();
        heatmapTicket = heatmapLoads.next();
        LatestLoads.Ticket t = heatmapTicket;
        t.onIdle(this::updateLoading);
        t.run(() -> service.heatmap(c, HEATMAP_TIME_BUCKETS, HEATMAP_DURATION_BUCKETS), h -> {
            succeeded(HEATMAP);
            heatmap.set(h);
        }, e -> {
            heatmap.set(null);
            failed(HEATMAP, e);
        });
        updateLoading();
    }

    private void loadHistogram() {
        Cohort c = chartCohort.get();
        String s = stage.get();
        histogramTicket = histogramLoads.next();
        LatestLoads.Ticket t = histogramTicket;
        t.onIdle(this::updateLoading);
        t.run(() -> service.histogram(c, s, HISTOGRAM_BINS), h -> {
            succeeded(HISTOGRAM);
            histogram.set(h);
        }, e -> {
            histogram.set(null);
            failed(HISTOGRAM, e);
        });
        updateLoading();
    }

    private static boolean busy(LatestLoads.Ticket t) {
        return t != null && t.isCurrent() && t.pending() > 0;
    }

    private void updateLoading() {
        timelineLoading.set(busy(timelineTicket) || (timelineAwaitsCount && busy(countTicket)));
        breakdownLoading.set(busy(breakdownTicket) || busy(operationsTicket));
        heatmapLoading.set(busy(heatmapTicket));
        histogramLoading.set(busy(histogramTicket));
        loading.set(busy(countTicket) || busy(timelineTicket) || busy(breakdownTicket) || busy(operationsTicket)
                || busy(heatmapTicket) || busy(histogramTicket));
    }

    private static final String COUNT = "Count";
    private static final String TIMELINE = "Timeline";
    private static final String BREAKDOWN = "Breakdown";
    private static final String HEATMAP = "Heatmap";
    private static final String HISTOGRAM = "Histogram";
    private static final String OPERATIONS = "Operations of the group";

    private void succeeded(String what) {
        if (failures.remove(what) != null) {
            showFailures();
        }
    }

    private void failed(String what, Throwable t) {
        failures.put(what, Background.message(t));
        showFailures();
    }

    /** One line per distinct cause: a bad filter, or a broken service, fails every query the same way. */
    private void showFailures() {
        java.util.Set<String> distinct = new java.util.LinkedHashSet<>(failures.values());
        if (distinct.isEmpty()) {
            problem.set("");
        } else if (distinct.size() == 1 && failures.size() > 1) {
            problem.set((cohort.get().kind() == Cohort.Kind.FILTER ? "The filter cannot be used: "
                    : "The analysis failed: ") + distinct.iterator().next());
        } else {
            List<String> lines = new java.util.ArrayList<>();
            failures.forEach((k, v) -> lines.add(k + " failed: " + v));
            problem.set(String.join("\n", lines));
        }
    }
}
