package dev.tracebench.samples;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Generates the traffic of a small fleet of LLM applications, with one planted incident ({@link Scenario}), as the
 * OpenTelemetry Collector's file exporter would have written it.
 *
 * <p>Four applications, each instrumented with a different convention as in real fleets: support-assistant (current
 * OTel GenAI names), docs-search (deprecated names), ops-agent (OpenInference) and ticket-summarizer (OpenLLMetry),
 * plus the shared llm-gateway. Requests arrive as a Poisson process whose rate follows the time of day; the gateway
 * queues more under load; stage latencies are lognormal with heavy tails. Content comes from the bundled knowledge
 * base and question bank, so evaluations have something true to check.
 *
 * <p>Streaming: one export request (a few hundred spans) is in memory at a time, whatever the number of traces. The
 * same options and seed always give the same bytes.
 */
public final class TrafficGenerator {

    public enum Format {
        OTLP_JSON("otlp-json", "traces.otlp.jsonl"),
        OTLP_PROTO("otlp-proto", "traces.otlp.pb");

        private final String id;
        private final String fileName;

        Format(String id, String fileName) {
            this.id = id;
            this.fileName = fileName;
        }

        public String id() {
            return id;
        }

        public String fileName(boolean gzip) {
            return fileName + (gzip ? ".gz" : "");
        }

        public static Format of(String name) {
            for (Format f : values()) {
                if (f.id.equalsIgnoreCase(name.trim())) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown format '" + name + "' (otlp-json, otlp-proto)");
        }
    }

    /**
     * What to generate: the scenario, how many traces, the seed, the start of the time range and its length, and
     * how many traces go into one export request.
     */
    public record Options(Scenario scenario, int traces, long seed, Instant start, long spanSeconds,
            int tracesPerRequest) {
        public Options {
            if (traces < 0) {
                throw new IllegalArgumentException("traces must be 0 or more");
            }
            if (spanSeconds <= 0) {
                throw new IllegalArgumentException("the time range must be positive");
            }
            if (tracesPerRequest <= 0) {
                throw new IllegalArgumentException("traces per request must be positive");
            }
        }

        public static Options of(Scenario scenario, int traces, long seed) {
            return new Options(scenario, traces, seed, Instant.parse("2026-11-20T08:00:00Z"),
                    Math.max(3600, Math.min(7 * 86_400L, traces * 3L)), 25);
        }
    }

    /**
     * What was written. {@code exportBatches}: the OTLP export requests (lines of the traces file) the traces were
     * batched into, as a Collector's file exporter writes them; not the applications' requests, which are the traces.
     */
    public record Summary(int traces, long spans, int exportBatches, int errorTraces, int affectedTraces, long evaluations,
            long spanEvaluations, long firstStartNs, long lastStartNs) {
    }

