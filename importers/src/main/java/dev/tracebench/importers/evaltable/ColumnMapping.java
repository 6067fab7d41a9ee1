package dev.tracebench.importers.evaltable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which column of a table of eval results holds which field, as the user gives it ({@code --map
 * trace_id=TraceCol,score=S,label=L}, or the GUI's mapping dialog). A column named in a mapping wins over the names
 * Tracebench recognises by itself; {@code score} may name several columns ({@code score=faithfulness+relevancy}),
 * each then a metric of its own.
 */
public final class ColumnMapping {

    /** The fields of an eval result a column can hold. */
    public enum Target {
        TRACE_ID("trace_id", "trace id", "traceid", "trace"),
        SPAN_ID("span_id", "span id", "spanid", "observationid", "span", "contextspanid"),
        RESPONSE_ID("response_id", "response id (gen_ai.response.id)", "responseid", "genairesponseid"),
        EXAMPLE_ID("example_id", "example / sample id", "exampleid", "sampleid", "testcaseid", "datasetitemid",
                "itemid", "testcase"),
        EVALUATOR("evaluator", "evaluator / metric", "evaluator", "metric", "name", "metricname",
                "evaluatorname", "evaluation", "evalname", "genaievaluationname", "annotationname"),
        SCORE("score", "score", "score", "value", "scorevalue", "genaievaluationscorevalue", "resultscore"),
        LABEL("label", "label", "label", "verdict", "stringvalue", "genaievaluationscorelabel", "resultlabel"),
        PASSED("passed", "passed (pass/fail)", "passed", "pass", "success", "ispass"),
        THRESHOLD("threshold", "threshold", "threshold"),
        EXPLANATION("explanation", "explanation", "explanation", "reason", "comment", "rationale",
                "genaievaluationexplanation", "resultexplanation"),
        INPUT("input", "input / question", "input", "question", "query", "userinput", "prompt"),
        OUTPUT("output", "output / answer", "output", "response", "answer", "actualoutput", "completion"),
        EXPECTED("expected", "expected output", "expected", "expectedoutput", "reference", "groundtruth", "ideal",
                "referenceanswer"),
        CONTEXT("context", "retrieved context", "context", "contexts", "retrievedcontexts", "retrievalcontext",
                "documents"),
        TIMESTAMP("timestamp", "timestamp", "timestamp", "time", "createdat", "evaluatedat"),
        JUDGE_MODEL("judge_model", "judge model", "judgemodel", "evaluationmodel", "evaluatormodel"),
        RUN("run", "run name", "source", "run", "runname", "runid", "experiment", "experimentname");

        private final String key;
        private final String label;
        private final List<String> aliases;

        Target(String key, String label, String... aliases) {
            this.key = key;
            this.label = label;
            this.aliases = List.of(aliases);
        }

        /** The name {@code --map} takes, e.g. {@code trace_id}. */
        public String key() {
            return key;
        }

        /** A name for forms, e.g. "trace id". */
        public String label() {
            return label;
        }

        /**
         * How well {@code column} names this field without help: the position of its alias (0 best), or -1. Case,
         * underscores, dashes, dots and spaces do not count ({@code traceId}, {@code trace_id}, {@code Trace ID}).
         */
        int aliasRank(String column) {
            return aliases.indexOf(normalise(column));
        }

        public static Target byKey(String key) {
            String k = normalise(key);
            for (Target t : values()) {
                if (normalise(t.key).equals(k)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown field '" + key + "' in the column mapping (fields: "
                    + String.join(", ", keys()) + ")");
        }

        static List<String> keys() {
            List<String> out = new ArrayList<>();
            for (Target t : values()) {
                out.add(t.key);
            }
            return out;
        }
    }

    private final Map<Target, List<String>> columns;

    public ColumnMapping(Map<Target, List<String>> columns) {
        EnumMap<Target, List<String>> m = new EnumMap<>(Target.class);
        columns.forEach((t, c) -> {
            if (c != null && !c.isEmpty()) {
                m.put(t, List.copyOf(c));
            }
        });
        this.columns = Collections.unmodifiableMap(m);
    }

    /**
     * Parses {@code trace_id=TraceCol,score=S,label=L}: fields as {@code --map} names them, each with one column
     * ({@code score} with several joined by {@code +}).
     */
    public static ColumnMapping parse(String spec) {
        EnumMap<Target, List<String>> m = new EnumMap<>(Target.class);
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw new IllegalArgumentException("'" + part.strip() + "' in the column mapping is not FIELD=COLUMN"
                        + " (e.g. trace_id=TraceCol,score=S,label=L)");
            }
            Target t = Target.byKey(part.substring(0, eq).strip());
            List<String> cols = new ArrayList<>();
            for (String c : part.substring(eq + 1).split("\\+")) {
                if (!c.isBlank()) {
                    cols.add(c.strip());
                }
            }
            if (cols.size() > 1 && t != Target.SCORE) {
                throw new IllegalArgumentException("only score may name several columns (joined by '+'); "
                        + t.key + " names " + cols.size());
            }
            if (m.put(t, cols) != null) {
                throw new IllegalArgumentException(t.key + " is mapped twice in the column mapping");
            }
        }
        if (m.isEmpty()) {
            throw new IllegalArgumentException("the column mapping is empty (e.g. trace_id=TraceCol,score=S,label=L)");
        }
        return new ColumnMapping(m);
    }

    public Map<Target, List<String>> columns() {
        return columns;
    }

    public boolean isEmpty() {
        return columns.isEmpty();
    }

    /** As {@link #parse} reads it. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        columns.forEach((t, c) -> parts.add(t.key + "=" + String.join("+", c)));
        return String.join(",", parts);
    }

    static String normalise(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                sb.append(Character.toLowerCase(c));
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
