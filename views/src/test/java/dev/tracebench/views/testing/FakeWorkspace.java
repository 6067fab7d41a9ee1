package dev.tracebench.views.testing;

import dev.tracebench.core.analysis.CriticalPath;
import dev.tracebench.core.model.TraceId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Deterministic synthetic traffic of four LLM applications over one day, with planted effects (a slow vector-search
 * shard for tenant acme in the afternoon, a slower model version after noon, agents that loop), and the critical
 * path of every trace. The fakes of the analysis and trace services compute everything from these traces, so their
 * tables and charts agree with each other the way the real service's do.
 */
public final class FakeWorkspace {
    /** 2025-06-02T00:00:00Z. */
    public static final long T0 = 1_748_822_400_000_000_000L;
    public static final long DAY = 86_400_000_000_000L;
    static final long MS = 1_000_000L;

    /** One span: times in ns, stage of its own (null: inherited). */
    public record Span(long spanId, Long parentId, String name, String stage, String service, long startNs,
            long endNs, boolean error) {
    }

    /** One trace with its facts and its critical path. */
    public record Trace(TraceId id, long startNs, long durationNs, String service, String root, String route,
            String model, String modelVersion, String promptVersion, String tenant, String environment,
            boolean error, List<Span> spans, CriticalPath path, Map<String, Long> byOperation) {

        /** Contribution of one stage on the critical path. */
        public long stageNs(String stage) {
            return path.byStage().getOrDefault(stage, 0L);
        }

        public String dimension(String column) {
            return switch (column) {
                case "service_name" -> service;
                case "root_name" -> root;
                case "route" -> route;
                case "model" -> model;
                case "model_version" -> modelVersion;
                case "prompt_version" -> promptVersion;
                case "tenant", "tenant.id" -> tenant;
                case "gen_ai.request.model" -> model;
                case "app.prompt.version" -> promptVersion;
                case "deployment.environment" -> environment;
                default -> null;
            };
        }
    }

    private final List<Trace> traces;
    private final Map<TraceId, Trace> byId = new HashMap<>();

    private final long seed;

    public FakeWorkspace(int count, long seed) {
        this.seed = seed;
        Random r = new Random(seed);
        List<Trace> out = new ArrayList<>(count);
        long[] starts = new long[count];
        for (int i = 0; i < count; i++) {
            starts[i] = T0 + dayTime(r);
        }
        java.util.Arrays.sort(starts);
        for (int i = 0; i < count; i++) {
            out.add(trace(i, starts[i], r));
        }
        traces = List.copyOf(out);
        for (Trace t : traces) {
            byId.put(t.id(), t);
        }
    }

    /** The default: 3,000 traces. */
    public static FakeWorkspace standard() {
        return new FakeWorkspace(3000, 42);
    }

    public List<Trace> traces() {
        return traces;
    }

    public Trace trace(TraceId id) {
        return byId.get(id);
    }

    public long firstStartNs() {
        return traces.stream().mapToLong(Trace::startNs).min().orElse(T0);
    }

    public long lastEndNs() {
        return traces.stream().mapToLong(t -> t.startNs() + t.durationNs()).max().orElse(T0 + DAY);
    }

    /** Busier in working hours. */
    private static long dayTime(Random r) {
        while (true) {
            long t = (long) (r.nextDouble() * DAY);
            double hour = t / 3.6e12;
            double w = 0.25 + 0.75 * Math.exp(-Math.pow((hour - 14) / 4.5, 2));
            if (r.nextDouble() < w) {
                return t;
            }
        }
    }

    private static final String[] TENANTS = {"acme", "acme", "acme", "globex", "globex", "initech", "initech",
        "umbrella", "hooli", "hooli"};

