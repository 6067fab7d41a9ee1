package dev.tracebench.app.cli;

import dev.tracebench.core.eval.EvalExample;
import dev.tracebench.core.eval.EvalResult;
import dev.tracebench.core.eval.EvalRun;
import dev.tracebench.core.eval.MetricSummary;
import dev.tracebench.core.eval.RunComparison;
import dev.tracebench.core.report.Secrets;
import dev.tracebench.core.report.Table;
import dev.tracebench.core.report.TableWriter;
import java.io.IOException;
import java.io.Writer;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The tables of the eval commands ({@code evals}, {@code eval show}, {@code eval compare}), and their output as named
 * sections. Every text cell is masked ({@link Secrets#maskText}): eval files carry prompts, answers and configurations.
 */
final class EvalTables {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private EvalTables() {
    }

    static Table runs(List<EvalRun> runs) {
        List<List<Object>> rows = new ArrayList<>();
        for (EvalRun r : runs) {
            rows.add(row(r.id(), r.name(), r.sourceFormat(), r.file(), r.created() == null ? null
                    : TIME.format(r.created()), r.results(), r.linked(), String.join(",", r.evaluators())));
        }
        return masked(new Table(List.of("run_id", "name", "format", "file", "created", "results", "linked",
                "evaluators"), rows));
    }

    static Table metrics(List<MetricSummary> metrics) {
        List<List<Object>> rows = new ArrayList<>();
        for (MetricSummary m : metrics) {
            StringBuilder labels = new StringBuilder();
            m.labels().forEach((k, v) -> labels.append(labels.length() == 0 ? "" : ", ").append(k).append(' ')
                    .append(v));
            rows.add(row(m.evaluator(), m.count(), m.passed(), m.failed(), round(m.passRate()), round(m.mean()),
                    m.mean() == null ? null : round(m.min()), m.mean() == null ? null : round(m.max()),
                    labels.toString()));
        }
        return masked(new Table(List.of("evaluator", "results", "passed", "failed", "pass_rate", "mean", "min", "max",
                "labels"), rows));
    }

    static Table examples(List<EvalExample> examples) {
        List<List<Object>> rows = new ArrayList<>();
        for (EvalExample e : examples) {
            StringBuilder verdicts = new StringBuilder();
            StringBuilder why = new StringBuilder();
            for (EvalResult r : e.verdicts()) {
                verdicts.append(verdicts.length() == 0 ? "" : "; ").append(verdict(r));
                if (r.explanation() != null && !r.explanation().isBlank()) {
                    why.append(why.length() == 0 ? "" : "; ").append(r.evaluator()).append(": ")
                            .append(r.explanation());
                }
            }
            rows.add(row(e.key(), e.traceId() == null ? null : e.traceId().hex(), e.question(), e.answer(),
                    verdicts.toString(), why.toString(), String.join(" | ", e.unsupported()),
                    String.join(" | ", e.contexts())));
        }
        return masked(new Table(List.of("example", "trace_id", "question", "answer", "verdicts", "explanation",
                "unsupported_claims", "contexts"), rows));
    }

    /** "groundedness 0.2 hallucinated fail". */
    static String verdict(EvalResult r) {
        StringBuilder sb = new StringBuilder(r.evaluator());
        if (r.score() != null) {
            sb.append(' ').append(r.score().isNaN() ? "judge failed" : String.valueOf(round(r.score())));
        }
        if (r.label() != null) {
            sb.append(' ').append(r.label());
        }
        Boolean v = r.verdict();
        if (v != null) {
            sb.append(v ? " pass" : " fail");
        }
        return sb.toString();
    }

    static Table deltas(RunComparison c) {
        List<List<Object>> rows = new ArrayList<>();
        for (RunComparison.MetricDelta d : c.metrics()) {
            boolean scored = d.meanA() != null && d.meanB() != null;
            rows.add(row(d.evaluator(), d.paired(), round(d.meanA()), round(d.meanB()), scored ? round(d.delta())
                    : null, scored ? round(d.ciLow()) : null, scored ? round(d.ciHigh()) : null,
                    scored ? d.significant() : null, round(d.passRateA()), round(d.passRateB())));
        }
        return masked(new Table(List.of("evaluator", "paired", "mean_a", "mean_b", "delta", "ci95_low", "ci95_high",
                "significant", "pass_rate_a", "pass_rate_b"), rows));
    }

    static Table changes(List<RunComparison.ExampleChange> changes, int limit) {
        List<List<Object>> rows = new ArrayList<>();
        for (RunComparison.ExampleChange ch : changes.subList(0, Math.min(limit, changes.size()))) {
            rows.add(row(ch.key(), ch.evaluator(), round(ch.scoreA()), round(ch.scoreB()), ch.labelA(), ch.labelB()));
        }
        return masked(new Table(List.of("example", "evaluator", "score_a", "score_b", "label_a", "label_b"), rows));
    }

    /**
     * Writes named tables: as text each under its title, as CSV one after the other separated by an empty line, as
     * JSON one object with an array per name.
     */
    static void writeSections(TableWriter writer, Map<String, Table> sections, Writer out) throws IOException {
        boolean first = true;
        if (writer == TableWriter.JSON) {
            out.write("{\n");
        }
        for (Map.Entry<String, Table> s : sections.entrySet()) {
            switch (writer) {
                case TABLE -> {
                    out.write((first ? "" : "\n") + s.getKey() + "\n");
                    writer.write(s.getValue(), out);
                }
                case CSV -> {
                    out.write(first ? "" : "\r\n");
                    writer.write(s.getValue(), out);
                }
                case JSON -> {
                    out.write((first ? "" : ",\n") + "\"" + s.getKey() + "\" : ");
                    String json = writer.render(s.getValue());
                    out.write(json.stripTrailing());
                }
            }
            first = false;
        }
        if (writer == TableWriter.JSON) {
            out.write("\n}\n");
        }
    }

    static List<Object> row(Object... values) {
        return new ArrayList<>(java.util.Arrays.asList(values));
    }

    static Double round(Double d) {
        return d == null || d.isNaN() ? null : Math.round(d * 1000) / 1000.0;
    }

    static Table masked(Table t) {
        List<List<Object>> rows = new ArrayList<>(t.rows().size());
        for (List<Object> r : t.rows()) {
            List<Object> m = new ArrayList<>(r.size());
            for (Object v : r) {
                m.add(v instanceof String s ? Secrets.maskText(s) : v);
            }
            rows.add(m);
        }
        return new Table(t.columns(), rows);
    }
}
