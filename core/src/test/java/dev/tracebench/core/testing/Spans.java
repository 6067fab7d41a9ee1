package dev.tracebench.core.testing;

import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.Ids;
import dev.tracebench.core.model.ResourceData;
import dev.tracebench.core.model.ScopeData;
import dev.tracebench.core.model.SpanData;
import dev.tracebench.core.model.SpanEventData;
import dev.tracebench.core.model.SpanKind;
import dev.tracebench.core.model.SpanLinkData;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.model.TraceId;
import java.util.List;

/** Builders for hand-made spans in tests. Times are milliseconds from a fixed epoch. */
public final class Spans {
    public static final long T0 = 1_700_000_000_000_000_000L;

    private Spans() {
    }

    public static TraceId trace(int n) {
        return new TraceId(0x1111_0000_0000_0000L + n, 0x2222_0000_0000_0000L + n);
    }

    public static SpanData span(TraceId trace, long spanId, Long parent, String name, double startMs, double endMs) {
        return span(trace, spanId, parent, name, startMs, endMs, StatusCode.UNSET, List.of());
    }

    public static SpanData span(TraceId trace, long spanId, Long parent, String name, double startMs, double endMs,
            StatusCode status, List<Attribute> attrs) {
        return new SpanData(trace, spanId, parent, name, SpanKind.INTERNAL, T0 + (long) (startMs * 1e6),
                T0 + (long) (endMs * 1e6), status, status == StatusCode.ERROR ? "boom" : null, null, 0, attrs, 0,
                List.of(), 0, List.of(), 0, "test span " + Ids.spanHex(spanId));
    }

    public static SpanData withEventsAndLinks(SpanData s, List<SpanEventData> events, List<SpanLinkData> links) {
        return new SpanData(s.traceId(), s.spanId(), s.parentSpanId(), s.name(), s.kind(), s.startNs(), s.endNs(),
                s.status(), s.statusMessage(), s.traceState(), s.flags(), s.attributes(), s.droppedAttributesCount(),
                events, 0, links, 0, s.source());
    }

    public static ResourceData resource(String service) {
        return new ResourceData(List.of(Attribute.of("service.name", service)), null, 0);
    }

    public static ScopeData scope(String name) {
        return new ScopeData(name, "1.0", List.of(), null, 0);
    }
}
