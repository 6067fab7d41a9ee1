package dev.tracebench.importers.spanevals;

import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.core.json.JsonTree;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.model.Ids;
import dev.tracebench.core.model.SpanData;
import dev.tracebench.core.model.SpanEventData;
import dev.tracebench.core.model.SpanLinkData;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.importers.evaltable.EvalTableFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Eval results that arrive inside trace files, read off one span (the span itself is stored unchanged, its events
 * included):
 *
 * <ul>
 * <li><b>OpenTelemetry GenAI</b> {@code gen_ai.evaluation.result} span events (semantic conventions v1.38+,
 * {@code docs/gen-ai/gen-ai-events.md}): {@code gen_ai.evaluation.name} (required), {@code
 * gen_ai.evaluation.score.value}, {@code gen_ai.evaluation.score.label}, {@code gen_ai.evaluation.explanation},
 * {@code gen_ai.response.id}, {@code error.type}. The event is parented to the span it judges.</li>
 * <li><b>OpenInference</b> feedback attributes ({@code spec/annotations.md}): {@code
 * evaluations.<i>.evaluation.<field>} and {@code annotations.<i>.annotation.<field>} (fields {@code name}, {@code
 * score}, {@code label}, {@code explanation}, {@code annotator_kind}, {@code identifier}, {@code metadata}) judge a
 * span; with the prefix {@code trace.} they judge the span's trace, with {@code session.} the session named by the
 * span's {@code session.id} (kept, linked to no trace: a session is not one trace). Also Arize's and Phoenix's
 * evaluation columns written as attributes, {@code eval.<name>.label|score|explanation}.</li>
 * </ul>
 *
 * <p>Whom a result judges: the span carrying it, unless that span is a post-hoc carrier, an OpenInference {@code
 * EVALUATOR} span with exactly one link (the spec: "all evaluations on that span apply to the linked target"); then
 * the linked span. The GenAI event rides on such a carrier when the judged span had ended, so the same rule applies.
 */
public final class SpanEvaluations {

    /** The conventions read here; each gets its own eval run per file. */
    public enum Convention {
        OTEL_EVENTS("otel-genai-events", "span evaluations"),
        OPENINFERENCE("openinference", "OpenInference evaluations");

        /** The run's source format. */
        public final String id;
        /** What the run is called after the file name. */
        public final String runSuffix;

        Convention(String id, String runSuffix) {
            this.id = id;
            this.runSuffix = runSuffix;
        }
    }

    /** A result read and the convention it came in. */
    public record Found(Convention convention, EvalResultData result) {
    }

    /** Where problems go: a location and a reason (the caller's session warns). */
    public interface Warnings {
        void warn(String location, String reason);
    }

    public static final String EVENT = "gen_ai.evaluation.result";
    private static final String NAME = "gen_ai.evaluation.name";
    private static final String SCORE = "gen_ai.evaluation.score.value";
    private static final String LABEL = "gen_ai.evaluation.score.label";
    private static final String EXPLANATION = "gen_ai.evaluation.explanation";
    private static final String RESPONSE_ID = "gen_ai.response.id";
    private static final String ERROR_TYPE = "error.type";
    /** The label eval tables give a result whose judge failed. */
    private static final String JUDGE_FAILED = EvalTableFormat.JUDGE_FAILED;

    /** {@code [trace.|session.]evaluations.N.evaluation.FIELD} or the {@code annotations} equivalent. */
    private static final Pattern OPENINFERENCE = Pattern.compile(
            "(trace\\.|session\\.)?(?:evaluations\\.(\\d+)\\.evaluation|annotations\\.(\\d+)\\.annotation)\\."
                    + "(name|score|label|explanation|annotator_kind|identifier|metadata)");
    /** Arize's {@code eval.<name>.label|score|explanation} (its SDK's EVAL_COLUMN_PATTERN: names without dots). */
    private static final Pattern ARIZE = Pattern.compile("eval\\.([^.]+)\\.(label|score|explanation)");

    private SpanEvaluations() {
    }

