package dev.tracebench.importers.evaltable;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.core.eval.EvalRunData;
import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.core.ingest.UnusableInputException;
import dev.tracebench.importers.TraceFormat;
import dev.tracebench.importers.evaltable.ColumnMapping.Target;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tables of eval results: Tracebench's own {@code evals.jsonl}, the JSON Lines or CSV files people write, Langfuse
 * score exports, Ragas results (one column per metric). Columns are recognised by the names people give them ({@link
 * ColumnMapping.Target}), or named by the user's mapping. One eval run per value of the run column ({@code source},
 * {@code run}, {@code experiment}), else one for the file.
 */
public final class EvalTableFormat implements TraceFormat {
    /** JSON Lines, or one JSON array, of flat objects. */
    public static final EvalTableFormat JSON = new EvalTableFormat(true);
    /** CSV (comma, tab or semicolon separated, with a header). */
    public static final EvalTableFormat CSV = new EvalTableFormat(false);

    private static final int PEEK = 1 << 16;
    /** The label of a result whose judge failed (a NaN score). */
    public static final String JUDGE_FAILED = "judge failed";
    private final boolean json;

    private EvalTableFormat(boolean json) {
        this.json = json;
    }

    @Override
    public String id() {
        return json ? "eval-jsonl" : "eval-csv";
    }

    @Override
    public String displayName() {
        return json ? "Eval results table (JSON)" : "Eval results table (CSV)";
    }

    @Override
    public String expected() {
        return "one row per result with an evaluator or metric name and a score, label or pass/fail, or one "
                + "column of scores per metric beside the question and answer (Ragas); name other columns with "
                + "--map, e.g. --map trace_id=TraceCol,evaluator=Metric,score=Value";
    }

    @Override
    public Yield yields() {
        return Yield.EVAL_RESULTS;
    }

    @Override
    public int sniff(Head head) {
        TableRows.Sample sample = sample(head);
        if (sample == null) {
            return 0;
        }
        // below every trace format: a table is recognised by its column names only
        return TableSchema.resolve(sample, null).recognised() ? 50 : 0;
    }

    /** The columns and first rows of the table {@code head} starts, if it is a table of this shape; else null. */
    TableRows.Sample sample(Head head) {
        String t = head.trimmed();
        if (t.isEmpty() || head.text().indexOf('\0') >= 0) {
            return null;
        }
        char first = t.charAt(0);
        boolean jsonLike = first == '{' || first == '[';
        if (jsonLike != json) {
            return null;
        }
        boolean truncated = head.bytes().length >= PEEK;
        return TableRows.sample(json ? t : head.text(), json, truncated);
    }

    @Override
    public void read(InputStream content, IngestSession session, ReadContext context) throws IOException {
        TableRows.Sample sample = sample(head(content));
        if (sample == null) {
            throw new UnusableInputException("is not " + (json ? "a JSON table (JSON Lines or an array of objects)"
                    : "a CSV table with a header") + " of eval results");
        }
        TableSchema schema;
        try {
            schema = TableSchema.resolve(sample, context.mapping());
        } catch (IllegalArgumentException e) {
            throw new UnusableInputException(e.getMessage(), e);
        }
        if (!schema.recognised()) {
            throw new UnusableInputException("is a table with the columns " + String.join(", ", schema.columns())
                    + ", but " + schema.unrecognised() + "; name the columns with a mapping, e.g. --map "
                    + "evaluator=COLUMN,score=COLUMN,trace_id=COLUMN");
        }
        Converter c = new Converter(schema, session, id(), context.fileName(), context.mapping());
        if (json) {
            TableRows.readJson(content, session, context.rawBytesRead(), c::accept);
        } else {
            TableRows.readCsv(content, session, context.rawBytesRead(), c::accept);
        }
    }

    /**
     * The columns of the table {@code head} starts (whatever their names), or null if it is no table (a JSON document
     * holding one object is not taken for one).
     */
    public static List<String> columns(Head head) {
        EvalTableFormat f = forTable(head);
        if (f == null) {
            return null;
        }
        TableRows.Sample s = f.sample(head);
        return f == JSON && s.rows().size() < 2 ? null : s.columns();
    }

    /** The format that reads a table starting with {@code head}, whatever its column names; null if it is none. */
    public static EvalTableFormat forTable(Head head) {
        for (EvalTableFormat f : List.of(JSON, CSV)) {
            if (f.sample(head) != null) {
                return f;
            }
        }
        return null;
    }

    private static Head head(InputStream in) throws IOException {
        in.mark(PEEK);
        byte[] buf = new byte[PEEK];
        int n = 0;
        int r;
        while (n < PEEK && (r = in.read(buf, n, PEEK - n)) > 0) {
            n += r;
        }
        in.reset();
        byte[] b = java.util.Arrays.copyOf(buf, n);
        return new Head(b, new String(b, StandardCharsets.UTF_8));
    }


    /** Turns rows into eval results, one run per value of the run column. */
    static final class Converter {
        private final TableSchema schema;
        private final IngestSession session;
        private final String format;
        private final String file;
        private final String config;
        private final Map<String, Integer> runs = new HashMap<>();
        private final String runColumn;

        Converter(TableSchema schema, IngestSession session, String format, String file, ColumnMapping mapping) {
            this.schema = schema;
            this.session = session;
            this.format = format;
            this.file = file;
            this.config = mapping == null ? "{}" : "{\"mapping\":" + quote(mapping.toString()) + "}";
            this.runColumn = schema.roles().get(Target.RUN);
        }