    private Trace trace(int i, long start, Random r) {
        TraceId id = new TraceId(mix(seed * 31 + i), mix(i * 0x9E3779B97F4A7C15L + seed));
        double app = r.nextDouble();
        String tenant = TENANTS[r.nextInt(TENANTS.length)];
        String env = r.nextDouble() < 0.9 ? "prod" : "staging";
        double hour = (start - T0) / 3.6e12;
        boolean afternoon = hour >= 13 && hour < 16;
        boolean rollout = hour >= 12;
        Builder b = new Builder(start);
        String service;
        String root;
        String route;
        String model;
        String modelVersion;
        String prompt;
        boolean error = false;
        if (app < 0.45) {
            service = "support-assistant";
            root = "POST /chat";
            route = "/chat";
            model = "gpt-4o";
            modelVersion = rollout ? "gpt-4o-2024-11-20" : "gpt-4o-2024-08-06";
            prompt = r.nextDouble() < 0.5 ? "support-v3" : "support-v4";
            long rootId = b.open(root, "chain", service);
            b.child(rootId, "validate_input", "prompt", service, ms(r, 2, 10));
            long ret = b.open("retrieve_context", "retrieval", service, rootId);
            b.child(ret, "embed_query", null, service, ms(r, 15, 50));
            b.child(ret, "vector_search", null, "vector-db",
                    tenant.equals("acme") && afternoon ? ms(r, 1400, 3200) : ms(r, 20, 120));
            b.close(ret);
            b.child(rootId, "rerank", "rerank", service, ms(r, 30, 90));
            long llm = (long) (logNormal(r, 900, 0.45) * (rollout ? 1.35 : 1.0) * (prompt.equals("support-v4") ? 1.15
                    : 1.0));
            error = r.nextDouble() < 0.03;
            b.child(rootId, "chat " + model, "inference", "model-gateway", error ? llm / 3 : llm, error);
            if (!error) {
                b.child(rootId, "guardrail_check", "guardrail", service, ms(r, 20, 60));
                b.child(rootId, "format_answer", "postprocess", service, ms(r, 3, 15));
            }
            b.close(rootId);
        } else if (app < 0.70) {
            service = "docs-search";
            root = "GET /search";
            route = "/search";
            model = "(none)";
            modelVersion = "(none)";
            prompt = "(none)";
            long rootId = b.open(root, "chain", service);
            b.child(rootId, "embed_query", "retrieval", service, ms(r, 10, 40));
            b.child(rootId, "vector_search", "retrieval", "vector-db",
                    tenant.equals("acme") && afternoon ? ms(r, 1200, 2800) : ms(r, 15, 90));
            b.child(rootId, "rerank", "rerank", service, ms(r, 25, 80));
            b.child(rootId, "format_response", "postprocess", service, ms(r, 2, 8));
            error = r.nextDouble() < 0.015;
            b.close(rootId);
        } else if (app < 0.85) {
            service = "ticket-summarizer";
            root = "summarize_ticket";
            route = "/tickets/summary";
            model = "claude-3-5-sonnet";
            modelVersion = "claude-3-5-sonnet-20241022";
            prompt = r.nextDouble() < 0.7 ? "summary-v2" : "summary-v3-long";
            long rootId = b.open(root, "chain", service);
            b.child(rootId, "load_ticket", "other", service, ms(r, 20, 80));
            b.child(rootId, "render_prompt", "prompt", service, ms(r, 3, 12));
            long llm = (long) logNormal(r, prompt.equals("summary-v3-long") ? 3200 : 1900, 0.4);
            error = r.nextDouble() < 0.02;
            b.child(rootId, "chat " + model, "inference", "model-gateway", llm, error);
            b.child(rootId, "pii_guardrail", "guardrail", service, ms(r, 50, 200));
            b.close(rootId);
        } else {
            service = "ops-agent";
            root = "agent.run";
            route = "/agent";
            model = "gpt-4o-mini";
            modelVersion = "gpt-4o-mini-2024-07-18";
            prompt = "agent-v1";
            long rootId = b.open(root, "agent", service);
            int loops = 2 + r.nextInt(r.nextDouble() < 0.1 ? 10 : 4);
            for (int k = 0; k < loops; k++) {
                b.child(rootId, "chat " + model, "inference", "model-gateway", (long) logNormal(r, 650, 0.5));
                if (r.nextDouble() < 0.3) {
                    b.parallel(rootId, "tool search_logs", "tool query_metrics", "tool", service, ms(r, 100, 1800),
                            ms(r, 100, 1800));
                } else {
                    b.child(rootId, r.nextBoolean() ? "tool search_logs" : "tool query_metrics", "tool", service,
                            ms(r, 80, 1500));
                }
            }
            b.child(rootId, "chat " + model, "inference", "model-gateway", (long) logNormal(r, 800, 0.4));
            error = r.nextDouble() < 0.07;
            b.close(rootId);
        }
        List<Span> spans = b.spans(error);
        CriticalPath path = criticalPath(spans);
        Map<String, Long> byOp = new LinkedHashMap<>();
        Map<Long, Span> sid = new HashMap<>();
        for (Span s : spans) {
            sid.put(s.spanId(), s);
        }
        for (Map.Entry<Long, Long> e : path.pathNs().entrySet()) {
            Span s = sid.get(e.getKey());
            byOp.merge(path.stageOf().get(s.spanId()) + "|" + s.name(), e.getValue(), Long::sum);
        }
        long end = spans.stream().mapToLong(Span::endNs).max().orElse(start);
        return new Trace(id, start, end - start, service, root, route, model, modelVersion, prompt, tenant, env,
                error, spans, path, byOp);
    }

