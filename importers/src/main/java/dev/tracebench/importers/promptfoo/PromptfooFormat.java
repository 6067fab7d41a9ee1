package dev.tracebench.importers.promptfoo;

import static dev.tracebench.importers.common.JsonTree.get;
import static dev.tracebench.importers.common.JsonTree.lng;
import static dev.tracebench.importers.common.JsonTree.num;
import static dev.tracebench.importers.common.JsonTree.text;

import com.fasterxml.jackson.core.JsonParser;
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
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * promptfoo results: {@code promptfoo eval -o results.json} (an {@code OutputFile}, results version 3), the {@code
 * Eval} object of its store, and its JSON Lines output (one result per line).
 *
 * <p>One eval run per prompt and provider: that is how promptfoo itself compares (a column each in its viewer, a
 * {@code prompts[]} entry each with its own metrics), so run-vs-run comparison in Tracebench lines them up the same way.
 * Per test case one {@code overall} result (the case's success and score, its latency, cost and token usage, vars and
 * output in the metadata) and one per assertion in {@code gradingResult.componentResults} (evaluator: the assertion's
 * metric name, else its type). Nested assert-sets are not descended into: promptfoo lists their assertions again at
 * the top level. Results are kept until the file is read (up to {@value #KEPT} of them), so the runs can carry what
 * the file says after them (its promptfoo version); a damaged file keeps the results before the damage.
 */
public final class PromptfooFormat implements TraceFormat {
    public static final String ID = "promptfoo-json";
    /** The evaluator of a test case's overall verdict. */
    public static final String OVERALL = "overall";
    /** Results kept before their runs are created (see {@code State.flush}). */
    static final int KEPT = 2_000;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return "promptfoo results";
    }

    @Override
    public String expected() {
        return "promptfoo eval -o results.json: results.results[] with success, score and gradingResult per test case";
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
        boolean results = head.has("\"promptIdx\"") && (head.has("\"gradingResult\"") || head.has("\"testIdx\""));
        boolean output = head.has("\"evalId\"") && head.has("\"results\"");
        boolean evalObject = head.has("\"prompts\"") && head.has("\"testPassCount\"");
        return results || output || evalObject ? 90 : 0;
    }

    @Override
    public void read(InputStream content, IngestSession session, ReadContext context) throws IOException {
        State s = new State();
        JsonRecords.read(content, session, context.rawBytesRead(), JsonRecords.JSON_NAN, (p, where) -> {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                session.reject(where.toString(), "expected an object (promptfoo results), found "
                        + JsonRecords.describe(p.currentToken()));
                p.skipChildren();
                return;
            }
            Obj first = new Obj(where.line());
            top(p, where, session, s, first, context.fileName());
        });
        s.flush(session, context.fileName());
    }

    /** The fields of a top-level object: an output file, an Eval object, or one result (a JSON Lines line). */
    private static void top(JsonParser p, Where where, IngestSession session, State s, Obj scalars,
            String fileName) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken t = p.nextToken();
            if (key.equals("results") && t == JsonToken.START_OBJECT) {
                inner(p, where.child("results"), session, s, fileName);
            } else if (key.equals("results") && t == JsonToken.START_ARRAY) {
                eachResult(p, where.child("results"), session, s, fileName);
            } else if (t == JsonToken.START_OBJECT) {
                Obj o = new Obj(JsonRecords.lineOf(p, where));
                JsonTree.fill(p, o, where);
                scalars.put(key, o);
            } else if (t == JsonToken.START_ARRAY) {
                List<Object> a = new ArrayList<>();
                JsonTree.fill(p, a, where);
                scalars.put(key, a);
            } else {
                scalars.put(key, scalar(p));
            }
        }
        scalars.complete = true;
        s.file(scalars);
        if (scalars.containsKey("promptIdx") || scalars.containsKey("gradingResult")) {
            result(scalars, where, session, s); // a line of promptfoo's JSON Lines output
        }
    }

    private static Object scalar(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> new JsonTree.Num(p.getText(), true);
            case VALUE_NUMBER_FLOAT -> new JsonTree.Num(p.getText(), false);
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> null;
        };
    }

    /** {@code results}: version, timestamp, prompts, results[], stats. */
    private static void inner(JsonParser p, Where where, IngestSession session, State s, String fileName)
            throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken t = p.nextToken();
            if (key.equals("results") && t == JsonToken.START_ARRAY) {
                eachResult(p, where.child("results"), session, s, fileName);
            } else if (key.equals("table") && t != JsonToken.VALUE_NULL) {
                session.reject(where.child("table").toString(), "promptfoo results of version 2 (a table of "
                        + "outputs) are not read; export the eval again with a current promptfoo (results version 3)");
                p.skipChildren();
            } else if (key.equals("version")) {
                s.version = scalar(p);
                p.skipChildren();
            } else if (key.equals("timestamp") && t == JsonToken.VALUE_STRING) {
                s.timestamp = p.getText();
            } else {
                p.skipChildren();
            }
        }
    }

    private static void eachResult(JsonParser p, Where where, IngestSession session, State s, String fileName)
            throws IOException {
        JsonRecords.forEachObject(p, where, session, "test case results", (q, w) -> {
            Obj r = new Obj(w.line());
            JsonTree.fill(q, r, w);
            result(r, w, session, s);
            if (s.pending.size() >= KEPT) {
                s.flush(session, fileName);
            }
        });
    }

    /** One test case's result: its overall verdict and one per assertion. */
    private static void result(Obj r, Where where, IngestSession session, State s) {
        Object provider = r.get("provider");
        String providerId = provider instanceof Map<?, ?> ? text(get(provider, "id")) : text(provider);
        Long promptIdx = lng(r.get("promptIdx"));
        Long testIdx = lng(r.get("testIdx"));
        String promptLabel = text(get(r, "prompt", "label"));
        if (promptLabel == null || promptLabel.isBlank()) {
            promptLabel = text(get(r, "prompt", "raw"));
        }
        String runKey = promptIdx + "|" + providerId;
        s.runs.putIfAbsent(runKey, new RunInfo(providerId, promptIdx, promptLabel));
        Object vars = r.get("vars");
        String input = input(vars, r);
        String output = text(get(r, "response", "output"));
        String example = testIdx == null ? text(r.get("id")) : "test-" + testIdx;
        Object grading = r.get("gradingResult");
        Boolean success = r.get("success") instanceof Boolean b ? b : null;
        Long failure = lng(r.get("failureReason"));
        String error = text(r.get("error"));
        Map<String, Object> meta = new LinkedHashMap<>();
        put(meta, "id", r.get("id"));
        put(meta, "provider", providerId);
        put(meta, "promptIdx", r.get("promptIdx"));
        put(meta, "testIdx", r.get("testIdx"));
        put(meta, "latencyMs", r.get("latencyMs"));
        put(meta, "cost", r.get("cost"));
        put(meta, "tokenUsage", r.get("tokenUsage") != null ? r.get("tokenUsage") : get(r, "response", "tokenUsage"));
        put(meta, "namedScores", r.get("namedScores"));
        put(meta, "vars", vars);
        put(meta, "failureReason", r.get("failureReason"));
        put(meta, "error", r.get("error"));
        String explanation = text(get(grading, "reason"));
        EvalResultData overall = EvalResultData.builder(OVERALL)
                .location(where.toString())
                .exampleId(example)
                .score(num(r.get("score")))
                .passed(success)
                .label(failure != null && failure == 2 ? "error" : success == null ? null : success ? "pass" : "fail")
                .explanation(explanation != null ? explanation : error)
                .judgeInputTokens(lng(get(grading, "tokensUsed", "prompt")))
                .judgeOutputTokens(lng(get(grading, "tokensUsed", "completion")))
                .input(input)
                .output(output)
                .metadataJson(JsonTree.toJson(meta))
                .build();
        s.pending.add(new Pending(runKey, overall));
        if (!(get(grading, "componentResults") instanceof List<?> components)) {
            return;
        }
        Where cw = where.child("gradingResult").child("componentResults");
        // an assert-set's result carries no assertion: its metric is that of the test's assert-set in the same place
        List<String> setMetrics = new ArrayList<>();
        if (get(r, "testCase", "assert") instanceof List<?> asserts) {
            for (Object a : asserts) {
                if ("assert-set".equals(text(get(a, "type")))) {
                    setMetrics.add(text(get(a, "metric")));
                }
            }
        }
        int sets = 0;
        for (int j = 0; j < components.size(); j++) {
            Object c = components.get(j);
            Where w = cw.index(j);
            if (!(c instanceof Obj co)) {
                session.warn(w.toString(), "expected an object (an assertion's result), found "
                        + JsonTree.describe(c) + "; ignored");
                continue;
            }
            w = w.atLine(co.line);
            Object assertion = co.get("assertion");
            String evaluator = text(get(assertion, "metric"));
            if (evaluator == null || evaluator.isBlank()) {
                evaluator = text(get(assertion, "type"));
            }
            if ((evaluator == null || evaluator.isBlank()) && co.get("componentResults") != null) {
                String metric = sets < setMetrics.size() ? setMetrics.get(sets) : null;
                sets++;
                evaluator = metric == null || metric.isBlank() ? "assert-set" : metric;
            }
            if (evaluator == null || evaluator.isBlank()) {
                evaluator = "assertion";
            }
            Map<String, Object> cmeta = new LinkedHashMap<>();
            put(cmeta, "assertionType", get(assertion, "type"));
            put(cmeta, "assertionValue", get(assertion, "value"));
            put(cmeta, "weight", get(assertion, "weight"));
            put(cmeta, "provider", providerId);
            s.pending.add(new Pending(runKey, EvalResultData.builder(evaluator)
                    .location(w.toString())
                    .exampleId(example)
                    .score(num(co.get("score")))
                    .passed(co.get("pass") instanceof Boolean b ? b : null)
                    .label(co.get("pass") instanceof Boolean b ? b ? "pass" : "fail" : null)
                    .threshold(num(get(assertion, "threshold")))
                    .explanation(text(co.get("reason")))
                    .judgeInputTokens(lng(get(co, "tokensUsed", "prompt")))
                    .judgeOutputTokens(lng(get(co, "tokensUsed", "completion")))
                    .input(input)
                    .output(output)
                    .metadataJson(cmeta.isEmpty() ? null : JsonTree.toJson(cmeta))
                    .build()));
        }
    }

    /** The test's input: its one variable's value, all of them as JSON, or (without variables) the prompt. */
    private static String input(Object vars, Obj r) {
        if (vars instanceof Map<?, ?> m && m.size() == 1) {
            return text(m.values().iterator().next());
        }
        if (vars instanceof Map<?, ?> m && !m.isEmpty()) {
            return JsonTree.toJson(m);
        }
        return text(get(r, "prompt", "raw"));
    }

    private static void put(Map<String, Object> m, String key, Object v) {
        if (v != null) {
            m.put(key, v);
        }
    }


    private record RunInfo(String provider, Long promptIdx, String prompt) {
    }

    private record Pending(String run, EvalResultData result) {
    }

    /** What the file said so far. */
    private static final class State {
        final Map<String, RunInfo> runs = new LinkedHashMap<>();
        final List<Pending> pending = new ArrayList<>();
        final Map<String, Integer> keys = new LinkedHashMap<>();
        Obj file = new Obj(1);
        Object version;
        String timestamp;

        void file(Obj top) {
            top.forEach(file::putIfAbsent);
        }

        /**
         * Creates the runs of the results kept so far (those not created yet) and hands the results on. Called at the
         * end of the file, and every {@code KEPT} results: the stream guard must see records coming, and a big file
         * must not be held whole (its runs then carry what the file said before that point).
         */
        void flush(IngestSession session, String fileName) {
            String evalId = text(file.get("evalId") != null ? file.get("evalId") : file.get("id"));
            String tool = text(get(file, "metadata", "promptfooVersion"));
            Instant created = time(timestamp != null ? timestamp : text(get(file, "metadata", "evaluationCreatedAt")));
            if (created == null && lng(file.get("createdAt")) != null) {
                created = Instant.ofEpochMilli(lng(file.get("createdAt")));
            }
            for (Map.Entry<String, RunInfo> e : runs.entrySet()) {
                if (keys.containsKey(e.getKey())) {
                    continue;
                }
                RunInfo info = e.getValue();
                String prompt = info.prompt() == null ? "prompt " + info.promptIdx() : info.prompt();
                String name = (evalId == null ? "" : evalId + " · ") + info.provider() + " · "
                        + (prompt.length() > 60 ? prompt.substring(0, 60) + "…" : prompt);
                Map<String, Object> config = new LinkedHashMap<>();
                put(config, "evalId", evalId);
                put(config, "provider", info.provider());
                put(config, "promptIdx", info.promptIdx());
                put(config, "prompt", info.prompt());
                put(config, "resultsVersion", version);
                put(config, "description", get(file, "config", "description"));
                keys.put(e.getKey(), session.evalRun(new EvalRunData(name, ID, fileName, created,
                        JsonTree.toJson(config), tool == null ? null : "promptfoo " + tool)));
            }
            for (Pending p : pending) {
                session.evalResult(keys.get(p.run()), p.result());
            }
            pending.clear();
        }
    }

    private static Instant time(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
