package dev.tracebench.views.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.model.SpanKind;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.normalize.LlmFields;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceDetail;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WaterfallModelTest {
    static SpanDetail span(long id, Long parent, String name, long start, long end) {
        return new SpanDetail(id, parent, name, SpanKind.INTERNAL, start, end, StatusCode.UNSET, null, null, 0,
                "svc-" + (id % 2), 1, 1, List.of(), 0, List.of(), 0, List.of(), 0, LlmFields.NONE);
    }

    static WaterfallModel model(SpanDetail... spans) {
        return new WaterfallModel(new TraceDetail(new TraceId(1, 2), List.of(spans), Map.of(), Map.of()));
    }

    static List<String> names(WaterfallModel m) {
        return m.flatten().stream().map(n -> "  ".repeat(n.depth()) + n.span().name() + (n.orphan() ? "*" : ""))
                .toList();
    }

    @Test
    void spansNestUnderTheirParentsInStartOrder() {
        WaterfallModel m = model(
                span(5, 1L, "generate", 300, 900),
                span(1, null, "request", 0, 1000),
                span(3, 2L, "embed", 110, 150),
                span(2, 1L, "retrieve", 100, 280),
                span(4, 2L, "search", 150, 270));
        assertEquals(List.of("request", "  retrieve", "    embed", "    search", "  generate"), names(m));
        assertEquals(0, m.startNs());
        assertEquals(1000, m.endNs());
        assertEquals(5, m.spanCount());
        assertEquals(List.of("svc-1", "svc-0"), List.copyOf(m.services()));
    }

    @Test
    void aChainTenThousandSpansDeepIsShownWhole() {
        SpanDetail[] chain = new SpanDetail[10_000];
        for (int i = 0; i < chain.length; i++) {
            chain[i] = span(i + 1, i == 0 ? null : (long) i, "s" + (i + 1), i, 20_000 - i);
        }
        List<WaterfallModel.Node> flat = model(chain).flatten();
        assertEquals(10_000, flat.size());
        for (int i = 0; i < flat.size(); i++) {
            assertEquals(i, flat.get(i).depth());
            assertEquals(i + 1, flat.get(i).span().spanId());
        }
    }

    @Test
    void orphansComeAfterRootsAndCyclesStillShowEverySpan() {
        WaterfallModel m = model(
                span(1, null, "root", 10, 100),
                span(7, 99L, "orphan", 0, 5),
                span(8, 9L, "cycle-a", 20, 30),
                span(9, 8L, "cycle-b", 21, 29),
                span(10, 10L, "self-parent", 40, 41));
        List<String> n = names(m);
        assertEquals("root", n.get(0));
        assertTrue(n.contains("orphan*"));
        assertTrue(n.contains("self-parent*"));
        assertEquals(5, n.size(), "every span exactly once: " + n);
        assertTrue(n.stream().anyMatch(s -> s.contains("cycle-a")) && n.stream().anyMatch(s -> s.contains("cycle-b")));
        assertFalse(m.roots().get(0).orphan());
    }

    @Test
    void timeAxisStepsAreRound() {
        assertEquals(200_000_000L, dev.tracebench.views.common.AxisTicks.niceStep(1_000_000_000L, 6));
        assertEquals(5_000_000_000L, dev.tracebench.views.common.AxisTicks.niceStep(30_000_000_000L, 7));
        assertEquals(1L, dev.tracebench.views.common.AxisTicks.niceStep(3, 10));
    }

    @Test
    void thePathTextSaysWhenSpansReachBeyondTheRequest() {
        // a Jaeger trace of the corpora: a 1.43 ms root, then redirects joined to the trace 100 s later
        assertEquals(" · the request took 1.43 ms; spans outside it (the trace spans 1 m 40 s) are not on its path",
                TraceView.outsideNote(1_429_000L, 100_346_266_000L));
        assertEquals("", TraceView.outsideNote(2_000_000_000L, 2_000_000_000L));
        assertEquals("", TraceView.outsideNote(2_000_000_000L, 2_010_000_000L), "within 1%: clock noise");
        assertEquals("", TraceView.outsideNote(100_000L, 900_000L), "within a millisecond");
    }
}
