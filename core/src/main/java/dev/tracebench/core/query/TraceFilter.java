package dev.tracebench.core.query;

import dev.tracebench.core.analysis.Cohort;
import java.util.List;

/**
 * Which traces to list. {@code text} is a search (see {@link TraceSearch}): attribute conditions such as
 * {@code gen_ai.request.model=gpt-4o} or {@code http.status_code>=500}, and free text that matches the trace id
 * (prefix), the root operation, the service or any span name, case-insensitively. {@code services} are exact service
 * names (any of them); {@code minDurationNs} a lower bound on the trace duration; {@code cohort} (null: none) limits
 * the list to a cohort of the analyses (a heatmap region, the slowest 5%, a SQL filter…). Empty strings, empty lists
 * and zero mean "no condition".
 */
public record TraceFilter(String text, List<String> services, long minDurationNs, boolean errorsOnly, Cohort cohort) {
    public static final TraceFilter ALL = new TraceFilter("", List.of(), 0, false, null);

    public TraceFilter {
        text = text == null ? "" : text.strip();
        services = services == null ? List.of()
                : services.stream().filter(s -> s != null && !s.isBlank()).map(String::strip).distinct().toList();
        minDurationNs = Math.max(0, minDurationNs);
        if (cohort != null && cohort.isEverything()) {
            cohort = null;
        }
    }

    /** One service (empty or null: any). */
    public TraceFilter(String text, String service, long minDurationNs, boolean errorsOnly) {
        this(text, service == null || service.isBlank() ? List.of() : List.of(service), minDurationNs, errorsOnly,
                null);
    }

    public TraceFilter withText(String t) {
        return new TraceFilter(t, services, minDurationNs, errorsOnly, cohort);
    }

    public TraceFilter withService(String s) {
        return withServices(s == null || s.isBlank() ? List.of() : List.of(s));
    }

    public TraceFilter withServices(List<String> s) {
        return new TraceFilter(text, s, minDurationNs, errorsOnly, cohort);
    }

    public TraceFilter withMinDurationNs(long d) {
        return new TraceFilter(text, services, d, errorsOnly, cohort);
    }

    public TraceFilter withErrorsOnly(boolean e) {
        return new TraceFilter(text, services, minDurationNs, e, cohort);
    }

    public TraceFilter withCohort(Cohort c) {
        return new TraceFilter(text, services, minDurationNs, errorsOnly, c);
    }

    /** The search text read as attribute conditions and free text; throws IllegalArgumentException if unreadable. */
    public TraceSearch search() {
        return TraceSearch.parse(text);
    }
}
