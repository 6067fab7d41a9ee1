package dev.tracebench.views.testing;

import dev.tracebench.core.ingest.Problem;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.ResourceData;
import dev.tracebench.core.model.ScopeData;
import dev.tracebench.core.model.SpanKind;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.normalize.LlmFields;
import dev.tracebench.core.query.ImportRecord;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceDetail;
import dev.tracebench.core.query.TraceFilter;
import dev.tracebench.core.query.TraceService;
import dev.tracebench.core.query.TraceSort;
import dev.tracebench.core.query.TraceSummary;
import dev.tracebench.core.query.WorkspaceStats;
import dev.tracebench.views.testing.FakeWorkspace.Trace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** A {@link TraceService} over a {@link FakeWorkspace} (traces, their spans and a trace list). */
public final class FakeTraceService implements TraceService {
    private final FakeWorkspace ws;

    public FakeTraceService(FakeWorkspace ws) {
        this.ws = ws;
    }

    @Override
    public WorkspaceStats stats() {
        return new WorkspaceStats(ws.traces().size(), ws.traces().stream().mapToLong(t -> t.spans().size()).sum(),
                services().size(), 1, ws.firstStartNs(), ws.lastEndNs());
    }

    private static Predicate<Trace> matches(TraceFilter f) {
        return t -> (f.services().isEmpty() || f.services().contains(t.service()))
                && t.durationNs() >= f.minDurationNs() && (!f.errorsOnly() || t.error())
                && (f.text().isEmpty() || t.root().contains(f.text()) || t.id().hex().startsWith(f.text()));
    }

    @Override
    public long countTraces(TraceFilter filter) {
        return ws.traces().stream().filter(matches(filter)).count();
    }

    @Override
    public List<TraceSummary> traces(TraceFilter filter, TraceSort sort, long offset, int limit) {
        Comparator<Trace> c = switch (sort.column()) {
            case DURATION -> Comparator.comparingLong(Trace::durationNs);
            case SERVICE -> Comparator.comparing(Trace::service);
            case ROOT_OPERATION -> Comparator.comparing(Trace::root);
            case SPANS -> Comparator.comparingInt(t -> t.spans().size());
            default -> Comparator.comparingLong(Trace::startNs);
        };
        if (!sort.ascending()) {
            c = c.reversed();
        }
        return ws.traces().stream().filter(matches(filter)).sorted(c).skip(offset).limit(limit)
                .map(FakeAnalysisService::summary).toList();
    }

    @Override
    public List<String> attributeKeys() {
        return List.of("gen_ai.request.model", "service.name");
    }

    @Override
    public List<String> services() {
        return ws.traces().stream().map(Trace::service).distinct().sorted().toList();
    }

    @Override
    public Optional<TraceDetail> trace(TraceId traceId) {
        Trace t = ws.trace(traceId);
        if (t == null) {
            return Optional.empty();
        }
        List<SpanDetail> spans = new ArrayList<>();
        for (FakeWorkspace.Span s : t.spans()) {
            List<Attribute> attrs = new ArrayList<>();
            if (s.parentId() == null) {
                attrs.add(Attribute.of("tenant.id", t.tenant()));
                attrs.add(Attribute.of("http.route", t.route()));
            }
            LlmFields llm = LlmFields.NONE;
            if ("inference".equals(s.stage())) {
                attrs.add(Attribute.of("gen_ai.request.model", t.model()));
                attrs.add(Attribute.of("gen_ai.usage.input_tokens", 1200L));
                llm = new LlmFields("inference", "chat", "openai", t.model(), t.modelVersion(), 1200L, 300L, null,
                        null, 0.0042, "computed", "stop", null, null, "otel-genai", 0);
            } else if (s.stage() != null) {
                llm = new LlmFields(s.stage(), null, null, null, null, null, null, null, null, null, null, null,
                        null, null, "span-name", 0);
            }
            spans.add(new SpanDetail(s.spanId(), s.parentId(), s.name(), s.parentId() == null ? SpanKind.SERVER
                    : SpanKind.INTERNAL, s.startNs(), s.endNs(), s.error() ? StatusCode.ERROR : StatusCode.UNSET,
                    s.error() ? "upstream timeout" : null, null, 0, s.service(), 1, 1, attrs, 0, List.of(), 0,
                    List.of(), 0, llm));
        }
        return Optional.of(new TraceDetail(traceId, spans, Map.of(1L, new ResourceData(List.of(Attribute.of(
                "service.name", t.service())), null, 0)), Map.of(1L, new ScopeData("fake", "1.0", List.of(), null,
                0))));
    }

    @Override
    public List<ImportRecord> imports() {
        return List.of();
    }

    @Override
    public List<Problem> importProblems(int importId) {
        return List.of();
    }
}