        void accept(TableRows.Row row) {
            Map<String, Object> v = row.values();
            String where = row.where().toString();
            try {
                if (schema.wide()) {
                    wide(row, v, where);
                } else {
                    String evaluator = schema.evaluator() != null ? schema.evaluator()
                            : Values.text(v.get(schema.roles().get(Target.EVALUATOR)));
                    if (evaluator == null || evaluator.isBlank()) {
                        session.reject(where, "no evaluator or metric name (column '" + schema.roles()
                                .get(Target.EVALUATOR) + "' is empty)");
                        return;
                    }
                    EvalResultData.Builder b = common(EvalResultData.builder(evaluator.strip()), v, where);
                    Double score = Values.score(get(v, Target.SCORE));
                    Boolean passed = Values.passed(get(v, Target.PASSED));
                    String label = Values.text(get(v, Target.LABEL));
                    if (score == null && passed == null && label == null) {
                        session.reject(where, "no score, label or pass/fail for " + evaluator);
                        return;
                    }
                    b.passed(passed).threshold(Values.score(get(v, Target.THRESHOLD)))
                            .explanation(Values.text(get(v, Target.EXPLANATION)));
                    session.evalResult(run(v), score(b, score, label, evaluator, where).build());
                }
            } catch (IllegalArgumentException e) {
                session.reject(where, e.getMessage());
            }
        }

        private void wide(TableRows.Row row, Map<String, Object> v, String where) {
            int n = 0;
            for (String metric : schema.metrics()) {
                Object cell = v.get(metric);
                if (cell == null) {
                    continue;
                }
                Double score;
                try {
                    score = Values.score(cell);
                } catch (IllegalArgumentException e) {
                    session.warn(where, metric + ": " + e.getMessage() + "; this metric was left out of the row");
                    continue;
                }
                EvalResultData.Builder b = common(EvalResultData.builder(metric), v, where)
                        .threshold(Values.score(get(v, Target.THRESHOLD)))
                        .explanation(Values.text(get(v, Target.EXPLANATION)));
                session.evalResult(run(v), score(b, score, null, metric, where).build());
                n++;
            }
            if (n == 0) {
                session.reject(where, "no score in any metric column (" + String.join(", ", schema.metrics()) + ")");
            }
        }

        /** NaN is a judge that failed: kept without a score (never as 0), labelled so if it has no label. */
        private EvalResultData.Builder score(EvalResultData.Builder b, Double score, String label,
                String evaluator, String where) {
            if (score != null && score.isNaN()) {
                session.warn(where, evaluator + ": the score is NaN (the judge failed); kept without a score");
                return b.score(null).label(label == null ? JUDGE_FAILED : label);
            }
            return b.score(score).label(label);
        }

        private EvalResultData.Builder common(EvalResultData.Builder b, Map<String, Object> v, String where) {
            return b.location(where)
                    .traceId(Values.text(get(v, Target.TRACE_ID)))
                    .spanId(Values.text(get(v, Target.SPAN_ID)))
                    .responseId(Values.text(get(v, Target.RESPONSE_ID)))
                    .exampleId(Values.text(get(v, Target.EXAMPLE_ID)))
                    .judgeModel(Values.text(get(v, Target.JUDGE_MODEL)))
                    .input(Values.text(get(v, Target.INPUT)))
                    .output(Values.text(get(v, Target.OUTPUT)))
                    .expected(Values.text(get(v, Target.EXPECTED)))
                    .contexts(Values.contexts(get(v, Target.CONTEXT)))
                    .timestamp(time(v, where))
                    .metadataJson(extra(v));
        }

        private java.time.Instant time(Map<String, Object> v, String where) {
            try {
                return Values.time(get(v, Target.TIMESTAMP));
            } catch (IllegalArgumentException e) {
                session.warn(where, "timestamp: " + e.getMessage() + "; kept without a time");
                return null;
            }
        }

        private Object get(Map<String, Object> v, Target t) {
            String c = schema.roles().get(t);
            return c == null ? null : v.get(c);
        }

        private int run(Map<String, Object> v) {
            String name = runColumn == null ? null : Values.text(v.get(runColumn));
            String key = name == null ? file : name;
            Integer run = runs.get(key);
            if (run == null) {
                run = session.evalRun(new EvalRunData(key, format, file, null, config, null));
                runs.put(key, run);
            }
            return run;
        }

        /** The row's other columns, as a JSON object (null if none has a value). */
        private String extra(Map<String, Object> v) {
            if (schema.extra().isEmpty()) {
                return null;
            }
            StringWriter out = new StringWriter();
            boolean any = false;
            try (JsonGenerator g = TableRows.JSON.createGenerator(out)) {
                g.writeStartObject();
                for (String c : schema.extra()) {
                    Object x = v.get(c);
                    if (x == null) {
                        continue;
                    }
                    any = true;
                    g.writeFieldName(c);
                    if (x instanceof Long l) {
                        g.writeNumber(l);
                    } else if (x instanceof Double d) {
                        g.writeNumber(d);
                    } else if (x instanceof Boolean bo) {
                        g.writeBoolean(bo);
                    } else {
                        g.writeString(Values.text(x));
                    }
                }
                g.writeEndObject();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return any ? out.toString() : null;
        }
    }

    static String quote(String s) {
        return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(s))
                + "\"";
    }
}
