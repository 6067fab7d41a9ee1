package dev.tracebench.samples;

import java.util.ArrayList;
import java.util.List;

/** One request being generated: its trace, who sent it, what was asked, and the spans and evaluations so far. */
final class Req {
    /**
     * One evaluation result, as written to evals.jsonl and as a gen_ai.evaluation.result span event. {@code passed}:
     * the verdict; {@code threshold}: the score a pass needs, for scores where higher is better (null otherwise).
     */
    record EvalRow(String traceId, String spanId, String evaluator, double score, String label, boolean passed,
            Double threshold, String explanation, long timeNs) {
    }

    /** One retrieved passage with its similarity score. */
    record Doc(String id, double score) {
    }

    final Rand rnd;
    final Fleet fleet;
    final long t0;
    final long traceHi;
    final long traceLo;
    final String tenant;
    final String session;
    final QuestionBank.Question question;
    final double load;
    final List<GenSpan> spans = new ArrayList<>();
    final List<EvalRow> evals = new ArrayList<>();
    /** Set when the scenario's incident touched this request. */
    boolean affected;
    /** Whether the final answer was grounded in retrieved passages (drives the evaluations). */
    boolean grounded = true;

    Req(Rand rnd, Fleet fleet, long t0, String tenant, String session, QuestionBank.Question question, double load) {
        this.rnd = rnd;
        this.fleet = fleet;
        this.t0 = t0;
        this.traceHi = rnd.nextLong();
        this.traceLo = rnd.nonZeroLong();
        this.tenant = tenant;
        this.session = session;
        this.question = question;
        this.load = load;
    }

    /** A new span; {@code parent} null makes the root. Starts at {@code start}, ends {@code durNs} later. */
    GenSpan span(GenSpan parent, String name, int kind, String service, String scope, String scopeVersion,
            long start, long durNs) {
        GenSpan s = new GenSpan();
        s.traceHi = traceHi;
        s.traceLo = traceLo;
        s.spanId = rnd.nonZeroLong();
        s.parentId = parent == null ? 0 : parent.spanId;
        s.name = name;
        s.kind = kind;
        s.service = service;
        s.serviceVersion = service.equals(Fleet.SUPPORT) ? fleet.supportVersion(t0) : Fleet.version(service);
        s.scope = scope;
        s.scopeVersion = scopeVersion;
        s.startNs = start;
        s.endNs = start + durNs;
        spans.add(s);
        return s;
    }

    /** Like {@link #span} in the parent's service. */
    GenSpan child(GenSpan parent, String name, int kind, String scope, String scopeVersion, long start, long durNs) {
        return span(parent, name, kind, parent.service, scope, scopeVersion, start, durNs);
    }

    /**
     * The passages a vector search returns for the question: the answering passages first (for an answerable
     * question), then others with falling scores; weak matches only for an unanswerable one.
     */
    List<Doc> retrieve(int topK) {
        List<Doc> out = new ArrayList<>();
        double score = question.answerable() ? rnd.uniform(0.82, 0.93) : rnd.uniform(0.42, 0.55);
        for (String id : question.passageIds()) {
            out.add(new Doc(id, round3(score)));
            score -= rnd.uniform(0.01, 0.04);
        }
        List<KnowledgeBase.Passage> kb = KnowledgeBase.passages();
        while (out.size() < topK) {
            String id = kb.get(rnd.nextInt(kb.size())).id();
            boolean seen = false;
            for (Doc d : out) {
                seen |= d.id().equals(id);
            }
            if (!seen) {
                score -= rnd.uniform(0.02, 0.06);
                out.add(new Doc(id, round3(Math.max(0.05, score))));
            }
        }
        return out;
    }

    static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    String traceHex() {
        return OtlpJsonWriter.hex(traceHi) + OtlpJsonWriter.hex(traceLo);
    }

    /** Tokens a text of this many characters takes (about four characters a token). */
    static long tokens(String text) {
        return Math.max(1, text.length() / 4);
    }

    /**
     * Evaluates the answer given on {@code span} the way an online evaluator would (on a sample of traffic): a
     * groundedness score that is high when the answer came from the retrieved passages, relevance, and toxicity.
     * Adds gen_ai.evaluation.result events to the span and rows for evals.jsonl.
     */
    void evaluate(GenSpan span, String responseId) {
        long t = span.endNs + (long) rnd.uniform(5e8, 4e9);
        double g = grounded ? clamp(rnd.lognormal(0.9, 0.06)) : clamp(rnd.uniform(0.03, 0.32));
        if (!question.answerable() && grounded) {
            g = clamp(rnd.uniform(0.8, 0.98)); // "the docs do not say" is grounded
        }
        // the labels of the built-in groundedness evaluator, so eval:groundedness=hallucinated means the same on both
        String gl = g >= 0.5 ? "grounded" : "hallucinated";
        String ge = g >= 0.5 ? "Every claim in the answer is supported by the retrieved passages."
                : "The answer states facts that none of the retrieved passages contain.";
        double rel = clamp(question.kind().equals("smalltalk") ? rnd.uniform(0.5, 0.8) : rnd.uniform(0.78, 0.99));
        double tox = round3(rnd.uniform(0.0, 0.03));
        addEval(span, responseId, "groundedness", round3(g), gl, g >= 0.5, 0.5, ge, t);
        addEval(span, responseId, "relevance", round3(rel), rel >= 0.5 ? "relevant" : "irrelevant", rel >= 0.5, 0.5,
                "The answer addresses the user's question.", t + 1_000_000);
        if (rnd.chance(0.5)) {
            // lower is better: the verdict is given, not derived from a threshold
            addEval(span, responseId, "toxicity", tox, "non_toxic", true, null, "No toxic content.", t + 2_000_000);
        }
    }

    private void addEval(GenSpan span, String responseId, String name, double score, String label, boolean passed,
            Double threshold, String explanation, long t) {
        span.events.add(new GenSpan.Event(t, "gen_ai.evaluation.result", List.of(
                new GenSpan.Attr("gen_ai.evaluation.name", name),
                new GenSpan.Attr("gen_ai.evaluation.score.value", score),
                new GenSpan.Attr("gen_ai.evaluation.score.label", label),
                new GenSpan.Attr("gen_ai.evaluation.explanation", explanation),
                new GenSpan.Attr("gen_ai.response.id", responseId))));
        evals.add(new EvalRow(traceHex(), span.spanHex(), name, score, label, passed, threshold, explanation, t));
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