    /** The eval results on {@code span}, in the order they appear; problems go to {@code warnings}. */
    public static List<Found> read(SpanData span, Warnings warnings) {
        List<Found> out = new ArrayList<>(0);
        List<SpanEventData> events = span.events();
        for (int i = 0; i < events.size(); i++) {
            SpanEventData e = events.get(i);
            if (EVENT.equals(e.name())) {
                Found f = event(span, e, span.source() + ", events[" + i + "] (" + EVENT + ")", warnings);
                if (f != null) {
                    out.add(f);
                }
            }
        }
        Map<String, Map<String, Attribute>> groups = null;
        for (Attribute a : span.attributes()) {
            String k = a.key();
            if (k.length() < 8 || "aest".indexOf(k.charAt(0)) < 0) {
                continue; // most attributes: no look at the patterns
            }
            String group = null;
            String field = null;
            Matcher m;
            if (k.startsWith("eval.") && (m = ARIZE.matcher(k)).matches()) {
                group = "eval." + m.group(1);
                field = m.group(2);
            } else if ((k.contains("evaluations.") || k.contains("annotations."))
                    && (m = OPENINFERENCE.matcher(k)).matches()) {
                String scope = m.group(1) == null ? "" : m.group(1);
                group = m.group(2) != null ? scope + "evaluations." + m.group(2) : scope + "annotations." + m.group(3);
                field = m.group(4);
            }
            if (group != null) {
                if (groups == null) {
                    groups = new TreeMap<>();
                }
                groups.computeIfAbsent(group, g -> new LinkedHashMap<>()).put(field, a);
            }
        }
        if (groups != null) {
            for (Map.Entry<String, Map<String, Attribute>> g : groups.entrySet()) {
                Found f = feedback(span, g.getKey(), g.getValue(), warnings);
                if (f != null) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    /** The span a result on {@code span} judges: the one link of an EVALUATOR span, else the span itself. */
    private record Target(TraceId trace, long span) {
    }

    private static Target target(SpanData span) {
        if (span.links().size() == 1 && "EVALUATOR".equals(text(find(span.attributes(), "openinference.span.kind")))) {
            SpanLinkData l = span.links().get(0);
            return new Target(l.traceId(), l.spanId());
        }
        return new Target(span.traceId(), span.spanId());
    }

    private static Found event(SpanData span, SpanEventData e, String where, Warnings warnings) {
        String name = text(find(e.attributes(), NAME));
        if (name == null || name.isBlank()) {
            warnings.warn(where, "the event has no " + NAME + " (required), so it is not read as an eval result; it "
                    + "is kept as a span event");
            return null;
        }
        Target t = target(span);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("convention", Convention.OTEL_EVENTS.id);
        String label = null;
        String explanation = null;
        Double score = null;
        String responseId = null;
        String error = null;
        for (Attribute a : e.attributes()) {
            switch (a.key()) {
                case NAME -> { }
                case SCORE -> score = number(a, where, warnings);
                case LABEL -> label = text(a.value());
                case EXPLANATION -> explanation = text(a.value());
                case RESPONSE_ID -> responseId = text(a.value());
                case ERROR_TYPE -> error = text(a.value());
                default -> meta.put(a.key(), JsonTree.of(a.value()));
            }
        }
        String traceId = t.trace().hex();
        String spanId = Ids.spanHex(t.span());
        if (t.span() == span.spanId()) {
            String own = text(find(span.attributes(), RESPONSE_ID));
            if (responseId == null) {
                responseId = own;
            } else if (own != null && !own.equals(responseId)) {
                // the event names another model call than the one it rides on (a judge's own call, say): the
                // spec's "set gen_ai.response.id when span id is not available"; the store links it by that id
                traceId = null;
                spanId = null;
            }
        }
        if (error != null) {
            meta.put(ERROR_TYPE, error);
            label = label != null ? label : JUDGE_FAILED;
            explanation = explanation != null ? explanation : "the evaluation failed: " + error;
        }
        if (score != null && score.isNaN()) {
            score = null;
            label = label != null ? label : JUDGE_FAILED;
        }
        EvalResultData r = EvalResultData.builder(name.strip()).location(where).traceId(traceId)
                .spanId(spanId).responseId(responseId).score(score).label(label)
                .passed(verdict(label)).explanation(explanation)
                .timestamp(e.timeNs() > 0 ? Instant.ofEpochSecond(0, e.timeNs()) : null)
                .metadataJson(JsonTree.write(meta)).build();
        return new Found(Convention.OTEL_EVENTS, r);
    }

    /** One OpenInference (or Arize) feedback object: {@code group} is its prefix, {@code fields} its attributes. */
    private static Found feedback(SpanData span, String group, Map<String, Attribute> fields, Warnings warnings) {
        String where = span.source() + ", attributes " + group + ".*";
        boolean arize = group.startsWith("eval.");
        String name = arize ? group.substring(5) : text(value(fields.get("name")));
        if (name == null || name.isBlank()) {
            warnings.warn(where, "the evaluation has no name (required), so it is not read as an eval result; the "
                    + "attributes are kept");
            return null;
        }
        Attribute scoreAttr = fields.get("score");
        Double score = scoreAttr == null ? null : number(scoreAttr, where, warnings);
        String label = text(value(fields.get("label")));
        if (score != null && score.isNaN()) {
            score = null;
            label = label != null ? label : JUDGE_FAILED;
        }
        String explanation = text(value(fields.get("explanation")));
        if (scoreAttr == null && label == null && explanation == null) {
            warnings.warn(where, "the evaluation '" + name + "' has no score, label or explanation (one is required), "
                    + "so it is not read as an eval result; the attributes are kept");
            return null;
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("convention", arize ? "arize-eval-attributes" : Convention.OPENINFERENCE.id);
        Target t = target(span);
        String traceId = t.trace().hex();
        String spanId = Ids.spanHex(t.span());
        if (group.startsWith("trace.")) {
            meta.put("scope", "trace");
            spanId = null;
        } else if (group.startsWith("session.")) {
            // a session spans traces: the result judges none of them alone, so it links to none
            meta.put("scope", "session");
            meta.put("session.id", text(find(span.attributes(), "session.id")));
            traceId = null;
            spanId = null;
        }
        for (String f : List.of("annotator_kind", "identifier", "metadata")) {
            AttributeValue v = value(fields.get(f));
            if (v != null) {
                meta.put(f, JsonTree.of(v));
            }
        }
        EvalResultData r = EvalResultData.builder(name.strip()).location(where).traceId(traceId).spanId(spanId)
                .responseId(spanId != null && t.span() == span.spanId() ? text(find(span.attributes(), RESPONSE_ID))
                        : null)
                .score(score).label(label).passed(verdict(label)).explanation(explanation)
                .metadataJson(JsonTree.write(meta)).build();
        return new Found(Convention.OPENINFERENCE, r);
    }

    /**
     * A score: an int or double attribute, or text holding a number (Zipkin and Jaeger tags are often text). Anything
     * else is a warning and no score. NaN (pandas' missing value) is a judge that failed: a warning, and the caller
     * keeps the result without a score, labelled as eval tables label it.
     */
    private static Double number(Attribute a, String where, Warnings warnings) {
        AttributeValue v = a.value();
        Double d = null;
        if (v instanceof AttributeValue.Dbl x) {
            d = x.value();
        } else if (v instanceof AttributeValue.Int x) {
            d = (double) x.value();
        } else if (v instanceof AttributeValue.Str s) {
            try {
                d = Double.parseDouble(s.value().strip());
            } catch (NumberFormatException e) {
                d = null;
            }
        }
        if (d != null && d.isNaN()) {
            warnings.warn(where, a.key() + " is NaN: the judge failed; the eval result is kept without a score, "
                    + "labelled '" + JUDGE_FAILED + "'");
            return d;
        }
        if (d == null || d.isInfinite()) {
            String shown = v.display();
            shown = shown.length() > 60 ? shown.substring(0, 57) + "..." : shown;
            warnings.warn(where, a.key() + " is " + (v instanceof AttributeValue.Str ? "'" + shown + "'" : v.typeName()
                    + " " + shown) + ", not a number; the eval result is kept without a score");
            return null;
        }
        return d;
    }

    /** pass/fail when the label is a verdict by itself ({@code pass}, {@code fail}); else none. */
    private static Boolean verdict(String label) {
        if (label == null) {
            return null;
        }
        return switch (label.strip().toLowerCase(Locale.ROOT)) {
            case "pass", "passed" -> Boolean.TRUE;
            case "fail", "failed" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static AttributeValue find(List<Attribute> attrs, String key) {
        for (Attribute a : attrs) {
            if (a.key().equals(key)) {
                return a.value();
            }
        }
        return null;
    }

    private static AttributeValue value(Attribute a) {
        return a == null ? null : a.value();
    }

    /** A value as text (null for none or an empty string). */
    private static String text(AttributeValue v) {
        if (v == null || v instanceof AttributeValue.Empty) {
            return null;
        }
        String s = v.display();
        return s.isEmpty() ? null : s;
    }
}
