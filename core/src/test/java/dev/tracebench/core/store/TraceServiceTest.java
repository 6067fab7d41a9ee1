package dev.tracebench.core.store;

import static dev.tracebench.core.testing.Spans.span;
import static dev.tracebench.core.testing.Spans.trace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.SpanData;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.query.TraceFilter;
import dev.tracebench.core.query.TraceSort;
import dev.tracebench.core.query.TraceSummary;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.testing.Spans;
import dev.tracebench.core.task.ProgressListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trace list's filters, sort orders and paging. 60 traces: trace n starts at n ms, lasts (n % 10 + 1) * 10 ms,
 * has n % 4 + 1 spans; every fifth has an error; services alternate api / worker; even traces carry tokens.
 */
class TraceServiceTest {
    @TempDir
    static Path dir;
    static Workspace ws;

    @BeforeAll
    static void fill() {
        ws = Workspace.open(dir.resolve("ws.duckdb"));
        for (String service : List.of("api", "worker")) {
            List<SpanData> spans = new ArrayList<>();
            for (int n = 0; n < 60; n++) {
                if ((n % 2 == 0) != service.equals("api")) {
                    continue;
                }
                TraceId t = trace(n);
                double dur = (n % 10 + 1) * 10;
                spans.add(span(t, 1, null, n % 3 == 0 ? "GET /search" : "POST /chat", n, n + dur));
                for (int k = 2; k <= n % 4 + 1; k++) {
                    List<Attribute> attrs = n % 2 == 0 ? List.of(Attribute.of("gen_ai.usage.input_tokens", (long) n),
                            Attribute.of("gen_ai.usage.output_tokens", 1L)) : List.of();
                    spans.add(span(t, k, 1L, k == 2 ? "vector.search" : "llm.call", n + 1, n + 2,
                            n % 5 == 0 && k == 2 ? StatusCode.ERROR : StatusCode.OK, attrs));
                }
                if (n % 4 == 0 && n % 5 == 0) {
                    spans.add(span(t, 9, 1L, "failing", n + 1, n + 2, StatusCode.ERROR, List.of()));
                }
            }
            ws.ingest(service, -1, IngestTest.emit(service, spans), ProgressListener.NONE, CancellationToken.none());
        }
    }

    @AfterAll
    static void close() {
        ws.close();
    }

    static List<Integer> ids(List<TraceSummary> rows) {
        return rows.stream().map(s -> (int) (s.traceId().lo() - 0x2222_0000_0000_0000L)).toList();
    }

    @Test
    void newestFirstIsTheDefaultAndPagesFollowEachOther() {
        List<TraceSummary> first = ws.traces().traces(TraceFilter.ALL, TraceSort.NEWEST_FIRST, 0, 25);
        List<TraceSummary> second = ws.traces().traces(TraceFilter.ALL, TraceSort.NEWEST_FIRST, 25, 25);
        List<TraceSummary> last = ws.traces().traces(TraceFilter.ALL, TraceSort.NEWEST_FIRST, 50, 25);
        assertEquals(59, ids(first).get(0));
        assertEquals(35, ids(first).get(24));
        assertEquals(34, ids(second).get(0));
        assertEquals(10, last.size());
        assertEquals(0, ids(last).get(9));
        assertEquals(60, ws.traces().countTraces(TraceFilter.ALL));
    }

