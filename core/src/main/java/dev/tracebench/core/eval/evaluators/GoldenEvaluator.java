package dev.tracebench.core.eval.evaluators;

import dev.tracebench.core.eval.EvalInput;
import dev.tracebench.core.eval.Evaluator;
import dev.tracebench.core.eval.Verdict;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The answer against the expected (golden) answer, {@link EvalInput#reference()}, by one method: {@code exact}
 * (identical after trimming), {@code normalised} (lower case, without punctuation, articles and extra spaces, as
 * SQuAD compares), {@code f1} (token F1 of the normalised texts), {@code numeric} (every number of the reference is
 * in the answer within a relative {@code tolerance}) or {@code similarity} ({@link Embeddings#similarity}). The
 * explanation gives every method's result. Passes when the score reaches {@code threshold}; label {@code match} or
 * {@code mismatch} ({@code no-reference} without an expected answer).
 */
public final class GoldenEvaluator implements Evaluator {
    public static final String ID = "golden";

    public enum Method { EXACT, NORMALISED, F1, NUMERIC, SIMILARITY }

    /**
     * @param method    which comparison gives the score
     * @param threshold the score that passes (exact, normalised and numeric score 0 or 1)
     * @param tolerance relative tolerance of numbers (0.01: within 1%)
     */
    public record Settings(Method method, double threshold, double tolerance) {
        public static final Settings DEFAULT = new Settings(Method.F1, 0.5, 0.01);
    }

    private final Settings settings;
    private final Embeddings embeddings;

    public GoldenEvaluator(Settings settings, Embeddings embeddings) {
        this.settings = settings;
        this.embeddings = embeddings;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String version() {
        return "1-" + settings.method().name().toLowerCase(Locale.ROOT)
                + (settings.method() == Method.SIMILARITY && !embeddings.neural() ? "-lexical" : "");
    }

    @Override
    public Verdict evaluate(EvalInput input) {
        String ref = input.reference();
        String answer = input.answer();
        if (ref.isBlank()) {
            return new Verdict(ID, 0, "no-reference", false, "No expected answer to compare with.", List.of(), null);
        }
        boolean exact = answer.strip().equals(ref.strip());
        boolean normalised = normalise(answer).equals(normalise(ref));
        double[] f1 = f1(answer, ref);
        Boolean numeric = numbersMatch(answer, ref, settings.tolerance());
        double similarity = settings.method() == Method.SIMILARITY ? embeddings.similarity(answer, ref) : Double.NaN;
        double score = switch (settings.method()) {
            case EXACT -> exact ? 1 : 0;
            case NORMALISED -> normalised ? 1 : 0;
            case F1 -> f1[0];
            case NUMERIC -> numeric == null ? (normalised ? 1 : 0) : numeric ? 1 : 0;
            case SIMILARITY -> similarity;
        };
        boolean ok = score >= settings.threshold();
        StringBuilder why = new StringBuilder(String.format(Locale.ROOT, "%s %.2f (threshold %.2f): ",
                settings.method().name().toLowerCase(Locale.ROOT), score, settings.threshold()));
        why.append(String.format(Locale.ROOT, "exact %s, normalised %s, token F1 %.2f (precision %.2f, recall %.2f)",
                exact ? "yes" : "no", normalised ? "yes" : "no", f1[0], f1[1], f1[2]));
        why.append(numeric == null ? ", no number in the reference" : String.format(Locale.ROOT,
                ", numbers %s within %.1f%%", numeric ? "match" : "do not match", settings.tolerance() * 100));
        if (!Double.isNaN(similarity)) {
            why.append(String.format(Locale.ROOT, ", similarity %.2f (%s)", similarity, embeddings.method()));
        }
        why.append('.');
        return new Verdict(ID, score, ok ? "match" : "mismatch", ok, why.toString(), ok ? List.of() : List.of(answer),
                ref);
    }

    private static final Pattern ARTICLES = Pattern.compile("\\b(a|an|the)\\b");

    /** SQuAD's answer normalisation: lower case, accents and punctuation removed, articles dropped, spaces collapsed. */
    static String normalise(String s) {
        String t = Normalizer.normalize(s.toLowerCase(Locale.ROOT), Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        t = t.replaceAll("[^\\p{L}\\p{N}\\s]", " ");
        t = ARTICLES.matcher(t).replaceAll(" ");
        return t.strip().replaceAll("\\s+", " ");
    }

    /** {f1, precision, recall} of the normalised tokens (multiset overlap). */
    static double[] f1(String answer, String ref) {
        String a = normalise(answer);
        String r = normalise(ref);
        List<String> at = a.isEmpty() ? List.of() : List.of(a.split(" "));
        List<String> rt = r.isEmpty() ? List.of() : List.of(r.split(" "));
        if (at.isEmpty() || rt.isEmpty()) {
            return at.equals(rt) ? new double[] {1, 1, 1} : new double[] {0, 0, 0};
        }
        Map<String, Integer> counts = new HashMap<>();
        rt.forEach(t -> counts.merge(t, 1, Integer::sum));
        int common = 0;
        for (String t : at) {
            Integer c = counts.get(t);
            if (c != null && c > 0) {
                common++;
                counts.put(t, c - 1);
            }
        }
        if (common == 0) {
            return new double[] {0, 0, 0};
        }
        double p = (double) common / at.size();
        double rc = (double) common / rt.size();
        return new double[] {2 * p * rc / (p + rc), p, rc};
    }

    private static final Pattern NUMBER = Pattern.compile("-?\\d[\\d,]*(?:\\.\\d+)?");

    /** Whether every number of the reference has one in the answer within the tolerance; null if it has none. */
    static Boolean numbersMatch(String answer, String ref, double tolerance) {
        List<Double> want = numbers(ref);
        if (want.isEmpty()) {
            return null;
        }
        List<Double> have = numbers(answer);
        for (double w : want) {
            boolean found = false;
            for (double h : have) {
                if (Math.abs(h - w) <= tolerance * Math.max(Math.abs(w), 1e-12)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private static List<Double> numbers(String s) {
        List<Double> out = new ArrayList<>();
        Matcher m = NUMBER.matcher(s);
        while (m.find()) {
            out.add(Double.parseDouble(m.group().replace(",", "")));
        }
        return out;
    }
}