    private final Options options;
    private final Rand rnd;
    private final Fleet fleet;
    private final Map<String, long[]> lastTurn = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > 400;
        }
    };

    public TrafficGenerator(Options options) {
        this.options = options;
        this.rnd = new Rand(options.seed());
        long startNs = options.start().getEpochSecond() * 1_000_000_000L + options.start().getNano();
        this.fleet = new Fleet(options.scenario(), startNs, options.spanSeconds() * 1_000_000_000L);
    }

    /**
     * Writes the traces to {@code traces}, the evaluation rows (JSON Lines) to {@code evals} and the ids of the traces
     * the incident touched (one per line) to {@code affected}. Nothing is closed.
     */
    public Summary write(RequestWriter traces, Writer evals, Writer affected) throws IOException {
        long window = fleet.windowNs;
        double meanShape = meanDiurnal(fleet.startNs, window);
        double meanGapNs = options.traces() == 0 ? 0 : window / (double) options.traces() * meanShape;
        long t = fleet.startNs;
        List<GenSpan> batch = new ArrayList<>();
        int inBatch = 0;
        int requests = 0;
        long spans = 0;
        int errors = 0;
        int affectedCount = 0;
        long evalCount = 0;
        long spanEvalCount = 0;
        long first = 0;
        long last = 0;
        JsonFactory json = new JsonFactory();
        for (int i = 0; i < options.traces(); i++) {
            double shape = Fleet.diurnal(t);
            t += (long) rnd.exponential(meanGapNs / shape);
            if (i == 0) {
                first = t;
            }
            last = t;
            Req r = request(t, shape);
            spans += r.spans.size();
            for (GenSpan s : r.spans) {
                if (s.parentId == 0 && s.status == 2) {
                    errors++;
                    break;
                }
            }
            if (r.affected) {
                affectedCount++;
                affected.write(r.traceHex());
                affected.write('\n');
            }
            for (Req.EvalRow e : r.evals) {
                writeEval(json, evals, e);
                evalCount++;
            }
            spanEvalCount += r.spanEvaluations;
            batch.addAll(r.spans);
            if (++inBatch == options.tracesPerRequest()) {
                traces.write(batch);
                requests++;
                batch.clear();
                inBatch = 0;
            }
        }
        if (!batch.isEmpty()) {
            traces.write(batch);
            requests++;
        }
        return new Summary(options.traces(), spans, requests, errors, affectedCount, evalCount, spanEvalCount, first,
                last);
    }

    private Req request(long t0, double load) {
        String tenant = Fleet.TENANTS.get(rnd.weighted(Fleet.TENANT_WEIGHTS));
        // each tenant has a few dozen conversations going at a time: many requests are follow-up turns
        String session = "sess-" + tenant.substring(2, 5) + "-" + Integer.toHexString(0x1000 + rnd.nextInt(48) * 97);
        List<QuestionBank.Question> bank = QuestionBank.questions();
        QuestionBank.Question q = bank.get(rnd.nextInt(bank.size()));
        Req r = new Req(rnd, fleet, t0, tenant, session, q, Math.max(0.3, load));
        int app = rnd.weighted(Fleet.APP_MIX);
        switch (app) {
            case 0 -> SupportAssistant.generate(r);
            case 1 -> DocsSearch.generate(r);
            case 2 -> OpsAgent.generate(r);
            default -> TicketSummarizer.generate(r);
        }
        GenSpan root = r.spans.get(0);
        long[] prev = lastTurn.get(session);
        if (prev != null && app < 3) {
            root.links.add(new GenSpan.Link(prev[0], prev[1], prev[2],
                    List.of(new GenSpan.Attr("app.link.kind", "previous_turn"))));
        }
        lastTurn.put(session, new long[] {r.traceHi, r.traceLo, root.spanId});
        return r;
    }

    /** The average of the diurnal rate over [start, start + window] (numerically). */
    private static double meanDiurnal(long start, long window) {
        int steps = 2000;
        double sum = 0;
        for (int i = 0; i < steps; i++) {
            sum += Fleet.diurnal(start + (long) (window * (i + 0.5) / steps));
        }
        return sum / steps;
    }

    private static void writeEval(JsonFactory json, Writer out, Req.EvalRow e) throws IOException {
        JsonGenerator g = json.createGenerator(out);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.writeStartObject();
        g.writeStringField("trace_id", e.traceId());
        g.writeStringField("span_id", e.spanId());
        g.writeStringField("evaluator", e.evaluator());
        g.writeNumberField("score", e.score());
        g.writeStringField("label", e.label());
        g.writeBooleanField("passed", e.passed());
        if (e.threshold() != null) {
            g.writeNumberField("threshold", e.threshold());
        }
        g.writeStringField("explanation", e.explanation());
        g.writeStringField("timestamp", Instant.ofEpochSecond(0, e.timeNs()).toString());
        g.writeStringField("source", "online-evaluator");
        g.writeEndObject();
        g.flush();
        out.write('\n');
    }

    // ------------------------------------------------------------------ files

    /** The files of one generated data set. */
    public record Files(Path traces, Path truth, Path affectedIds, Path evals) {
    }

    /**
     * Writes a data set into {@code dir}: the traces ({@code traces.otlp.jsonl[.gz]} or {@code traces.otlp.pb[.gz]}),
     * {@code evals.jsonl}, {@code affected-trace-ids.txt} and {@code truth.json} (what was planted, where, and the
     * headline an analysis should reach).
     */
    public static Summary writeDirectory(Options options, Format format, boolean gzip, Path dir) throws IOException {
        java.nio.file.Files.createDirectories(dir);
        Files f = files(dir, format, gzip);
        TrafficGenerator gen = new TrafficGenerator(options);
        Summary s;
        try (OutputStream raw = java.nio.file.Files.newOutputStream(f.traces());
                OutputStream zipped = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
                OutputStream out = new BufferedOutputStream(zipped, 1 << 20);
                Writer evals = new BufferedWriter(java.nio.file.Files.newBufferedWriter(f.evals(),
                        StandardCharsets.UTF_8));
                Writer affected = java.nio.file.Files.newBufferedWriter(f.affectedIds(), StandardCharsets.UTF_8)) {
            RequestWriter writer = format == Format.OTLP_JSON ? new OtlpJsonWriter(out) : new OtlpProtoWriter(out);
            s = gen.write(writer, evals, affected);
        }
        writeTruth(f, options, format, gzip, s);
        return s;
    }

    public static Files files(Path dir, Format format, boolean gzip) {
        return new Files(dir.resolve(format.fileName(gzip)), dir.resolve("truth.json"),
                dir.resolve("affected-trace-ids.txt"), dir.resolve("evals.jsonl"));
    }

    private static void writeTruth(Files f, Options o, Format format, boolean gzip, Summary s) throws IOException {
        List<String> sample = new ArrayList<>();
        try (var lines = java.nio.file.Files.lines(f.affectedIds())) {
            lines.limit(20).forEach(sample::add);
        }
        Scenario sc = o.scenario();
        try (Writer w = java.nio.file.Files.newBufferedWriter(f.truth(), StandardCharsets.UTF_8);
                JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("scenario", sc.id());
            g.writeNumberField("seed", o.seed());
            g.writeNumberField("traces", s.traces());
            g.writeNumberField("spans", s.spans());
            g.writeNumberField("error_traces", s.errorTraces());
            g.writeNumberField("evaluations", s.evaluations());
            g.writeNumberField("span_evaluations", s.spanEvaluations());
            g.writeStringField("format", format.id() + (gzip ? "+gzip" : ""));
            g.writeStringField("traces_file", f.traces().getFileName().toString());
            g.writeStringField("evals_file", f.evals().getFileName().toString());
            g.writeStringField("first_request", Instant.ofEpochSecond(0, s.firstStartNs()).toString());
            g.writeStringField("last_request", Instant.ofEpochSecond(0, s.lastStartNs()).toString());
            g.writeObjectFieldStart("planted");
            g.writeStringField("description", description(sc));
            g.writeStringField("dimension", sc.dimension());
            g.writeStringField("value", sc.value());
            g.writeStringField("stage", sc.stage());
            g.writeStringField("cohort", sc.cohort());
            g.writeStringField("expected_headline", sc.headline());
            g.writeEndObject();
            g.writeNumberField("affected_traces", s.affectedTraces());
            g.writeStringField("affected_fraction", String.format(Locale.ROOT, "%.4f",
                    s.traces() == 0 ? 0 : s.affectedTraces() / (double) s.traces()));
            g.writeStringField("affected_trace_ids_file", f.affectedIds().getFileName().toString());
            g.writeArrayFieldStart("affected_trace_ids_sample");
            for (String id : sample) {
                g.writeString(id);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    static String description(Scenario s) {
        return switch (s) {
            case BASELINE -> "Normal traffic of the four applications; no incident.";
            case SLOW_SHARD -> "From 35% to 85% of the time range, searches of the vector collection kb-archive "
                    + "that land on shard archive-1 take about 2.5 s longer (lognormal). About 30% of "
                    + "support-assistant and docs-search requests also search kb-archive; half of those hit archive-1.";
            case MODEL_ROLLOUT -> "From 40% of the time range, 35% of gpt-4o-mini calls through the llm-gateway are "
                    + "served by the new version gpt-4o-mini-2025-01-20: first token about twice as late, about 1.6x "
                    + "slower per token, and 12% of calls fail with 503 (retried once by most clients).";
            case CACHE_REGRESSION -> "At 50% of the time range support-assistant 2.15.0 is deployed: the embedding "
                    + "cache hit rate falls from 35% to 3% and the response cache hit rate from 20% to 2%.";
            case PROMPT_BLOAT -> "From 30% of the time range, 40% of support-assistant requests render prompt "
                    + "template v8 (instead of v7), whose few-shot examples double the input tokens and the cost.";
            case HALLUCINATION_SPIKE -> "From 45% to 95% of the time range, vector searches for tenant t-initech "
                    + "return no documents (a broken tenant filter); the model answers anyway, from memory, and the "
                    + "answers are not grounded (groundedness labels them hallucinated; unanswerable questions are "
                    + "still answered \"the documentation does not say\", which is grounded).";
            case TENANT_MODEL -> "From 40% of the time range, 35% of gpt-4o-mini calls through the llm-gateway are "
                    + "served by gpt-4o-mini-2025-01-20. It is as fast and reliable as the old version for every "
                    + "tenant but t-globex, whose calls on it take about four times as long to the first token and "
                    + "three times as long per token. Neither the tenant nor the version alone explains the slow requests.";
            case DEMO -> "A slow kb-archive shard (archive-1) from 15% to 45% of the time range, then from 60% a "
                    + "slower, failing model version (gpt-4o-mini-2025-01-20) for 35% of gateway calls.";
        };
    }
}
