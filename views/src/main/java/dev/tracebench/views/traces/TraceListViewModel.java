package dev.tracebench.views.traces;

import dev.tracebench.core.query.TraceFilter;
import dev.tracebench.core.query.TraceService;
import dev.tracebench.core.query.TraceSort;
import dev.tracebench.core.report.Durations;
import dev.tracebench.views.common.Background;
import java.util.List;
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
 * State of the trace table: the filter the user typed, the sort order, and the (paged) result. Every query runs in
 * the background; results from a query that a newer one superseded are dropped.
 */
public final class TraceListViewModel {
    /** The service filter's "no filter" entry. */
    public static final String ALL_SERVICES = "All services";

    private final TraceService service;
    private final Background background;

    private final StringProperty text = new SimpleStringProperty(this, "text", "");
    private final StringProperty serviceFilter = new SimpleStringProperty(this, "service", ALL_SERVICES);
    private final StringProperty minDuration = new SimpleStringProperty(this, "minDuration", "");
    private final BooleanProperty errorsOnly = new SimpleBooleanProperty(this, "errorsOnly", false);
    private final ObjectProperty<TraceSort> sort = new SimpleObjectProperty<>(this, "sort", TraceSort.NEWEST_FIRST);

    private final PagedTraceList rows = new PagedTraceList();
    private final ReadOnlyLongWrapper matching = new ReadOnlyLongWrapper(this, "matching", 0);
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading", false);
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private final ObservableList<String> services = FXCollections.observableArrayList(ALL_SERVICES);

    private long generation;

    public TraceListViewModel(TraceService service, Background background) {
        this.service = service;
        this.background = background;
    }

    public StringProperty textProperty() {
        return text;
    }

    public StringProperty serviceProperty() {
        return serviceFilter;
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

    /** The matching traces, paged from the workspace; the same list object across queries. */
    public ObservableList<TraceRow> rows() {
        return rows;
    }

    public ReadOnlyLongProperty matchingProperty() {
        return matching.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** A message about a filter the user must fix, or a failed query; empty when all is well. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public ObservableList<String> services() {
        return services;
    }

    /** The filter the inputs describe; throws IllegalArgumentException for an unreadable minimum duration. */
    public TraceFilter filter() {
        String min = minDuration.get() == null ? "" : minDuration.get().trim();
        long minNs = min.isEmpty() ? 0 : Durations.parseNanos(min);
        String svc = serviceFilter.get();
        return new TraceFilter(text.get(), svc == null || svc.equals(ALL_SERVICES) ? "" : svc, minNs,
                errorsOnly.get());
    }

    /** Re-runs the query with the current filter and sort (call after any input changed, or after an import). */
    public void refresh() {
        TraceFilter f;
        try {
            f = filter();
        } catch (IllegalArgumentException e) {
            problem.set("Minimum duration: " + e.getMessage());
            return;
        }
        problem.set("");
        long gen = ++generation;
        TraceSort order = sort.get();
        loading.set(true);
        background.run(() -> service.countTraces(f), count -> {
            if (gen != generation) {
                return;
            }
            loading.set(false);
            matching.set(count);
            rows.reset(count, (offset, limit, onLoaded) -> background.run(
                    () -> service.traces(f, order, offset, limit),
                    list -> {
                        if (gen == generation) {
                            onLoaded.accept(list);
                        }
                    },
                    this::failed));
        }, t -> {
            if (gen == generation) {
                loading.set(false);
                failed(t);
            }
        });
    }

    /** Reloads the service names for the service filter. */
    public void refreshServices() {
        background.run(service::services, list -> {
            String keep = serviceFilter.get();
            List<String> all = new java.util.ArrayList<>(list.size() + 1);
            all.add(ALL_SERVICES);
            all.addAll(list);
            if (!all.equals(services)) {
                services.setAll(all); // a ComboBox clears its value when its items are replaced
            }
            serviceFilter.set(keep != null && all.contains(keep) ? keep : ALL_SERVICES);
        }, this::failed);
    }

    private void failed(Throwable t) {
        problem.set("Query failed: " + Background.message(t));
    }

}
