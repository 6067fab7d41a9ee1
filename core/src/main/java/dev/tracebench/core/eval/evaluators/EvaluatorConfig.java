package dev.tracebench.core.eval.evaluators;

import dev.tracebench.core.eval.Evaluator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which built-in evaluators to run and how they are set, as the command line and the GUI choose them; builds the
 * evaluators and says their settings for the run's stored configuration.
 *
 * @param ids          evaluator ids, from {@link #IDS}
 * @param embeddings   whether relevance and golden similarity use the MiniLM model (false: the lexical fallback)
 * @param lexicon      a toxicity lexicon file (null: the bundled one)
 * @param groundedness the groundedness settings
 * @param relevance    the relevance threshold (null: the default for the model or the fallback)
 * @param format       the format checks (null: the format evaluator cannot run)
 * @param golden       the golden comparison
 * @param judge        the LLM judge (null: the judge cannot run)
 */
public record EvaluatorConfig(List<String> ids, boolean embeddings, Path lexicon,
        GroundednessEvaluator.Settings groundedness, Double relevance, FormatEvaluator.Settings format,
        GoldenEvaluator.Settings golden, JudgeEvaluator.Settings judge) {

    /** Every built-in evaluator id. */
    public static final List<String> IDS = List.of(GroundednessEvaluator.ID, AnswerRelevanceEvaluator.ID,
            ContextRelevanceEvaluator.ID, SafetyEvaluator.ID, PiiEvaluator.ID, InjectionEvaluator.ID,
            RefusalEvaluator.ID, FormatEvaluator.ID, GoldenEvaluator.ID, JudgeEvaluator.ID);

    public EvaluatorConfig {
        ids = List.copyOf(ids);
        groundedness = groundedness == null ? GroundednessEvaluator.Settings.DEFAULT : groundedness;
        golden = golden == null ? GoldenEvaluator.Settings.DEFAULT : golden;
        for (String id : ids) {
            if (!IDS.contains(id)) {
                throw new IllegalArgumentException("unknown evaluator '" + id + "': choose from " + String.join(", ",
                        IDS));
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("no evaluator chosen: choose from " + String.join(", ", IDS));
        }
        if (ids.contains(FormatEvaluator.ID) && (format == null || !format.any())) {
            throw new IllegalArgumentException("the format evaluator needs a check: JSON, a JSON Schema, a regex, "
                    + "strings to contain or a maximum length");
        }
        if (ids.contains(JudgeEvaluator.ID) && judge == null) {
            throw new IllegalArgumentException("the judge needs an endpoint URL and a model");
        }
    }

    /** These evaluators with every setting at its default. */
    public static EvaluatorConfig of(List<String> ids) {
        return new EvaluatorConfig(ids, true, null, null, null, null, null, null);
    }

    /** The evaluators, in the order of {@link #ids}. Loads the embedding model when one of them needs it. */
    public List<Evaluator> build() throws IOException {
        Embeddings emb = needsEmbeddings() ? Embeddings.miniLm() : Embeddings.lexical();
        List<Evaluator> out = new ArrayList<>();
        for (String id : ids) {
            out.add(switch (id) {
                case GroundednessEvaluator.ID -> new GroundednessEvaluator(groundedness);
                case AnswerRelevanceEvaluator.ID -> relevance == null ? AnswerRelevanceEvaluator.withDefaults(emb)
                        : new AnswerRelevanceEvaluator(emb, relevance);
                case ContextRelevanceEvaluator.ID -> relevance == null ? ContextRelevanceEvaluator.withDefaults(emb)
                        : new ContextRelevanceEvaluator(emb, relevance);
                case SafetyEvaluator.ID -> new SafetyEvaluator(lexicon == null ? ToxicityLexicon.bundled()
                        : ToxicityLexicon.read(lexicon));
                case PiiEvaluator.ID -> new PiiEvaluator();
                case InjectionEvaluator.ID -> new InjectionEvaluator();
                case RefusalEvaluator.ID -> new RefusalEvaluator();
                case FormatEvaluator.ID -> new FormatEvaluator(format);
                case GoldenEvaluator.ID -> new GoldenEvaluator(golden, emb);
                case JudgeEvaluator.ID -> new JudgeEvaluator(judge);
                default -> throw new IllegalStateException(id);
            });
        }
        return out;
    }

    private boolean needsEmbeddings() {
        return embeddings && (ids.contains(AnswerRelevanceEvaluator.ID) || ids.contains(ContextRelevanceEvaluator.ID)
                || ids.contains(GoldenEvaluator.ID) && golden.method() == GoldenEvaluator.Method.SIMILARITY);
    }

    /** The settings of the chosen evaluators, for the run's configuration (never a key: the judge's is an env name). */
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        if (ids.contains(GroundednessEvaluator.ID)) {
            s.put(GroundednessEvaluator.ID, Map.of("window", groundedness.window(), "minCoverage",
                    groundedness.minCoverage()));
        }
        if (needsEmbeddings() || ids.contains(AnswerRelevanceEvaluator.ID) || ids.contains(ContextRelevanceEvaluator.ID)) {
            s.put("similarity", embeddings ? "all-MiniLM-L6-v2" : "lexical");
            if (relevance != null) {
                s.put("relevanceThreshold", relevance);
            }
        }
        if (ids.contains(SafetyEvaluator.ID)) {
            s.put("lexicon", lexicon == null ? "bundled" : lexicon.toString());
        }
        if (ids.contains(FormatEvaluator.ID)) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("json", format.json());
            if (format.schema() != null) f.put("schema", format.schema());
            if (format.regex() != null) f.put("regex", format.regex());
            if (!format.contains().isEmpty()) f.put("contains", format.contains());
            if (format.maxLength() != null) f.put("maxLength", format.maxLength());
            s.put(FormatEvaluator.ID, f);
        }
        if (ids.contains(GoldenEvaluator.ID)) {
            s.put(GoldenEvaluator.ID, Map.of("method", golden.method().name().toLowerCase(Locale.ROOT), "threshold",
                    golden.threshold(), "tolerance", golden.tolerance()));
        }
        if (ids.contains(JudgeEvaluator.ID)) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("url", dev.tracebench.core.report.Secrets.maskText(judge.url()));
            j.put("model", judge.model());
            j.put("apiKeyEnv", judge.apiKeyEnv() == null ? "" : judge.apiKeyEnv());
            j.put("criterion", judge.criterion());
            j.put("threshold", judge.threshold());
            s.put(JudgeEvaluator.ID, j);
        }
        return s;
    }
}
