package dev.tracebench.core.analysis;

/**
 * What {@link TraceAnalyzer} needs of a span: its place in the tree, its times, and its normalised fields
 * ({@code stage} is the span's own, null when nothing said).
 */
public record SpanFacts(long spanId, Long parentId, String name, String service, long startNs, long endNs,
        int status, String stage, String requestModel, String responseModel, Long inputTokens, Long outputTokens,
        Double cost, Boolean cacheHit, Long ttftNs, String route, String tenant, String promptVersion,
        Integer attempt, Integer docCount) {
}
