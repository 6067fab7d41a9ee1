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

    /**
     * The subtree under {@code root}, walked with a stack of its own: a trace can be a chain thousands of spans deep
     * (10,000 overflowed the thread's stack when this recursed). A span is placed once, under the first parent
     * reached.
     */
    private static Node build(SpanDetail root, int depth, boolean orphan, Map<Long, List<SpanDetail>> children,
            Set<Long> placed) {
        final class Frame {
            final SpanDetail span;
            final int depth;
            final java.util.Iterator<SpanDetail> next;
            final List<Node> kids = new ArrayList<>();

            Frame(SpanDetail span, int depth) {
                this.span = span;
                this.depth = depth;
                this.next = children.getOrDefault(span.spanId(), List.of()).iterator();
            }
        }
        java.util.ArrayDeque<Frame> stack = new java.util.ArrayDeque<>();
        placed.add(root.spanId());
        stack.push(new Frame(root, depth));
        while (true) {
            Frame f = stack.peek();
            if (f.next.hasNext()) {
                SpanDetail c = f.next.next();
                if (placed.add(c.spanId())) {
                    stack.push(new Frame(c, f.depth + 1));
                }
                continue;
            }
            stack.pop();
            Node n = new Node(f.span, f.depth, stack.isEmpty() && orphan, List.copyOf(f.kids));
            if (stack.isEmpty()) {
                return n;
            }
            stack.peek().kids.add(n);
        }
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
        java.util.ArrayDeque<Node> todo = new java.util.ArrayDeque<>();
        for (int i = roots.size() - 1; i >= 0; i--) {
            todo.push(roots.get(i));
        }
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            out.add(n);
            for (int i = n.children().size() - 1; i >= 0; i--) {
                todo.push(n.children().get(i));
            }
        }
        return out;
    }
}
