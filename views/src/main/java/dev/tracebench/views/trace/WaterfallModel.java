package dev.tracebench.views.trace;

import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceDetail;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The waterfall of one trace as a tree: each span under its parent, siblings in start order. Spans whose parent is
 * not in the trace (orphans) become top-level rows marked as such, after the true roots; spans caught in a parent
 * cycle are shown top-level too, so every span appears exactly once. Pure data: no JavaFX.
 */
public final class WaterfallModel {

    /** One span in the tree with its depth; {@code orphan} when its parent never arrived. */
    public record Node(SpanDetail span, int depth, boolean orphan, List<Node> children) {
    }

    private final List<Node> roots;
    private final long startNs;
    private final long endNs;
    private final int spanCount;
    private final Set<String> services;

    public WaterfallModel(TraceDetail trace) {
        List<SpanDetail> spans = new ArrayList<>(trace.spans());
        spans.sort(Comparator.comparingLong(SpanDetail::startNs).thenComparingLong(SpanDetail::spanId));
        Map<Long, SpanDetail> byId = new HashMap<>();
        for (SpanDetail s : spans) {
            byId.putIfAbsent(s.spanId(), s);
        }
        Map<Long, List<SpanDetail>> children = new HashMap<>();
        List<SpanDetail> top = new ArrayList<>();
        List<SpanDetail> orphans = new ArrayList<>();
        for (SpanDetail s : spans) {
            Long p = s.parentSpanId();
            if (p == null) {
                top.add(s);
            } else if (!byId.containsKey(p) || p == s.spanId()) {
                orphans.add(s);
            } else {
                children.computeIfAbsent(p, k -> new ArrayList<>()).add(s);
            }
        }
        Set<Long> placed = new HashSet<>();
        List<Node> out = new ArrayList<>();
        for (SpanDetail s : top) {
            out.add(build(s, 0, false, children, placed));
        }
        for (SpanDetail s : orphans) {
            out.add(build(s, 0, true, children, placed));
        }
        for (SpanDetail s : spans) {
            if (!placed.contains(s.spanId())) {
                // part of a parent cycle: unreachable from any root
                out.add(build(s, 0, true, children, placed));
            }
        }
        this.roots = List.copyOf(out);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        Set<String> svc = new LinkedHashSet<>();
        for (SpanDetail s : spans) {
            min = Math.min(min, Math.min(s.startNs(), s.endNs()));
            max = Math.max(max, Math.max(s.startNs(), s.endNs()));
            svc.add(s.serviceName());
        }
        this.startNs = spans.isEmpty() ? 0 : min;
        this.endNs = spans.isEmpty() ? 0 : max;
        this.spanCount = spans.size();
        this.services = svc;
    }

    private static Node build(SpanDetail s, int depth, boolean orphan, Map<Long, List<SpanDetail>> children,
            Set<Long> placed) {
        placed.add(s.spanId());
        List<Node> kids = new ArrayList<>();
        for (SpanDetail c : children.getOrDefault(s.spanId(), List.of())) {
            if (!placed.contains(c.spanId())) {
                kids.add(build(c, depth + 1, false, children, placed));
            }
        }
        return new Node(s, depth, orphan, List.copyOf(kids));
    }

    public List<Node> roots() {
        return roots;
    }

    /** Earliest start of any span (the waterfall's time zero). */
    public long startNs() {
        return startNs;
    }

    /** Latest end of any span. */
    public long endNs() {
        return endNs;
    }

    public int spanCount() {
        return spanCount;
    }

    /** Services in order of first appearance. */
    public Set<String> services() {
        return services;
    }

    /** All nodes depth-first, in display order. */
    public List<Node> flatten() {
        List<Node> out = new ArrayList<>(spanCount);
        for (Node r : roots) {
            addAll(r, out);
        }
        return out;
    }

    private static void addAll(Node n, List<Node> out) {
        out.add(n);
        for (Node c : n.children()) {
            addAll(c, out);
        }
    }
}
