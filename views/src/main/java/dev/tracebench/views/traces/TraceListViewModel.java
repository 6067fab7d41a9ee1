package dev.tracebench.views.traces;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.query.TraceFilter;
import dev.tracebench.core.query.TraceService;
import dev.tracebench.core.query.TraceSort;
import dev.tracebench.core.report.Durations;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.common.BackgroundTasks;
import dev.tracebench.views.common.Format;
import dev.tracebench.core.report.Table;
import dev.tracebench.core.query.TraceSummary;
import java.util.ArrayList;
import java.util.Arrays;
import dev.tracebench.views.common.WorkspaceChanges;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * State of the trace table: the filter the user typed (search text with attribute conditions, services, minimum
 * duration, errors, a cohort shown from elsewhere), the sort order, and the (paged) result. Every query runs in the
 * background; results from a query that a newer one superseded are dropped. It follows the workspace's changes: the
 * list, the service names and the attribute keys are reloaded after each.
 */
public final class TraceListViewModel {
    private final TraceService service;
    private final Background background;
    private final WorkspaceChanges changes;
    private final BackgroundTasks tasks;
    /** At most this many traces go into a CSV export (the rows are held in memory while written). */
    public static final int EXPORT_LIMIT = 200_000;

    private final StringProperty text = new SimpleStringProperty(this, "text", "");
    private final ObservableList<String> selectedServices = FXCollections.observableArrayList();
    private final StringProperty minDuration = new SimpleStringProperty(this, "minDuration", "");
    private final BooleanProperty errorsOnly = new SimpleBooleanProperty(this, "errorsOnly", false);
    private final ObjectProperty<TraceSort> sort = new SimpleObjectProperty<>(this, "sort", TraceSort.NEWEST_FIRST);
    private final ObjectProperty<Cohort> cohort = new SimpleObjectProperty<>(this, "cohort");
    private final StringProperty cohortLabel = new SimpleStringProperty(this, "cohortLabel", "");

    private final PagedTraceList rows = new PagedTraceList();
    private final ReadOnlyLongWrapper matching = new ReadOnlyLongWrapper(this, "matching", 0);
    private final ReadOnlyLongWrapper total = new ReadOnlyLongWrapper(this, "total", -1);
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading", false);
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private final ObservableList<String> services = FXCollections.observableArrayList();
    private final ObservableList<String> attributeKeys = FXCollections.observableArrayList();
    /** The workspace generation the attribute keys were read at; -1: not read (or being read). */
    private long keysGeneration = -1;
    private boolean keysWanted;

    private long generation;
    /** The queries of the current generation: a newer query cancels those not yet started (a slow search typed
     * letter by letter would otherwise queue a scan per letter). */
    private final List<java.util.concurrent.Future<?>> running = new ArrayList<>();

    public TraceListViewModel(TraceService service, Background background) {
        this(service, background, new WorkspaceChanges(), new BackgroundTasks());
    }

    /**
     * @param changes the workspace's changes: the list reloads after each
     * @param tasks   where exports run (listed, with Cancel)
     */
    public TraceListViewModel(TraceService service, Background background, WorkspaceChanges changes,
            BackgroundTasks tasks) {
        this.service = service;
        this.background = background;
        this.changes = changes;
        this.tasks = tasks;
        changes.subscribe(this::workspaceChanged);
    }

    public BackgroundTasks tasks() {
        return tasks;
    }

    /**
     * The matching traces in the current order as a table (at most {@link #EXPORT_LIMIT}), read page by page; call
     * off the FX thread.
     */
    public Table exportTable() {
        TraceFilter f = filter();
        TraceSort order = sort.get();
        List<List<Object>> out = new ArrayList<>();
        int page = 10_000;
        for (long offset = 0; offset < EXPORT_LIMIT; offset += page) {
            List<TraceSummary> list = service.traces(f, order, offset, (int) Math.min(page, EXPORT_LIMIT - offset));
            for (TraceSummary s : list) {
                out.add(Arrays.asList(s.traceId().hex(), Format.dateTime(s.startNs()), s.rootName(), s.serviceName(),
                        s.durationNs() / 1e6, s.spanCount(), s.errorCount(), s.totalTokens()));
            }
            if (list.size() < page || Thread.currentThread().isInterrupted()) {
                break;
            }
        }
        return new Table(List.of("trace_id", "start", "root_operation", "service", "duration_ms", "spans", "errors",
                "tokens"), out);
    }

    public StringProperty textProperty() {
        return text;
    }

    /** The services to list (any of them); empty: all services. */
    public ObservableList<String> selectedServices() {
        return selectedServices;
    }

    public StringProperty minDurationProperty() {
        return minDuration;
    }

    public BooleanProperty errorsOnlyProperty() {
        return errorsOnly;
    }

    public ObjectProperty<TraceSort> sortProperty() {
        return sort;
    }

    /** A cohort the list is limited to (null: none), e.g. a heatmap selection shown from the Latency area. */
    public ObjectProperty<Cohort> cohortProperty() {
        return cohort;
    }

