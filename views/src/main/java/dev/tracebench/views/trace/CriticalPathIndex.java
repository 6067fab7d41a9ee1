package dev.tracebench.views.trace;

import dev.tracebench.core.analysis.CriticalPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The critical path of one trace, indexed for drawing the waterfall: each span's path segments, its time on the
 * path, its self time and its effective stage. Pure data: no JavaFX.
 */
public final class CriticalPathIndex {
    private final CriticalPath path;
    private final Map<Long, List<CriticalPath.Segment>> segments = new HashMap<>();

    public CriticalPathIndex(CriticalPath path) {
        this.path = path;
        for (CriticalPath.Segment s : path.segments()) {
            segments.computeIfAbsent(s.spanId(), k -> new ArrayList<>()).add(s);
        }
    }

    public CriticalPath path() {
        return path;
    }

    /** The span's path segments in time order (empty if it is not on the path). */
    public List<CriticalPath.Segment> segments(long spanId) {
        return segments.getOrDefault(spanId, List.of());
    }

    public boolean onPath(long spanId) {
        return path.onPath(spanId);
    }

    /** Time of the span on the critical path (0: not on it). */
    public long pathNs(long spanId) {
        return path.pathNs().getOrDefault(spanId, 0L);
    }

    /** The span's own time (not covered by its children); null if the analysis did not say. */
    public Long selfNs(long spanId) {
        return path.selfNs().get(spanId);
    }

    /** The span's effective stage (its own, else inherited); null if the analysis did not say. */
    public String stage(long spanId) {
        return path.stageOf().get(spanId);
    }

    /** Spans with time on the path. */
    public int spansOnPath() {
        return (int) path.pathNs().values().stream().filter(v -> v > 0).count();
    }

    /** Time on the path (the root span's duration, without unattributed time). */
    public long pathTotalNs() {
        return path.pathNs().values().stream().mapToLong(Long::longValue).sum();
    }

    /** Contribution per stage in the fixed stage order, largest stages included, zeros left out. */
    public Map<String, Long> byStage() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String s : dev.tracebench.views.common.StageColors.sorted(path.byStage().keySet())) {
            long v = path.byStage().get(s);
            if (v > 0) {
                out.put(s, v);
            }
        }
        return out;
    }
}
