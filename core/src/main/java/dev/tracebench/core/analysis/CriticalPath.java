package dev.tracebench.core.analysis;

import java.util.List;
import java.util.Map;

/**
 * The critical path of one trace: the chain of spans the end of the request actually waited on, as time segments in
 * order, each attributed to one span (the time a span spent on the path that none of its children covered). The
 * segments tile [startNs, endNs) of the root span; the trace's time outside it is {@code unattributedNs}.
 *
 * @param segments      path segments in time order
 * @param selfNs        each span's self time (its duration minus the union of its children's, clamped to it)
 * @param pathNs        each span's time on the critical path (0 or absent: not on it)
 * @param stageOf       each span's effective stage (its own, else its parent's, else "other")
 * @param byStage       contribution per stage, including "unattributed"; sums to the trace duration
 */
public record CriticalPath(long rootSpanId, long startNs, long endNs, long traceDurationNs, long unattributedNs,
        List<Segment> segments, Map<Long, Long> selfNs, Map<Long, Long> pathNs, Map<Long, String> stageOf,
        Map<String, Long> byStage) {

    public CriticalPath {
        segments = List.copyOf(segments);
        selfNs = Map.copyOf(selfNs);
        pathNs = Map.copyOf(pathNs);
        stageOf = Map.copyOf(stageOf);
        byStage = Map.copyOf(byStage);
    }

    /** Time [startNs, endNs) of the path spent in span {@code spanId}. */
    public record Segment(long spanId, long startNs, long endNs) {
        public long durationNs() {
            return endNs - startNs;
        }
    }

    public boolean onPath(long spanId) {
        return pathNs.getOrDefault(spanId, 0L) > 0;
    }
}