    /** What the cohort is, in words, for its chip. */
    public StringProperty cohortLabelProperty() {
        return cohortLabel;
    }

    /** Limits the list to a cohort, with a label for its chip, and runs the query. */
    public void showCohort(Cohort c, String label) {
        cohort.set(c);
        cohortLabel.set(label == null || label.isBlank() ? c == null ? "" : c.label() : label);
        refresh();
    }

    /** The matching traces, paged from the workspace; the same list object across queries. */
    public ObservableList<TraceRow> rows() {
        return rows;
    }

    public ReadOnlyLongProperty matchingProperty() {
        return matching.getReadOnlyProperty();
    }

    /** Traces in the workspace (-1 until counted), so an empty result can say whether anything was imported. */
    public ReadOnlyLongProperty totalProperty() {
        return total.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** A message about a filter the user must fix, or a failed query; empty when all is well. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** Service names of the workspace, sorted. */
    public ObservableList<String> services() {
        return services;
    }

    /**
     * Attribute keys of the workspace for completing a search; empty until {@link #loadAttributeKeys} has read them
     * (once per workspace generation).
     */
    public ObservableList<String> attributeKeys() {
        return attributeKeys;
    }

    /** True when any filter input is set (so an empty result is the filter's doing, not an empty workspace). */
    public boolean isFiltered() {
        return !text.get().isBlank() || !selectedServices.isEmpty() || !minDuration.get().isBlank()
                || errorsOnly.get() || cohort.get() != null;
    }

    /** Clears every filter input (search, services, duration, errors, cohort) and runs the query. */
    public void clearFilters() {
        text.set("");
        selectedServices.clear();
        minDuration.set("");
        errorsOnly.set(false);
        cohort.set(null);
        cohortLabel.set("");
        refresh();
    }

    /**
     * The filter the inputs describe; throws IllegalArgumentException for an unreadable minimum duration or search.
     */
    public TraceFilter filter() {
        String min = minDuration.get() == null ? "" : minDuration.get().trim();
        long minNs;
        try {
            minNs = min.isEmpty() ? 0 : Durations.parseNanos(min);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Minimum duration: " + e.getMessage(), e);
        }
        TraceFilter f = new TraceFilter(text.get(), List.copyOf(selectedServices), minNs, errorsOnly.get(),
                cohort.get());
        try {
            f.search();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Search: " + e.getMessage(), e);
        }
        return f;
    }

    /** Re-runs the query with the current filter and sort (call after any input changed, or after an import). */
    public void refresh() {
        TraceFilter f;
        try {
            f = filter();
        } catch (IllegalArgumentException e) {
            problem.set(e.getMessage());
            return;
        }
        problem.set("");
        long gen = ++generation;
        running.forEach(r -> r.cancel(false));
        running.clear();
        TraceSort order = sort.get();
        loading.set(true);
        // the pages in view are fetched with the count, so a reload changes them in place (no "loading" flash)
        List<Long> inView = rows.recentPages(2);
        running.add(background.run(() -> {
            long count = service.countTraces(f);
            Map<Long, List<TraceSummary>> fetched = new HashMap<>();
            for (long page : inView) {
                if (page * PagedTraceList.PAGE < count) {
                    fetched.put(page, service.traces(f, order, page * PagedTraceList.PAGE, PagedTraceList.PAGE));
                }
            }
            return Map.entry(count, fetched);
        }, counted -> {
            if (gen != generation) {
                return;
            }
            long count = counted.getKey();
            loading.set(false);
            matching.set(count);
            rows.reset(count, (offset, limit, onLoaded) -> running.add(background.run(
                    () -> service.traces(f, order, offset, limit),
                    list -> {
                        if (gen == generation) {
                            onLoaded.accept(list);
                        }
                    },
                    this::failed)), counted.getValue());
        }, t -> {
            if (gen == generation) {
                loading.set(false);
                failed(t);
            }
        }));
        background.run(() -> service.countTraces(TraceFilter.ALL), total::set, t -> { });
    }

    /** Reloads the service names for the service filter (keeping the selected ones that still exist). */
    public void refreshServices() {
        background.run(service::services, list -> {
            if (!list.equals(services)) {
                services.setAll(list);
            }
            selectedServices.retainAll(list);
        }, this::failed);
    }

    /** Reads the attribute keys in the background unless they are current (the search field asks on focus). */
    public void loadAttributeKeys() {
        keysWanted = true;
        long gen = changes.generation();
        if (keysGeneration == gen) {
            return;
        }
        keysGeneration = gen;
        background.run(service::attributeKeys, keys -> {
            if (keysGeneration == gen) {
                attributeKeys.setAll(keys);
            }
        }, t -> keysGeneration = -1);
    }

    private void workspaceChanged() {
        refreshServices();
        refresh();
        if (keysWanted) {
            loadAttributeKeys();
        }
    }

    private void failed(Throwable t) {
        problem.set("Query failed: " + Background.message(t));
    }

}