    /** SplitMix64: random-looking but reproducible ids. */
    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long ms(Random r, int lo, int hi) {
        return (lo + (long) (r.nextDouble() * (hi - lo))) * MS + r.nextInt(1000) * 1000L;
    }

    private static double logNormal(Random r, double medianMs, double sigma) {
        return medianMs * Math.exp(sigma * r.nextGaussian()) * MS;
    }

    /** Lays spans out one after another under their parent, with small gaps (the parent's own time). */
    private static final class Builder {
        private final List<long[]> open = new ArrayList<>();
        private final List<Span> spans = new ArrayList<>();
        private final Map<Long, long[]> cursor = new HashMap<>(); // span id -> {start, cursor}
        private final Map<Long, String[]> meta = new HashMap<>(); // name, stage, service
        private final Map<Long, Long> parent = new HashMap<>();
        private final List<Long> failed = new ArrayList<>();
        private long next = 1;
        private final long start;

        Builder(long start) {
            this.start = start;
        }

        long open(String name, String stage, String service) {
            long id = next++;
            cursor.put(id, new long[] {start, start + 2 * MS});
            meta.put(id, new String[] {name, stage, service});
            return id;
        }

        long open(String name, String stage, String service, long parentId) {
            long[] pc = cursor.get(parentId);
            long id = next++;
            long s = pc[1] + MS;
            cursor.put(id, new long[] {s, s + MS / 2});
            meta.put(id, new String[] {name, stage, service});
            parent.put(id, parentId);
            return id;
        }

        void close(long id) {
            long[] c = cursor.get(id);
            long end = c[1] + MS;
            String[] m = meta.get(id);
            spans.add(new Span(id, parent.get(id), m[0], m[1], m[2], c[0], end, failed.contains(id)));
            Long p = parent.get(id);
            if (p != null) {
                cursor.get(p)[1] = end;
            }
        }

        void child(long parentId, String name, String stage, String service, long dur) {
            child(parentId, name, stage, service, dur, false);
        }

        void child(long parentId, String name, String stage, String service, long dur, boolean error) {
            long[] pc = cursor.get(parentId);
            long s = pc[1] + (long) (MS * (0.5 + (next % 3)));
            long id = next++;
            spans.add(new Span(id, parentId, name, stage, service, s, s + dur, error));
            if (error) {
                failed.add(parentId);
            }
            pc[1] = s + dur;
        }

        void parallel(long parentId, String a, String b, String stage, String service, long da, long db) {
            long[] pc = cursor.get(parentId);
            long s = pc[1] + MS;
            spans.add(new Span(next++, parentId, a, stage, service, s, s + da, false));
            spans.add(new Span(next++, parentId, b, stage, service, s + MS / 3, s + MS / 3 + db, false));
            pc[1] = Math.max(s + da, s + MS / 3 + db);
        }

        List<Span> spans(boolean error) {
            List<Span> out = new ArrayList<>(spans);
            if (error && out.stream().noneMatch(Span::error)) {
                Span last = out.get(out.size() - 1);
                out.set(out.size() - 1, new Span(last.spanId(), last.parentId(), last.name(), last.stage(),
                        last.service(), last.startNs(), last.endNs(), true));
            }
            out.sort(Comparator.comparingLong(Span::startNs).thenComparingLong(Span::spanId));
            return out;
        }
    }

