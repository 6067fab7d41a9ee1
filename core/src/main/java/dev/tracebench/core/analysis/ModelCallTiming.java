package dev.tracebench.core.analysis;

import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceDetail;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where a model call's time went: waiting in a queue, generating at the provider (the innermost model-call span
 * under it, or the call itself when it has none), and the rest (gateway, network, client overhead), plus the time to
 * the first token when the data has it. Queue time is the union of the call's descendant spans whose name contains
 * "queue" (gateways such as LiteLLM or our sample's llm-gateway record their queue as a span), the same rule the
 * import-time analysis uses for a trace's queue time.
 *
 * @param queueNs      time in queue spans under the call (0 when none)
 * @param generationNs time of the provider call (the innermost model-call span under this one, else this span's
 *                     duration minus its queue time)
 * @param overheadNs   the rest of the call's duration ({@code duration - queue - generation}, at least 0)
 * @param ttftNs       time to first token as recorded (this span's, else the innermost call's), or null
 * @param providerSpanId the innermost model-call span, or this span itself
 */
public record ModelCallTiming(long durationNs, long queueNs, long generationNs, long overheadNs, Long ttftNs,
        long providerSpanId) {

    /** The timing of {@code span} when it is a model call (stage inference, or with a model and a chat-like operation). */
    public static Optional<ModelCallTiming> of(TraceDetail trace, SpanDetail span) {
        if (!isModelCall(span)) {
            return Optional.empty();
        }
        Map<Long, List<SpanDetail>> children = new HashMap<>();
        for (SpanDetail s : trace.spans()) {
            if (s.parentSpanId() != null && s.spanId() != s.parentSpanId()) {
                children.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>()).add(s);
            }
        }
        List<long[]> queues = new ArrayList<>();
        SpanDetail innermost = span;
        int innermostDepth = 0;
        // iterative walk (cycles in bad data are cut by the depth bound)
        List<SpanDetail> stack = new ArrayList<>(children.getOrDefault(span.spanId(), List.of()));
        List<Integer> depths = new ArrayList<>();
        stack.forEach(x -> depths.add(1));
        int visited = 0;
        while (!stack.isEmpty() && visited++ < trace.spans().size()) {
            SpanDetail s = stack.remove(stack.size() - 1);
            int depth = depths.remove(depths.size() - 1);
            if (s.name() != null && s.name().toLowerCase(Locale.ROOT).contains("queue")) {
                queues.add(new long[] {Math.max(s.startNs(), span.startNs()), Math.min(s.endNs(), span.endNs())});
            } else if (isModelCall(s) && depth > innermostDepth) {
                innermost = s;
                innermostDepth = depth;
            }
            for (SpanDetail c : children.getOrDefault(s.spanId(), List.of())) {
                stack.add(c);
                depths.add(depth + 1);
            }
        }
        long duration = Math.max(0, span.durationNs());
        long queue = Math.min(duration, unionLength(queues));
        long generation = innermost == span ? duration - queue : Math.min(duration - queue,
                Math.max(0, Math.min(innermost.endNs(), span.endNs()) - Math.max(innermost.startNs(), span.startNs())));
        long overhead = Math.max(0, duration - queue - generation);
        Long ttft = span.llm().ttftNs() != null ? span.llm().ttftNs()
                : innermost.llm() != null ? innermost.llm().ttftNs() : null;
        return Optional.of(new ModelCallTiming(duration, queue, generation, overhead, ttft, innermost.spanId()));
    }

    static boolean isModelCall(SpanDetail s) {
        if (s.llm() == null) {
            return false;
        }
        if ("inference".equals(s.llm().stage())) {
            return true;
        }
        String op = s.llm().operation();
        return s.llm().model() != null && op != null && (op.equals("chat") || op.equals("text_completion")
                || op.equals("generate_content"));
    }

    private static long unionLength(List<long[]> intervals) {
        intervals.removeIf(i -> i[1] <= i[0]);
        intervals.sort(Comparator.comparingLong(i -> i[0]));
        long total = 0;
        long curStart = Long.MIN_VALUE;
        long curEnd = Long.MIN_VALUE;
        for (long[] i : intervals) {
            if (i[0] > curEnd) {
                if (curEnd > curStart) {
                    total += curEnd - curStart;
                }
                curStart = i[0];
                curEnd = i[1];
            } else {
                curEnd = Math.max(curEnd, i[1]);
            }
        }
        if (curEnd > curStart) {
            total += curEnd - curStart;
        }
        return total;
    }
}
