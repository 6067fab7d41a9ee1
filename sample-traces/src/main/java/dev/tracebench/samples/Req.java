package dev.tracebench.samples;

import java.util.ArrayList;
import java.util.List;

/** One request being generated: its trace, who sent it, what was asked, and the spans and evaluations so far. */
final class Req {
    /**
     * One evaluation result as written to evals.jsonl. {@code passed}: the verdict; {@code threshold}: the score a
     * pass needs, for scores where higher is better (null otherwise).
     */
    record EvalRow(String traceId, String spanId, String evaluator, double score, String label, boolean passed,
            Double threshold, String explanation, long timeNs) {
    }

    /** What is wrong with an answer although its passages were retrieved (the demo plants a few: Fleet.flaw). */
    enum Flaw {
        NONE,
        /** the model ignored the passages and answered from memory: fluent and wrong */
        IGNORES_PASSAGES,
        /** the model answered another question */
        OFF_TOPIC
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
    /** gen_ai.evaluation.result span events added (the online check's verdicts, which are not in evals.jsonl). */
    int spanEvaluations;
    /** Set when the scenario's incident touched this request. */
    boolean affected;
    /** Whether the final answer was grounded in retrieved passages (drives the evaluations). */
    boolean grounded = true;
    /** A planted flaw of the answer (the demo's quality problems). */
    Flaw flaw = Flaw.NONE;

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

    /**
     * The answer the model gives after retrieval found {@code passages} passages: the right one when it can be
     * grounded (or the docs have no answer, which it says), else the fluent wrong one from memory; or a planted flaw.
     */
    String answer(long passages) {
        grounded = passages > 0 || !question.answerable();
        flaw = grounded ? fleet.flaw(this) : Flaw.NONE;
        return switch (flaw) {
            case NONE -> grounded ? question.answer() : question.hallucinatedAnswer();
            case IGNORES_PASSAGES -> question.hallucinatedAnswer();
            case OFF_TOPIC -> {
                List<QuestionBank.Question> bank = QuestionBank.questions();
                int i = bank.indexOf(question);
                yield bank.get((i + bank.size() / 2) % bank.size()).answer();
            }
        };
    }

    /** Tokens a text of this many characters takes (about four characters a token). */
    static long tokens(String text) {
        return Math.max(1, text.length() / 4);
    }

    /**
     * Evaluates the answer given on {@code span} (on a sample of traffic): a judge's groundedness score, high when the
     * answer came from the retrieved passages, and relevance, written as rows for evals.jsonl; and, on about half of
     * those answers, the application's own online toxicity check, which records its verdict where such checks do: a
     * gen_ai.evaluation.result event on the span (Tracebench reads those as the trace file's span evaluations).
     */
    void evaluate(GenSpan span, String responseId) {
        long t = span.endNs + (long) rnd.uniform(5e8, 4e9);
        double g = grounded ? clamp(rnd.lognormal(0.9, 0.06)) : clamp(rnd.uniform(0.03, 0.32));
        if (!question.answerable() && grounded) {
            g = clamp(rnd.uniform(0.8, 0.98)); // "the docs do not say" is grounded
        }
        double rel = clamp(question.kind().equals("smalltalk") ? rnd.uniform(0.5, 0.8) : rnd.uniform(0.78, 0.99));
        if (flaw != Flaw.NONE) {
            // the same draws as a good answer (so the rest of the traffic is unchanged), turned into a bad verdict
            g = clamp(1.2 - g);
            rel = flaw == Flaw.OFF_TOPIC ? 1 - rel : rel;
        }
        // the labels of the built-in groundedness evaluator, so eval:groundedness=hallucinated means the same on both
        String gl = g >= 0.5 ? "grounded" : "hallucinated";
        String ge = g >= 0.5 ? "Every claim in the answer is supported by the retrieved passages."
                : "The answer states facts that none of the retrieved passages contain.";
        double tox = round3(rnd.uniform(0.0, 0.03));
        addEval(span, "groundedness", round3(g), gl, g >= 0.5, 0.5, ge, t);
        addEval(span, "relevance", round3(rel), rel >= 0.5 ? "relevant" : "irrelevant", rel >= 0.5, 0.5,
                rel >= 0.5 ? "The answer addresses the user's question." : "The answer is about another question.",
                t + 1_000_000);
        if (rnd.chance(0.5)) {
            // lower is better; the label "pass" is the verdict (the convention has no field for pass/fail)
            span.events.add(new GenSpan.Event(t + 2_000_000, "gen_ai.evaluation.result", List.of(
                    new GenSpan.Attr("gen_ai.evaluation.name", "toxicity"),
                    new GenSpan.Attr("gen_ai.evaluation.score.value", tox),
                    new GenSpan.Attr("gen_ai.evaluation.score.label", "pass"),
                    new GenSpan.Attr("gen_ai.evaluation.explanation", "No toxic content."),
                    new GenSpan.Attr("gen_ai.response.id", responseId))));
            spanEvaluations++;
        }
    }

    private void addEval(GenSpan span, String name, double score, String label, boolean passed, Double threshold,
            String explanation, long t) {
        evals.add(new EvalRow(traceHex(), span.spanHex(), name, score, label, passed, threshold, explanation, t));
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