    /**
     * The critical path the way the analysis defines it: from the root's end backwards, the child that finished
     * last before that moment is waited on; the rest is the parent's own time.
     */
    static CriticalPath criticalPath(List<Span> spans) {
        Map<Long, Span> byId = new HashMap<>();
        Map<Long, List<Span>> children = new HashMap<>();
        Span root = null;
        for (Span s : spans) {
            byId.put(s.spanId(), s);
        }
        for (Span s : spans) {
            if (s.parentId() == null || !byId.containsKey(s.parentId())) {
                if (root == null || s.endNs() - s.startNs() > root.endNs() - root.startNs()) {
                    root = s;
                }
            } else {
                children.computeIfAbsent(s.parentId(), k -> new ArrayList<>()).add(s);
            }
        }
        List<CriticalPath.Segment> segs = new ArrayList<>();
        walk(root, root.endNs(), children, segs);
        segs.sort(Comparator.comparingLong(CriticalPath.Segment::startNs));
        Map<Long, Long> pathNs = new HashMap<>();
        for (CriticalPath.Segment g : segs) {
            pathNs.merge(g.spanId(), g.durationNs(), Long::sum);
        }
        Map<Long, Long> self = new HashMap<>();
        Map<Long, String> stageOf = new HashMap<>();
        for (Span s : spans) {
            long covered = 0;
            long cur = s.startNs();
            List<Span> kids = new ArrayList<>(children.getOrDefault(s.spanId(), List.of()));
            kids.sort(Comparator.comparingLong(Span::startNs));
            for (Span k : kids) {
                long a = Math.max(cur, Math.max(k.startNs(), s.startNs()));
                long b = Math.min(k.endNs(), s.endNs());
                if (b > a) {
                    covered += b - a;
                    cur = b;
                }
            }
            self.put(s.spanId(), Math.max(0, s.endNs() - s.startNs() - covered));
            stageOf.put(s.spanId(), stage(s, byId));
        }
        long traceStart = spans.stream().mapToLong(Span::startNs).min().orElse(0);
        long traceEnd = spans.stream().mapToLong(Span::endNs).max().orElse(0);
        long unattributed = (traceEnd - traceStart) - (root.endNs() - root.startNs());
        Map<String, Long> byStage = new LinkedHashMap<>();
        for (Map.Entry<Long, Long> e : pathNs.entrySet()) {
            byStage.merge(stageOf.get(e.getKey()), e.getValue(), Long::sum);
        }
        if (unattributed > 0) {
            byStage.put("unattributed", unattributed);
        }
        return new CriticalPath(root.spanId(), root.startNs(), root.endNs(), traceEnd - traceStart, unattributed,
                segs, self, pathNs, stageOf, byStage);
    }

    private static String stage(Span s, Map<Long, Span> byId) {
        Span c = s;
        for (int guard = 0; c != null && guard < 64; guard++) {
            if (c.stage() != null) {
                return c.stage();
            }
            c = c.parentId() == null ? null : byId.get(c.parentId());
        }
        return "other";
    }

    private static void walk(Span span, long until, Map<Long, List<Span>> children, List<CriticalPath.Segment> out) {
        long t = Math.min(until, span.endNs());
        List<Span> kids = children.getOrDefault(span.spanId(), List.of());
        while (t > span.startNs()) {
            // the child that finished last by t (children clamped to their parent); one still running at t ran in
            // parallel with the one chosen after it and is off the path
            Span best = null;
            for (Span k : kids) {
                long end = Math.min(k.endNs(), span.endNs());
                if (k.startNs() < t && end <= t && end > span.startNs() && (best == null
                        || end > Math.min(best.endNs(), span.endNs()))) {
                    best = k;
                }
            }
            if (best == null) {
                out.add(new CriticalPath.Segment(span.spanId(), span.startNs(), t));
                return;
            }
            long bestEnd = Math.min(best.endNs(), t);
            if (bestEnd < t) {
                out.add(new CriticalPath.Segment(span.spanId(), bestEnd, t));
            }
            walk(best, bestEnd, children, out);
            t = Math.max(span.startNs(), best.startNs());
        }
    }
}
