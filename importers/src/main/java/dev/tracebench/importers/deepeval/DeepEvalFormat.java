package dev.tracebench.importers.deepeval;

import static dev.tracebench.importers.common.JsonTree.get;
import static dev.tracebench.importers.common.JsonTree.lng;
import static dev.tracebench.importers.common.JsonTree.num;
import static dev.tracebench.importers.common.JsonTree.text;

import com.fasterxml.jackson.core.JsonToken;
import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.core.eval.EvalRunData;
import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.importers.TraceFormat;
import dev.tracebench.importers.common.JsonRecords;
import dev.tracebench.importers.common.JsonTree;
import dev.tracebench.importers.common.JsonTree.Obj;
import dev.tracebench.importers.common.Where;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DeepEval test runs ({@code .deepeval/.latest_run_full.json}, {@code test_run_<time>.json}): one eval run per file;
 * per test case one result per entry of its {@code metricsData} (threshold, success, score, reason, the judge model and
 * its cost and tokens) with the case's input, actual and expected output and retrieval context; and one per metric on
 * the spans of the case's trace ({@code trace.llmSpans[].metricsData}, ...), with the span's own input and output. The
 * trace's own {@code metricsData} repeats the case's (DeepEval's {@code metricsScores} counts them once) and is read
 * only for a case without metrics of its own. DeepEval span ids are UUIDs, not OpenTelemetry ids: they are kept in
 * the metadata. A metric with an {@code error} is kept without a score (the judge failed) and warned about.
 */
public final class DeepEvalFormat implements TraceFormat {
    public static final String ID = "deepeval-json";
    /** Results kept before the run is created (see {@code Run}). */
    static final int KEPT = 2_000;
    private static final List<String> SPAN_KINDS = List.of("baseSpans", "agentSpans", "llmSpans", "retrieverSpans",
            "toolSpans");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return "DeepEval test run";
    }

    @Override
    public String expected() {
        return "a DeepEval test run (testCases[] with metricsData[] per case), as deepeval test run writes it";
    }

    @Override
    public Yield yields() {
        return Yield.EVAL_RESULTS;
    }

    @Override
    public int sniff(Head head) {
        String t = head.trimmed();
        if (t.isEmpty() || t.charAt(0) != '{') {
            return 0;
        }
        return head.has("\"testCases\"") && (head.has("\"metricsData\"") || head.has("\"conversationalTestCases\""))
                ? 95 : 0;
    }

    @Override
    public void read(InputStream content, IngestSession session, ReadContext context) throws IOException {
        JsonRecords.read(content, session, context.rawBytesRead(), JsonRecords.JSON_NAN, (p, where) -> {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                session.reject(where.toString(), "expected an object (a DeepEval test run), found "
                        + JsonRecords.describe(p.currentToken()));
                p.skipChildren();
                return;
            }
            new Run(session, context.fileName(), where.line()).read(p, where);
        });
    }

    /**
     * One test run, read test case by test case. Results are kept until the file ends (up to {@value #KEPT}), so the
     * run carries what the file says after its cases (counts, cost, hyperparameters); a damaged file keeps the
     * complete test cases read before the damage.
     */
    private static final class Run {
        private final IngestSession session;
        private final String file;
        private final Obj doc;
        private final List<EvalResultData> pending = new ArrayList<>();
        private int run = -1;

        Run(IngestSession session, String file, long line) {
            this.session = session;
            this.file = file;
            this.doc = new Obj(line);
        }

        void read(com.fasterxml.jackson.core.JsonParser p, Where where) throws IOException {
            try {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonToken t = p.nextToken();
                    if ((key.equals("testCases") || key.equals("conversationalTestCases"))
                            && t == JsonToken.START_ARRAY) {
                        JsonRecords.forEachObject(p, where.child(key), session, "test cases", (q, w) -> {
                            Obj c = new Obj(w.line());
                            JsonTree.fill(q, c, w);
                            testCase(c, w, session, pending);
                            if (pending.size() >= KEPT) {
                                flush();
                            }
                        });
                    } else if (t == JsonToken.START_OBJECT) {
                        Obj o = new Obj(JsonRecords.lineOf(p, where));
                        JsonTree.fill(p, o, where);
                        doc.put(key, o);
                    } else if (t == JsonToken.START_ARRAY) {
                        List<Object> a = new ArrayList<>();
                        JsonTree.fill(p, a, where);
                        doc.put(key, a);
                    } else {
                        doc.put(key, t.isNumeric() ? new JsonTree.Num(p.getText(), t == JsonToken.VALUE_NUMBER_INT)
                                : t == JsonToken.VALUE_STRING ? p.getText() : t == JsonToken.VALUE_TRUE ? Boolean.TRUE
                                : t == JsonToken.VALUE_FALSE ? Boolean.FALSE : null);
                    }
                }
            } finally {
                flush();
            }
        }

        private void flush() {
            if (pending.isEmpty()) {
                return;
            }
            if (run < 0) {
                run = session.evalRun(runOf(doc, file));
            }
            for (EvalResultData r : pending) {
                session.evalResult(run, r);
            }
            pending.clear();
        }
    }

    private static EvalRunData runOf(Obj doc, String file) {
        Map<String, Object> config = new LinkedHashMap<>();
        for (String k : List.of("hyperparameters", "testPassed", "testFailed", "runDuration", "evaluationCost",
                "identifier", "testFile")) {
            if (doc.get(k) != null) {
                config.put(k, doc.get(k));
            }
        }
        String name = text(doc.get("identifier"));
        if (name == null) {
            name = text(doc.get("testFile"));
        }
        return new EvalRunData(name == null ? file : name, ID, file, null, JsonTree.toJson(config), null);
    }

    private static void testCase(Obj c, Where w, IngestSession session, List<EvalResultData> out) {
        String example = text(c.get("name"));
        if (example == null) {
            example = text(c.get("order"));
        }
        Case k = new Case(example, text(c.get("input")) != null ? text(c.get("input")) : text(c.get("scenario")),
                text(c.get("actualOutput")), text(c.get("expectedOutput")) != null ? text(c.get("expectedOutput"))
                : text(c.get("expectedOutcome")), strings(c.get("retrievalContext") != null
                ? c.get("retrievalContext") : c.get("context")));
        Object own = c.get("metricsData");
        Object trace = c.get("trace");
        if (own instanceof List<?> l && !l.isEmpty()) {
            metrics(own, w.child("metricsData"), session, out, k, null);
        } else if (get(trace, "metricsData") instanceof List<?>) {
            metrics(get(trace, "metricsData"), w.child("trace").child("metricsData"), session, out, k, null);
        }
        if (!(trace instanceof Map<?, ?>)) {
            return;
        }
        for (String kind : SPAN_KINDS) {
            if (!(get(trace, kind) instanceof List<?> spans)) {
                continue;
            }
            for (int i = 0; i < spans.size(); i++) {
                if (!(spans.get(i) instanceof Obj span) || !(span.get("metricsData") instanceof List<?>)) {
                    continue;
                }
                Where sw = w.child("trace").child(kind).index(i).atLine(span.line);
                Case sk = new Case(example, text(span.get("input")), text(span.get("output")), k.expected(),
                        strings(span.get("retrievalContext")));
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("deepevalSpan", span.get("uuid"));
                meta.put("spanName", span.get("name"));
                meta.put("spanType", span.get("type"));
                metrics(span.get("metricsData"), sw.child("metricsData"), session, out, sk, meta);
            }
        }
    }

    private record Case(String example, String input, String output, String expected, List<String> contexts) {
    }

    /** The results of a list of metrics ({@code metricsData}) into {@code out}; problems go to the session. */
    private static void metrics(Object list, Where w, IngestSession session, List<EvalResultData> out, Case k,
            Map<String, Object> spanMeta) {
        List<?> l = (List<?>) list;
        for (int j = 0; j < l.size(); j++) {
            Where mw = w.index(j);
            if (!(l.get(j) instanceof Obj m)) {
                session.reject(mw.toString(), "expected an object (a metric's result), found "
                        + JsonTree.describe(l.get(j)));
                continue;
            }
            mw = mw.atLine(m.line);
            String name = text(m.get("name"));
            if (name == null || name.isBlank()) {
                session.reject(mw.toString(), "the metric has no name");
                continue;
            }
            Double score = num(m.get("score"));
            String error = text(m.get("error"));
            String label = m.get("success") instanceof Boolean b ? b ? "pass" : "fail" : null;
            if (score != null && score.isNaN() || error != null) {
                session.warn(mw.toString(), name + ": the judge failed" + (error == null ? " (score NaN)"
                        : ": " + error) + "; kept without a score");
                score = null;
                label = "judge failed";
            }
            Map<String, Object> meta = new LinkedHashMap<>();
            if (spanMeta != null) {
                meta.putAll(spanMeta);
            }
            for (String key : List.of("strictMode", "verboseLogs", "error")) {
                if (m.get(key) != null) {
                    meta.put(key, m.get(key));
                }
            }
            out.add(EvalResultData.builder(name)
                    .location(mw.toString())
                    .exampleId(k.example())
                    .score(score)
                    .passed(m.get("success") instanceof Boolean b ? b : null)
                    .label(label)
                    .threshold(num(m.get("threshold")))
                    .explanation(text(m.get("reason")) != null ? text(m.get("reason")) : error)
                    .judgeModel(text(m.get("evaluationModel")))
                    .judgeCost(num(m.get("evaluationCost")))
                    .judgeInputTokens(lng(m.get("inputTokenCount")))
                    .judgeOutputTokens(lng(m.get("outputTokenCount")))
                    .input(k.input())
                    .output(k.output())
                    .expected(k.expected())
                    .contexts(k.contexts())
                    .metadataJson(meta.isEmpty() ? null : JsonTree.toJson(meta))
                    .build());
        }
    }

    private static List<String> strings(Object v) {
        if (!(v instanceof List<?> l)) {
            return List.of();
        }
        List<String> out = new ArrayList<>(l.size());
        for (Object o : l) {
            if (o != null) {
                out.add(text(o));
            }
        }
        return out;
    }

}
