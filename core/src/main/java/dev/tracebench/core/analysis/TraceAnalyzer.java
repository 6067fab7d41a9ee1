package dev.tracebench.core.analysis;

import dev.tracebench.core.normalize.Stage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything the workspace keeps per trace, computed from its spans: the rollup (root, counts, tokens), the critical
 * path and each stage's contribution to it, and the facts analysis groups by. Pure computation, no I/O; one call per
 * trace. Used at import for every trace a file touches, and on demand for the trace on screen.
 *
 * <p><b>Root.</b> A span without parent (the earliest if several), else a span whose parent is not in the trace (an
 * orphan), else (a parent cycle) the earliest span. The trace's duration is the root's when it is a true root (orphan
 * spans outside it do not stretch the request), else from the earliest start to the latest end; never negative.
 *
 * <p><b>Critical path.</b> Walking back from the root's end: the path enters the child that finished last, then, from
 * that child's start, the child that finished last before it, and so on; time no child covers is the span's own.
 * Children are clamped to their parent's window (a child that outlives its parent, or starts before it because of
 * clock skew, only counts inside it); children that overlap a later chosen sibling ran in parallel and are not on the
 * path. The path's segments tile the root span exactly; the rest of the trace's duration is {@code unattributed}. A
 * span's time on the path goes to its <em>effective stage</em>: its own stage, else its parent's, else {@code other}.
 *
 * <p><b>Tokens and cost</b> count only the innermost spans that report them (an application span and the gateway
 * span below it report the same call), as do model and tool call counts.
 */
public final class TraceAnalyzer {
    /** Stage columns of the traces table, in their order; "unattributed" last. */
    public static final List<String> STAGES;

    static {
        List<String> s = new ArrayList<>();
        for (Stage st : Stage.values()) {
            s.add(st.id());
        }
        s.add("unattributed");
        STAGES = List.copyOf(s);
    }

    public static final int UNATTRIBUTED = Stage.values().length;
    private static final int MAX_DEPTH = 2_000;

    private TraceAnalyzer() {
    }

    /** The trace row: the rollup, the facts and the stage vector (nanoseconds per entry of {@link #STAGES}). */
    public record TraceRow(long rootSpanId, String rootName, String serviceName, long startNs, long endNs,
            long durationNs, int spanCount, int errorCount, int serviceCount, int orphanCount, boolean hasRoot,
            long inputTokens, long outputTokens, Double cost, int skewCount, String route, String model,
            String modelVersion, String promptVersion, String tenant, int llmCalls, int toolCalls, int retries,
            Integer docs, int cacheHits, int cacheMisses, long queueNs, Long ttftNs, long[] stageNs, boolean rootError) {
    }

    /** Critical-path and self time of one (stage, operation) of a trace. */
    public record StageRow(String stage, String operation, long pathNs, long selfNs, int spans) {
    }

    public record Result(TraceRow trace, List<StageRow> stages, CriticalPath path) {
    }

    /** Analyses one trace's spans (in any order; at least one). {@code withPath} also builds the segment list. */
    public static Result analyze(List<SpanFacts> spans, boolean withPath) {
        return new Work(spans, withPath).run();
    }

    /** Span id to the position of its first span in the trace: an open-addressing table of primitive longs. */
    private static final class SpanIndex {
        private final long[] keys;
        private final int[] values;
        private final int mask;

        SpanIndex(SpanFacts[] spans) {
            int cap = Integer.highestOneBit(Math.max(4, spans.length * 2 - 1)) << 1;
            keys = new long[cap];
            values = new int[cap];
            mask = cap - 1;
            java.util.Arrays.fill(values, -1);
            for (int i = 0; i < spans.length; i++) {
                long k = spans[i].spanId();
                int slot = slot(k);
                while (values[slot] >= 0 && keys[slot] != k) {
                    slot = (slot + 1) & mask;
                }
                if (values[slot] < 0) {
                    keys[slot] = k;
                    values[slot] = i;
                }
            }
        }

