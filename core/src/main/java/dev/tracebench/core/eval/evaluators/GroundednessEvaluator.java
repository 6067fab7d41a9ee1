package dev.tracebench.core.eval.evaluators;

import dev.tracebench.core.eval.EvalInput;
import dev.tracebench.core.eval.Evaluator;
import dev.tracebench.core.eval.Verdict;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Groundedness (hallucination): each claim of the answer (a sentence of it) must be supported by one sentence of the
 * retrieved passages, or {@code window} consecutive ones: at least {@code minCoverage} of the claim's content words
 * (names, numbers, dates, nouns, verbs: {@link Text#contentWords}) occur there, and the claim denies nothing that
 * sentence does not. Words the answer merely shares with the question do not count as support: a passage has to say
 * them. Support is looked for in one sentence, not in the whole context, because a hallucinated answer is often made
 * of words of the context put together wrongly ("Stanford University is located in Chestnut Hill" where the context
 * names both in different sentences). A bare "yes" or "no" answering a yes/no question states nothing checkable; the
 * rest of such an answer is checked as usual.
 *
 * <p>Score: the mean support of the claims (the share of each claim's content words its best sentence holds; a
 * contradicted claim counts half); label {@code hallucinated} when any claim is unsupported, else {@code grounded}.
 * Measured on HaluEval QA (README, "Evaluators").
 */
public final class GroundednessEvaluator implements Evaluator {
    public static final String ID = "groundedness";

    /**
     * @param window      how many consecutive passage sentences may support one claim together (1: one sentence)
     * @param minCoverage the share of a claim's content words its best sentence must hold (0–1)
     */
    public record Settings(int window, double minCoverage) {
        public static final Settings DEFAULT = new Settings(1, 1.0);

        public Settings {
            if (window < 1 || minCoverage < 0 || minCoverage > 1) {
                throw new IllegalArgumentException("groundedness needs window >= 1 and minCoverage in 0..1");
            }
        }
    }

    private static final Pattern YES_NO_QUESTION = Pattern.compile(
            "(?i)^\\W*(are|is|was|were|do|does|did|can|could|has|have|had|will|would|should|shall|may|might|must)\\b.*");
    private static final Pattern YES_NO_ANSWER = Pattern.compile("(?i)^\\W*(yes|no)\\b[\\s,.:;!-]*");

    private final Settings settings;

    public GroundednessEvaluator() {
        this(Settings.DEFAULT);
    }

    public GroundednessEvaluator(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String version() {
        return "1";
    }

    /** A stretch of {@code window} sentences of one passage, with its content words. */
    private record Unit(String text, Set<String> words, boolean negated) {
    }

    /** The units of passages seen lately: the same documents are retrieved for many requests. */
    private final Map<String, List<Unit>> unitsByPassage = new ConcurrentHashMap<>();
    private static final int UNIT_CACHE_LIMIT = 20_000;

    /** How well one claim is supported. */
    private record Support(String claim, List<String> words, List<String> missing, Unit best, int passage,
            boolean contradicted, boolean supported) {
        double value() {
            double coverage = words.isEmpty() ? 1 : 1 - (double) missing.size() / words.size();
            return contradicted ? coverage / 2 : coverage;
        }
    }

    @Override
    public Verdict evaluate(EvalInput input) {
        String answer = input.answer().strip();
        String body = answer;
        boolean yesNo = false;
        if (YES_NO_QUESTION.matcher(input.question().strip()).matches()) {
            var m = YES_NO_ANSWER.matcher(answer);
            if (m.lookingAt()) {
                yesNo = true;
                body = answer.substring(m.end());
            }
        }
        List<List<Unit>> units = units(input.contexts());
        List<Support> supports = new ArrayList<>();
        for (String claim : Text.claims(body)) {
            List<String> words = Text.contentWords(claim);
            if (!words.isEmpty()) {
                supports.add(support(claim, words, units));
            }
        }
        if (supports.isEmpty()) {
            String why = answer.isEmpty() ? "The answer is empty: it claims nothing."
                    : yesNo ? "The answer is a bare \"" + answer.replaceAll("\\W+$", "") + "\": nothing in it can be "
                    + "checked against the passages." : "The answer states no fact to check (no content words).";
            return new Verdict(ID, 1, "grounded", true, why, List.of(), null);
        }
        double score = supports.stream().mapToDouble(Support::value).average().orElse(1);
        List<Support> bad = supports.stream().filter(s -> !s.supported()).toList();
        Support weakest = supports.stream().min((a, b) -> Double.compare(a.value(), b.value())).orElseThrow();
        String evidence = weakest.best() == null ? null : weakest.best().text();
        return new Verdict(ID, score, bad.isEmpty() ? "grounded" : "hallucinated", bad.isEmpty(),
                explain(supports, bad, units.stream().allMatch(List::isEmpty) ? 0 : input.contexts().size(), yesNo), bad.stream().map(s -> PiiEvaluator.mask(s.claim())).toList(),
                evidence);
    }

    /**
     * Sentences starting with a pronoun ("It opened in 1889") are read together with the sentence before them, which
     * names what the pronoun stands for.
     */
    private static final Pattern STARTS_WITH_PRONOUN = Pattern.compile(
            "(?i)^\\W*(it|its|he|his|she|her|they|their|this|these|there)\\b.*", Pattern.DOTALL);

    private List<List<Unit>> units(List<String> passages) {
        List<List<Unit>> units = new ArrayList<>(passages.size());
        for (String passage : passages) {
            List<Unit> u = unitsByPassage.get(passage);
            if (u == null) {
                u = units(passage);
                if (unitsByPassage.size() >= UNIT_CACHE_LIMIT) {
                    unitsByPassage.clear();
                }
                unitsByPassage.put(passage, u);
            }
            units.add(u);
        }
        return units;
    }

    private List<Unit> units(String passage) {
        List<Unit> units = new ArrayList<>();
        List<String> sentences = Text.sentences(passage);
        int n = Math.max(1, sentences.size() - settings.window() + 1);
        for (int i = 0; i < n && i < sentences.size(); i++) {
            int from = i > 0 && STARTS_WITH_PRONOUN.matcher(sentences.get(i)).matches() ? i - 1 : i;
            String text = String.join(" ", sentences.subList(from, Math.min(sentences.size(), i + settings.window())));
            units.add(new Unit(text, new HashSet<>(Text.contentWords(text)), Text.hasNegation(text)));
        }
        return units;
    }

    private Support support(String claim, List<String> words, List<List<Unit>> passages) {
        Unit best = null;
        int bestPassage = -1;
        int bestFound = -1;
        for (int p = 0; p < passages.size(); p++) {
            for (Unit u : passages.get(p)) {
                int found = 0;
                for (String w : words) {
                    if (u.words().contains(w)) {
                        found++;
                    }
                }
                if (found > bestFound) {
                    best = u;
                    bestPassage = p;
                    bestFound = found;
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (String w : words) {
            if (best == null || !best.words().contains(w)) {
                missing.add(w);
            }
        }
        // a claim that denies what its best sentence does not deny contradicts it
        boolean contradicted = best != null && Text.hasNegation(claim) && !best.negated();
        double coverage = 1 - (double) missing.size() / words.size();
        boolean supported = best != null && coverage >= settings.minCoverage() - 1e-9 && !contradicted;
        return new Support(claim, words, missing, best, bestPassage, contradicted, supported);
    }

    private static String explain(List<Support> supports, List<Support> bad, int passages, boolean yesNo) {
        StringBuilder sb = new StringBuilder();
        if (passages == 0) {
            return "No context passages: none of the " + supports.size() + " claim" + (supports.size() == 1 ? "" : "s")
                    + " can be supported.";
        }
        // concatenation, not String.format: this runs for every answer, and format looks up locale data each call
        sb.append(supports.size() - bad.size()).append(" of ").append(supports.size()).append(" claim")
                .append(supports.size() == 1 ? "" : "s").append(" supported by the ").append(passages)
                .append(" passage").append(passages == 1 ? "" : "s");
        if (yesNo) {
            sb.append(" (the yes/no itself is not checked)");
        }
        if (bad.isEmpty()) {
            return sb.append('.').toString();
        }
        sb.append("; unsupported: ");
        for (int i = 0; i < bad.size() && i < 3; i++) {
            Support s = bad.get(i);
            if (i > 0) {
                sb.append("; ");
            }
            // personal data in a claim is never repeated, not even as the words it is made of
            String shown = PiiEvaluator.mask(s.claim());
            List<String> missing = s.missing().stream().filter(Text.contentWords(shown)::contains).toList();
            sb.append('"').append(Text.clip(shown, 80)).append("\" (");
            sb.append(s.words().size() - s.missing().size()).append(" of ").append(s.words().size())
                    .append(" words found");
            if (!missing.isEmpty()) {
                sb.append(", missing: ").append(String.join(", ", missing.subList(0, Math.min(5, missing.size()))));
            }
            if (s.contradicted()) {
                sb.append(", a negation the passage does not make");
            }
            sb.append(", closest: passage ").append(s.passage() + 1).append(')');
        }
        if (bad.size() > 3) {
            sb.append("; and ").append(bad.size() - 3).append(" more");
        }
        return sb.append('.').toString();
    }
}