    @Test
    void everyColumnSortsBothWays() {
        for (TraceSort.Column c : TraceSort.Column.values()) {
            List<TraceSummary> asc = ws.traces().traces(TraceFilter.ALL, new TraceSort(c, true), 0, 60);
            List<TraceSummary> desc = ws.traces().traces(TraceFilter.ALL, new TraceSort(c, false), 0, 60);
            assertEquals(60, asc.size(), c.name());
            for (int i = 1; i < 60; i++) {
                assertTrue(key(c, asc.get(i - 1)).compareTo(key(c, asc.get(i))) <= 0, c + " ascending at " + i);
                assertTrue(key(c, desc.get(i - 1)).compareTo(key(c, desc.get(i))) >= 0, c + " descending at " + i);
            }
        }
        List<TraceSummary> longest = ws.traces().traces(TraceFilter.ALL,
                new TraceSort(TraceSort.Column.DURATION, false), 0, 6);
        assertTrue(longest.stream().allMatch(s -> s.durationNs() == 100_000_000L));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparable key(TraceSort.Column c, TraceSummary s) {
        return switch (c) {
            case START -> s.startNs();
            case ROOT_OPERATION -> s.rootName();
            case SERVICE -> s.serviceName();
            case DURATION -> s.durationNs();
            case SPANS -> s.spanCount();
            case ERRORS -> s.errorCount();
            case TOKENS -> s.totalTokens();
        };
    }

    private static long count(String search) {
        return ws.traces().countTraces(TraceFilter.ALL.withText(search));
    }

    @Test
    void attributeConditionsFindTracesWithAMatchingSpan() {
        // gen_ai.usage.input_tokens = n on the child spans of the even traces with n % 4 == 2: n = 2, 6, ..., 58
        assertEquals(1, count("gen_ai.usage.input_tokens=10"));
        assertEquals(List.of(10), ids(ws.traces().traces(TraceFilter.ALL.withText("gen_ai.usage.input_tokens=10"),
                TraceSort.NEWEST_FIRST, 0, 10)));
        assertEquals(5, count("gen_ai.usage.input_tokens>40")); // 42, 46, 50, 54, 58
        assertEquals(3, count("gen_ai.usage.input_tokens<=10")); // 2, 6, 10
        assertEquals(2, count("gen_ai.usage.input_tokens<10")); // 2, 6
        assertEquals(14, count("gen_ai.usage.input_tokens!=10")); // has the key, another value
        assertEquals(0, count("gen_ai.usage.input_tokens=11"));
        assertEquals(0, count("no.such.key=1"));
        // a resource attribute: the service's resource
        assertEquals(30, count("service.name=worker"));
        // with free text (GET /search is every third trace: 42 and 54) and with another condition
        assertEquals(2, count("gen_ai.usage.input_tokens>40 get /search"));
        assertEquals(2, count("gen_ai.usage.input_tokens>40 gen_ai.usage.input_tokens<50")); // 42, 46
    }

    @Test
    void searchValuesAreBoundNeverSpliced() {
        assertEquals(0, count("gen_ai.usage.input_tokens=\"10' OR '1'='1\""));
        assertEquals(0, count("service.name=\"x') OR TRUE OR ('\""));
        assertEquals(0, count("service.name=worker'--"));
    }

    @Test
    void attributeKeysListSpanAndResourceKeys() {
        assertEquals(List.of("gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens", "service.name"),
                ws.traces().attributeKeys());
    }

    @Test
    void aCohortLimitsTheList() {
        // the same traces as the errors-only filter
        assertEquals(ids(ws.traces().traces(TraceFilter.ALL.withErrorsOnly(true), TraceSort.NEWEST_FIRST, 0, 100)),
                ids(ws.traces().traces(TraceFilter.ALL.withCohort(Cohort.errors()), TraceSort.NEWEST_FIRST, 0, 100)));
        // a heatmap region: started in [10 ms, 20 ms) after T0, lasting [30 ms, 60 ms): n in 10..19 with
        // (n % 10 + 1) * 10 in [30, 60) -> n % 10 in {2, 3, 4}: 12, 13, 14
        Cohort region = Cohort.region(Spans.T0 + 10_000_000L, Spans.T0 + 20_000_000L, 30_000_000L, 60_000_000L);
        assertEquals(List.of(14, 13, 12), ids(ws.traces().traces(TraceFilter.ALL.withCohort(region),
                TraceSort.NEWEST_FIRST, 0, 100)));
        // combined with the other filters: of those, the api (even) ones
        assertEquals(2, ws.traces().countTraces(TraceFilter.ALL.withCohort(region).withService("api")));
        // a percentile cohort joins the per-operation thresholds: at least p50 of their operation
        long expected = 0;
        for (String op : List.of("GET /search", "POST /chat")) {
            List<Double> d = new ArrayList<>();
            for (int n = 0; n < 60; n++) {
                if ((n % 3 == 0) == op.equals("GET /search")) {
                    d.add((n % 10 + 1) * 10.0);
                }
            }
            d.sort(null);
            double pos = 0.5 * (d.size() - 1);
            double median = d.get((int) pos) + (pos - (int) pos) * (d.get((int) pos + 1) - d.get((int) pos));
            expected += d.stream().filter(x -> x >= median).count();
        }
        assertEquals(expected, ws.traces().countTraces(TraceFilter.ALL.withCohort(Cohort.slow(50))));
        assertEquals(expected, ws.traces().traces(TraceFilter.ALL.withCohort(Cohort.slow(50)),
                new TraceSort(TraceSort.Column.DURATION, false), 0, 100).size());
        // every trace narrowed to a service (a Latency service filter), alone and with a kind
        assertEquals(30, ws.traces().countTraces(TraceFilter.ALL.withCohort(Cohort.all().within(
                dev.tracebench.core.analysis.GroupBy.of(dev.tracebench.core.analysis.Dimension.SERVICE),
                List.of("worker")))));
        // a SQL filter cohort
        assertEquals(30, ws.traces().countTraces(TraceFilter.ALL.withCohort(Cohort.filter("service_name = 'api'"))));
    }

    @Test
    void severalServices() {
        assertEquals(60, ws.traces().countTraces(TraceFilter.ALL.withServices(List.of("api", "worker"))));
        assertEquals(30, ws.traces().countTraces(TraceFilter.ALL.withServices(List.of("api", "nope"))));
    }

    @Test
    void filtersCombine() {
        assertEquals(30, ws.traces().countTraces(TraceFilter.ALL.withService("worker")));
        // durations (n%10+1)*10 ms >= 80 ms: n%10 in {7,8,9}
        assertEquals(18, ws.traces().countTraces(TraceFilter.ALL.withMinDurationNs(80_000_000L)));
        // errors: n%5==0 with a vector.search child (n%4 >= 1), or the extra failing span (n%20 == 0)
        List<TraceSummary> errors = ws.traces().traces(TraceFilter.ALL.withErrorsOnly(true), TraceSort.NEWEST_FIRST,
                0, 100);
        assertTrue(errors.stream().allMatch(s -> s.errorCount() > 0));
        assertEquals(List.of(55, 50, 45, 40, 35, 30, 25, 20, 15, 10, 5, 0), ids(errors));
        // api traces are the even ones: n % 10 == 8 -> 8, 18, 28, 38, 48, 58
        assertEquals(6, ws.traces().countTraces(new TraceFilter("", "api", 80_000_000L, false)));
    }

    @Test
    void textMatchesOperationServiceSpanNamesAndTraceIdPrefix() {
        assertEquals(20, ws.traces().countTraces(TraceFilter.ALL.withText("get /SEARCH")));
        assertEquals(30, ws.traces().countTraces(TraceFilter.ALL.withText("work")));
        // llm.call exists where n % 4 == 2 or 3
        assertEquals(30, ws.traces().countTraces(TraceFilter.ALL.withText("llm.call")));
        assertEquals(1, ws.traces().countTraces(TraceFilter.ALL.withText(trace(42).hex().substring(0, 32))));
        assertEquals(0, ws.traces().countTraces(TraceFilter.ALL.withText("%")), "% is text, not a wildcard");
    }

    @Test
    void tokensAreSummedOverSpans() {
        TraceSummary t = ws.traces().traces(TraceFilter.ALL.withText(trace(42).hex()), TraceSort.NEWEST_FIRST, 0, 1)
                .get(0);
        // n = 42: spans 2..3 carry 42 input + 1 output tokens each
        assertEquals(86, t.totalTokens());
        assertEquals(84, t.inputTokens());
    }

    @Test
    void servicesAreListed() {
        assertEquals(List.of("api", "worker"), ws.traces().services());
    }
}