        private int slot(long k) {
            long h = k * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32)) & mask;
        }

        /** The position of the first span with this id, or -1. */
        int get(long k) {
            int slot = slot(k);
            while (values[slot] >= 0) {
                if (keys[slot] == k) {
                    return values[slot];
                }
                slot = (slot + 1) & mask;
            }
            return -1;
        }
    }

    private static final java.util.Comparator<SpanFacts> BY_START_THEN_ID = (x, y) -> {
        int c = Long.compare(x.startNs(), y.startNs());
        return c != 0 ? c : Long.compare(x.spanId(), y.spanId());
    };

    /** Sorts by start, then span id: insertion sort for the usual small trace (a tenth of the cost), else TimSort. */
    static void canonicalOrder(SpanFacts[] a) {
        if (a.length > 48) {
            Arrays.sort(a, BY_START_THEN_ID);
            return;
        }
        for (int i = 1; i < a.length; i++) {
            SpanFacts x = a[i];
            long start = x.startNs();
            long id = x.spanId();
            int j = i - 1;
            while (j >= 0 && (a[j].startNs() > start || (a[j].startNs() == start && a[j].spanId() > id))) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = x;
        }
    }

    private static final class Work {
        final SpanFacts[] s;
        final int n;
        final boolean withPath;
        final int[] parent;
        final int[] firstChild;
        final int[] nextSibling;
        final int[] stage;
        final long[] pathNs;
        final long[] selfNs;
        final boolean[] visited;
        final List<CriticalPath.Segment> segments = new ArrayList<>();

        Work(List<SpanFacts> spans, boolean withPath) {
            // a canonical order (start, then span id) so that nothing depends on the order the spans came in: the
            // spans of a trace are analysed as a file lists them while importing and as the workspace returns them
            // later, and ties (siblings ending together, which span's route comes first, the order costs are added
            // in) must come out the same
            this.s = spans.toArray(new SpanFacts[0]);
            canonicalOrder(this.s);
            this.n = s.length;
            this.withPath = withPath;
            parent = new int[n];
            firstChild = new int[n];
            nextSibling = new int[n];
            stage = new int[n];
            pathNs = new long[n];
            selfNs = new long[n];
            visited = new boolean[n];
            Arrays.fill(firstChild, -1);
            Arrays.fill(nextSibling, -1);
            Arrays.fill(stage, -1);
        }

        Result run() {
            SpanIndex index = new SpanIndex(s);
            int orphans = 0;
            for (int i = n - 1; i >= 0; i--) {
                Long p = s[i].parentId();
                int pi = p == null ? -1 : index.get(p);
                parent[i] = pi == i ? -1 : pi;
                if (p != null && pi < 0) {
                    orphans++;
                }
                if (parent[i] >= 0) {
                    nextSibling[i] = firstChild[parent[i]];
                    firstChild[parent[i]] = i;
                }
            }
            int root = chooseRoot();
            boolean trueRoot = s[root].parentId() == null;
            long start = Long.MAX_VALUE;
            long end = Long.MIN_VALUE;
            int errors = 0;
            int skew = 0;
            // distinct services: a trace has a handful, compared by reference first (they are shared instances)
            List<String> services = new ArrayList<>(4);
            for (int i = 0; i < n; i++) {
                start = Math.min(start, s[i].startNs());
                // the latest moment any span touches (a span that ends before it starts still started then)
                end = Math.max(end, Math.max(s[i].startNs(), s[i].endNs()));
                if (s[i].status() == 2) {
                    errors++;
                }
                String svc = s[i].service();
                if (!services.contains(svc)) {
                    services.add(svc);
                }
                if (s[i].endNs() < s[i].startNs() || (parent[i] >= 0
                        && s[i].startNs() < s[parent[i]].startNs() - 1_000_000L)) {
                    skew++;
                }
            }
            long duration = Math.max(0, trueRoot ? s[root].endNs() - s[root].startNs() : end - start);

            // effective stages, then the critical path from the root
            for (int i = 0; i < n; i++) {
                effectiveStage(i);
            }
            long rootLo = s[root].startNs();
            long rootHi = Math.max(rootLo, s[root].endNs());
            walk(root, rootLo, rootHi, 0);
            long onPath = rootHi - rootLo;
            long unattributed = Math.max(0, duration - onPath);
            long[] stageNs = new long[STAGES.size()];
            for (int i = 0; i < n; i++) {
                stageNs[stage[i]] += pathNs[i];
            }
            // a true root's duration is exactly its window; otherwise the path is at most the whole window
            stageNs[UNATTRIBUTED] = unattributed;
            long sum = 0;
            for (long v : stageNs) {
                sum += v;
            }
            if (sum != duration) {
                // only when the root window is longer than the duration (cannot happen with the rules above)
                stageNs[UNATTRIBUTED] += duration - sum;
            }
            for (int i = 0; i < n; i++) {
                selfNs[i] = self(i);
            }

            TraceRow row = facts(root, trueRoot, start, end, duration, errors, services.size(), orphans, skew,
                    stageNs);
            List<StageRow> stageRows = stageRows(unattributed);
            CriticalPath path = withPath ? path(root, duration, unattributed, stageNs) : null;
            return new Result(row, stageRows, path);
        }

        /** Parentless (earliest, then lowest id), else orphan, else earliest: the rollup's rule. */
        private int chooseRoot() {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                int rank = s[i].parentId() == null ? 0 : parent[i] < 0 ? 1 : 2;
                if (best < 0 || rank < bestRank || (rank == bestRank && (s[i].startNs() < s[best].startNs()
                        || (s[i].startNs() == s[best].startNs() && s[i].spanId() < s[best].spanId())))) {
                    best = i;
                    bestRank = rank;
                }
            }
            return best;
        }

        private int effectiveStage(int i) {
            // iterative walk up to the first span with a stage (guards against parent cycles)
            int steps = 0;
            int j = i;
            int found = Stage.OTHER.ordinal();
            while (j >= 0 && steps++ < MAX_DEPTH) {
                if (stage[j] >= 0) {
                    found = stage[j];
                    break;
                }
                Stage own = Stage.of(s[j].stage());
                if (own != null) {
                    found = own.ordinal();
                    break;
                }
                j = parent[j];
            }
            // remember along the way
            int k = i;
            steps = 0;
            while (k >= 0 && k != j && stage[k] < 0 && steps++ < MAX_DEPTH) {
                stage[k] = found;
                k = parent[k];
            }
            if (j >= 0 && stage[j] < 0) {
                stage[j] = found;
            }
            return found;
        }

        /** The critical path of span i within [lo, hi]. */
        private void walk(int i, long lo, long hi, int depth) {
            if (visited[i] || depth > MAX_DEPTH) {
                credit(i, lo, hi);
                return;
            }
            visited[i] = true;
            // children clamped to the window, latest end first
            int count = 0;
            for (int c = firstChild[i]; c >= 0; c = nextSibling[c]) {
                count++;
            }
            int[] kids = new int[count];
            long[] cs = new long[count];
            long[] ce = new long[count];
            int m = 0;
            for (int c = firstChild[i]; c >= 0; c = nextSibling[c]) {
                long a = Math.max(s[c].startNs(), lo);
                long b = Math.min(s[c].endNs(), hi);
                if (b > a && !visited[c]) {
                    kids[m] = c;
                    cs[m] = a;
                    ce[m] = b;
                    m++;
                }
            }
            sortByEndDesc(kids, cs, ce, m);
            long cursor = hi;
            for (int k = 0; k < m && cursor > lo; k++) {
                if (ce[k] > cursor) {
                    continue; // ran in parallel with the child already on the path
                }
                credit(i, ce[k], cursor);
                walk(kids[k], cs[k], ce[k], depth + 1);
                cursor = cs[k];
            }
            credit(i, lo, cursor);
        }

        private void credit(int i, long from, long to) {
            if (to <= from) {
                return;
            }
            pathNs[i] += to - from;
            if (withPath) {
                segments.add(new CriticalPath.Segment(s[i].spanId(), from, to));
            }
        }

        /** Span i's own time: its window minus the union of its children's (clamped). */
        private long self(int i) {
            long lo = s[i].startNs();
            long hi = Math.max(lo, s[i].endNs());
            int count = 0;
            for (int c = firstChild[i]; c >= 0; c = nextSibling[c]) {
                count++;
            }
            if (count == 0) {
                return hi - lo;
            }
            long[] a = new long[count];
            long[] b = new long[count];
            int m = 0;
            for (int c = firstChild[i]; c >= 0; c = nextSibling[c]) {
                long x = Math.max(lo, s[c].startNs());
                long y = Math.min(hi, s[c].endNs());
                if (y > x) {
                    a[m] = x;
                    b[m] = y;
                    m++;
                }
            }
            sortByStart(a, b, m);
            long covered = 0;
            long curA = Long.MIN_VALUE;
            long curB = Long.MIN_VALUE;
            for (int k = 0; k < m; k++) {
                if (a[k] > curB) {
                    covered += Math.max(0, curB - curA);
                    curA = a[k];
                    curB = b[k];
                } else {
                    curB = Math.max(curB, b[k]);
                }
            }
            covered += Math.max(0, curB - curA);
            return hi - lo - covered;
        }

        private static void sortByEndDesc(int[] k, long[] a, long[] b, int m) {
            for (int i = 1; i < m; i++) {
                int kk = k[i];
                long aa = a[i];
                long bb = b[i];
                int j = i - 1;
                while (j >= 0 && (b[j] < bb || (b[j] == bb && a[j] > aa))) {
                    k[j + 1] = k[j];
                    a[j + 1] = a[j];
                    b[j + 1] = b[j];
                    j--;
                }
                k[j + 1] = kk;
                a[j + 1] = aa;
                b[j + 1] = bb;
            }
        }

        private static void sortByStart(long[] a, long[] b, int m) {
            if (m > 32) {
                long[][] pairs = new long[m][];
                for (int i = 0; i < m; i++) {
                    pairs[i] = new long[] {a[i], b[i]};
                }
                Arrays.sort(pairs, (x, y) -> Long.compare(x[0], y[0]));
                for (int i = 0; i < m; i++) {
                    a[i] = pairs[i][0];
                    b[i] = pairs[i][1];
                }
                return;
            }
            for (int i = 1; i < m; i++) {
                long aa = a[i];
                long bb = b[i];
                int j = i - 1;
                while (j >= 0 && a[j] > aa) {
                    a[j + 1] = a[j];
                    b[j + 1] = b[j];
                    j--;
                }
                a[j + 1] = aa;
                b[j + 1] = bb;
            }
        }

        private TraceRow facts(int root, boolean trueRoot, long start, long end, long duration, int errors,
                int serviceCount, int orphans, int skew, long[] stageNs) {
            // innermost token spans, innermost model and tool calls
            boolean[] hasTokenBelow = new boolean[n];
            boolean[] hasInferenceBelow = new boolean[n];
            boolean[] hasToolBelow = new boolean[n];
            for (int i = 0; i < n; i++) {
                boolean tokens = s[i].inputTokens() != null || s[i].outputTokens() != null || s[i].cost() != null;
                boolean inference = Stage.INFERENCE.id().equals(s[i].stage());
                boolean tool = Stage.TOOL.id().equals(s[i].stage());
                int steps = 0;
                for (int p = parent[i]; p >= 0 && steps++ < MAX_DEPTH; p = parent[p]) {
                    if (tokens) {
                        hasTokenBelow[p] = true;
                    }
                    if (inference) {
                        hasInferenceBelow[p] = true;
                    }
                    if (tool) {
                        hasToolBelow[p] = true;
                    }
                    if (p == i) {
                        break;
                    }
                }
            }
            long inputTokens = 0;
            long outputTokens = 0;
            Double cost = null;
            int llmCalls = 0;
            int toolCalls = 0;
            int retries = 0;
            Integer docs = null;
            int hits = 0;
            int misses = 0;
            long queue = 0;
            int modelSpan = -1;
            for (int i = 0; i < n; i++) {
                SpanFacts f = s[i];
                boolean tokens = f.inputTokens() != null || f.outputTokens() != null || f.cost() != null;
                if (tokens && !hasTokenBelow[i]) {
                    inputTokens += f.inputTokens() == null ? 0 : f.inputTokens();
                    outputTokens += f.outputTokens() == null ? 0 : f.outputTokens();
                    if (f.cost() != null) {
                        cost = (cost == null ? 0 : cost) + f.cost();
                    }
                }
                if (Stage.INFERENCE.id().equals(f.stage())) {
                    if (!hasInferenceBelow[i]) {
                        llmCalls++;
                    }
                    if ((f.requestModel() != null || f.responseModel() != null) && (modelSpan < 0
                            || pathNs[i] > pathNs[modelSpan] || (pathNs[i] == pathNs[modelSpan]
                            && f.endNs() - f.startNs() > s[modelSpan].endNs() - s[modelSpan].startNs()))) {
                        modelSpan = i;
                    }
                }
                if (Stage.TOOL.id().equals(f.stage()) && !hasToolBelow[i]) {
                    toolCalls++;
                }
                if (f.attempt() != null && f.attempt() >= 2) {
                    retries++;
                }
                if (f.docCount() != null) {
                    docs = docs == null ? f.docCount() : Math.max(docs, f.docCount());
                }
                if (f.cacheHit() != null) {
                    if (f.cacheHit()) {
                        hits++;
                    } else {
                        misses++;
                    }
                }
                if (f.name() != null && f.name().toLowerCase(Locale.ROOT).contains("queue")) {
                    queue += pathNs[i];
                }
            }
            String route = s[root].route();
            String tenant = s[root].tenant();
            String prompt = s[root].promptVersion();
            for (int i = 0; i < n && (route == null || tenant == null || prompt == null); i++) {
                route = route != null ? route : s[i].route();
                tenant = tenant != null ? tenant : s[i].tenant();
                prompt = prompt != null ? prompt : s[i].promptVersion();
            }
            String model = null;
            String version = null;
            Long ttft = null;
            if (modelSpan >= 0) {
                SpanFacts m = s[modelSpan];
                model = m.requestModel() != null ? m.requestModel() : m.responseModel();
                version = m.responseModel();
                ttft = m.ttftNs();
            }
            if (ttft == null) {
                for (int i = 0; i < n; i++) {
                    if (s[i].ttftNs() != null) {
                        ttft = s[i].ttftNs();
                        break;
                    }
                }
            }
            SpanFacts r = s[root];
            return new TraceRow(r.spanId(), r.name() == null ? "" : r.name(), r.service(), start, end, duration, n,
                    errors, serviceCount, orphans, trueRoot, inputTokens, outputTokens, cost, skew, route, model,
                    version, prompt, tenant, llmCalls, toolCalls, retries, docs, hits, misses, queue, ttft, stageNs,
                    r.status() == 2);
        }

        private List<StageRow> stageRows(long unattributed) {
            // per stage, the operations in order of first appearance: {path, self, spans}
            @SuppressWarnings("unchecked")
            Map<String, long[]>[] byStage = new Map[STAGES.size()];
            List<String> ops = new ArrayList<>();
            List<long[]> sums = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Map<String, long[]> m = byStage[stage[i]];
                if (m == null) {
                    m = byStage[stage[i]] = new HashMap<>();
                }
                String op = s[i].name();
                long[] a = m.get(op);
                if (a == null) {
                    a = new long[] {0, 0, 0, stage[i]};
                    m.put(op, a);
                    ops.add(op);
                    sums.add(a);
                }
                a[0] += pathNs[i];
                a[1] += selfNs[i];
                a[2]++;
            }
            List<StageRow> out = new ArrayList<>(sums.size() + 1);
            for (int k = 0; k < sums.size(); k++) {
                long[] a = sums.get(k);
                out.add(new StageRow(STAGES.get((int) a[3]), ops.get(k), a[0], a[1], (int) a[2]));
            }
            if (unattributed > 0) {
                out.add(new StageRow("unattributed", null, unattributed, 0, 0));
            }
            return out;
        }

        private CriticalPath path(int root, long duration, long unattributed, long[] stageNs) {
            segments.sort((a, b) -> Long.compare(a.startNs(), b.startNs()));
            Map<Long, Long> self = new HashMap<>();
            Map<Long, Long> path = new HashMap<>();
            Map<Long, String> stages = new HashMap<>();
            for (int i = 0; i < n; i++) {
                self.put(s[i].spanId(), selfNs[i]);
                if (pathNs[i] > 0) {
                    path.put(s[i].spanId(), pathNs[i]);
                }
                stages.put(s[i].spanId(), STAGES.get(stage[i]));
            }
            Map<String, Long> byStage = new LinkedHashMap<>();
            for (int k = 0; k < stageNs.length; k++) {
                if (stageNs[k] != 0) {
                    byStage.put(STAGES.get(k), stageNs[k]);
                }
            }
            return new CriticalPath(s[root].spanId(), s[root].startNs(), Math.max(s[root].startNs(), s[root].endNs()),
                    duration, unattributed, segments, self, path, stages, byStage);
        }
    }
}
