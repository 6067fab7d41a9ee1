package dev.tracebench.importers.openaievals;

import static dev.tracebench.importers.common.JsonTree.get;
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
import dev.tracebench.importers.evaltable.Values;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI evals run logs ({@code oaieval}'s {@code LocalRecorder}, {@code /tmp/evallogs/<run>_<fn>_<eval>.jsonl}): a
 * {@code spec} line (the eval run), then one event per line ({@code sampling}, {@code match}, {@code metrics}, ...),
 * then the {@code final_report}. Verdicts are the {@code match} events (evaluator {@code match}: correct or not, with
 * the expected and picked answers) and the {@code metrics} events (one result per numeric or boolean metric; a
 * model-graded eval's {@code choice} is the label of its score, evaluator: the eval's base name). The sample's {@code
 * sampling} event gives the prompt and the sampled answer. Other events are not verdicts and are passed over; the
 * final report is an aggregate of the results and is not stored.
 */
public final class OpenAiEvalsLogFormat implements TraceFormat {
    public static final String ID = "openai-evals-log";
    /** Samples whose prompt and answer are remembered for their verdicts (events of a sample are close together). */
    private static final int REMEMBERED_SAMPLES = 100_000;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return "OpenAI evals log";
    }

    @Override
    public String expected() {
        return "an OpenAI evals log (oaieval's record file): a spec line, then match or metrics events per sample";
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
        if (head.has("{\"spec\":") && (head.has("\"eval_name\"") || head.has("\"completion_fns\""))) {
            return 95;
        }
        return head.has("\"run_id\"") && head.has("\"event_id\"") && head.has("\"sample_id\"") ? 90 : 0;
    }

    @Override
    public void read(InputStream content, IngestSession session, ReadContext context) throws IOException {
        Log log = new Log(session, context.fileName());
        JsonRecords.read(content, session, context.rawBytesRead(), JsonRecords.JSON_NAN, (p, where) -> {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                session.reject(where.toString(), "expected an object (a record of an OpenAI evals log), found "
                        + JsonRecords.describe(p.currentToken()));
                p.skipChildren();
                return;
            }
            Obj o = new Obj(where.line());
            JsonTree.fill(p, o, where);
            log.record(o, where);
        });
    }

    /** One log being read. */
    private static final class Log {
        private final IngestSession session;
        private final String file;
        private int run = -1;
        private String baseEval;
        private final Map<String, Sampled> sampled = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Sampled> eldest) {
                return size() > REMEMBERED_SAMPLES;
            }
        };

        Log(IngestSession session, String file) {
            this.session = session;
            this.file = file;
        }

        void record(Obj o, Where where) {
            if (o.get("spec") instanceof Map<?, ?> spec) {
                if (run >= 0) {
                    session.warn(where.toString(), "a second spec line; its events are stored with the first run's");
                    return;
                }
                startRun(spec, null);
                return;
            }
            if (o.containsKey("final_report")) {
                return;
            }
            String type = text(o.get("type"));
            if (type == null || !(o.get("data") instanceof Map<?, ?> data)) {
                session.reject(where.toString(), "not a record of an OpenAI evals log (expected a spec line, an event "
                        + "with type and data, or the final report)");
                return;
            }
            String sample = text(o.get("sample_id"));
            switch (type) {
                case "sampling" -> sampled.put(sample, new Sampled(prompt(data.get("prompt")),
                        first(data.get("sampled"))));
                case "match" -> match(o, data, sample, where);
                case "metrics" -> metrics(o, data, sample, where);
                case "error" -> session.warn(where.toString(), "the eval recorded an error for sample " + sample + ": "
                        + text(data.get("type")) + ": " + text(data.get("message")));
                default -> {
                    // embedding, cond_logp, pick_option, function_call, raw_sample, extra: not verdicts
                }
            }
        }

        private void startRun(Map<?, ?> spec, String runId) {
            String name;
            Instant created = null;
            String config = "{}";
            if (spec != null) {
                name = text(spec.get("eval_name"));
                baseEval = text(spec.get("base_eval"));
                Object fns = spec.get("completion_fns");
                if (fns instanceof List<?> l && !l.isEmpty()) {
                    name = name + " (" + String.join(", ", l.stream().map(JsonTree::text).toList()) + ")";
                }
                try {
                    created = Values.time(spec.get("created_at"));
                } catch (IllegalArgumentException e) {
                    created = null;
                }
                config = JsonTree.toJson(spec);
            } else {
                name = runId;
            }
            run = session.evalRun(new EvalRunData(name == null ? file : name, ID, file, created, config, null));
        }

        private void ensureRun(Obj o, Where where) {
            if (run < 0) {
                session.warn(where.toString(), "the log has no spec line before its events; the run is named by its "
                        + "run id");
                startRun(null, text(o.get("run_id")));
            }
        }

        private void match(Obj o, Map<?, ?> data, String sample, Where where) {
            if (!(data.get("correct") instanceof Boolean correct)) {
                session.reject(where.toString(), "a match event without correct (true or false)");
                return;
            }
            ensureRun(o, where);
            Sampled s = sampled.get(sample);
            Map<String, Object> meta = new LinkedHashMap<>();
            putIf(meta, "event_id", o.get("event_id"));
            putIf(meta, "picked", data.get("picked"));
            putIf(meta, "options", data.get("options"));
            String out = data.get("sampled") != null ? text(data.get("sampled")) : s != null ? s.sampled() : null;
            session.evalResult(run, base(o, sample, s, where, "match")
                    .score(correct ? 1.0 : 0.0)
                    .passed(correct)
                    .label(correct ? "correct" : "incorrect")
                    .output(out)
                    .expected(text(data.get("expected")))
                    .metadataJson(JsonTree.toJson(meta))
                    .build());
        }

        private void metrics(Obj o, Map<?, ?> data, String sample, Where where) {
            ensureRun(o, where);
            Sampled s = sampled.get(sample);
            if (data.get("choice") != null) {
                // a model-graded eval: the grader's choice and the score it maps to are one verdict
                String evaluator = baseEval != null ? baseEval : "model-graded";
                session.evalResult(run, base(o, sample, s, where, evaluator)
                        .score(num(data.get("score")))
                        .label(text(data.get("choice")))
                        .output(s == null ? null : s.sampled())
                        .build());
                if (data.get("metascore") instanceof Boolean meta) {
                    session.evalResult(run, base(o, sample, s, where, "metascore").passed(meta)
                            .score(meta ? 1.0 : 0.0).output(s == null ? null : s.sampled()).build());
                }
                return;
            }
            int n = 0;
            for (Map.Entry<?, ?> e : data.entrySet()) {
                Object v = e.getValue();
                Double score = v instanceof Boolean b ? Double.valueOf(b ? 1.0 : 0.0) : num(v);
                if (score == null || v instanceof String) {
                    continue;
                }
                EvalResultData.Builder b = base(o, sample, s, where, String.valueOf(e.getKey()))
                        .output(s == null ? null : s.sampled());
                if (score.isNaN()) {
                    session.warn(where.toString(), e.getKey() + ": the metric is NaN; kept without a score");
                    b.label("judge failed");
                } else {
                    b.score(score);
                }
                if (v instanceof Boolean bool) {
                    b.passed(bool);
                }
                session.evalResult(run, b.build());
                n++;
            }
            if (n == 0) {
                session.reject(where.toString(), "a metrics event without a numeric or boolean metric");
            }
        }

        private EvalResultData.Builder base(Obj o, String sample, Sampled s, Where where, String evaluator) {
            Instant at;
            try {
                at = Values.time(o.get("created_at"));
            } catch (IllegalArgumentException e) {
                at = null;
            }
            return EvalResultData.builder(evaluator).location(where.toString()).exampleId(sample).timestamp(at)
                    .input(s == null ? null : s.prompt());
        }
    }

    private record Sampled(String prompt, String sampled) {
    }

    /** A prompt as text: a chat prompt's last user message, else the prompt as it is (JSON for anything else). */
    static String prompt(Object p) {
        if (p instanceof List<?> messages) {
            for (int i = messages.size() - 1; i >= 0; i--) {
                if ("user".equals(text(get(messages.get(i), "role")))) {
                    return text(get(messages.get(i), "content"));
                }
            }
        }
        return text(p);
    }

    private static String first(Object v) {
        return v instanceof List<?> l ? l.isEmpty() ? null : text(l.get(0)) : text(v);
    }

    private static void putIf(Map<String, Object> m, String key, Object v) {
        if (v != null) {
            m.put(key, v);
        }
    }
}
