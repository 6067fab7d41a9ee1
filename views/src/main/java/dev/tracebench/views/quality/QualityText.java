package dev.tracebench.views.quality;

import dev.tracebench.core.eval.EvalResult;
import dev.tracebench.core.report.Secrets;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the views write verdicts, scores and rates; every text from an eval file or a trace is masked for secrets. */
public final class QualityText {
    private QualityText() {
    }

    /** ✓ passed, ✗ failed, · no verdict. */
    public static String mark(EvalResult r) {
        Boolean v = r.verdict();
        return v == null ? "·" : v ? "✓" : "✗";
    }

    /** A score with two decimals, "—" for none (a judge that failed says so in its label or explanation). */
    public static String score(Double s) {
        return s == null ? "—" : String.format(Locale.ROOT, "%.2f", s);
    }

    /** A share as a percentage with one decimal, "—" for none. */
    public static String percent(Double share) {
        return share == null ? "—" : String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    /** A signed change with two decimals: +0.12, −0.08. */
    public static String signed(double d) {
        return (d > 0 ? "+" : d < 0 ? "−" : "±") + String.format(Locale.ROOT, "%.2f", Math.abs(d));
    }

    /** One verdict in a line: "✗ groundedness hallucinated 0.20". */
    public static String verdict(EvalResult r) {
        StringBuilder sb = new StringBuilder(mark(r)).append(' ').append(r.evaluator());
        if (r.label() != null && !r.label().isBlank()) {
            sb.append(' ').append(r.label());
        }
        if (r.score() != null) {
            sb.append(' ').append(score(r.score()));
        }
        return mask(sb.toString());
    }

    /** Every verdict, failing first: "✗ groundedness hallucinated 0.20 · ✓ relevance 0.72". */
    public static String verdicts(List<EvalResult> rs) {
        return rs.stream().sorted(java.util.Comparator.comparing((EvalResult r) -> !Boolean.FALSE.equals(r.verdict())))
                .map(QualityText::verdict).collect(Collectors.joining(" · "));
    }

    /** The explanation of the first failing verdict, else of the first verdict with one. */
    public static String explanation(List<EvalResult> rs) {
        return mask(rs.stream().filter(r -> Boolean.FALSE.equals(r.verdict()) && r.explanation() != null).findFirst()
                .or(() -> rs.stream().filter(r -> r.explanation() != null).findFirst())
                .map(EvalResult::explanation).orElse(""));
    }

    /** Text as the views show it: credentials masked, never null. */
    public static String mask(String text) {
        return text == null ? "" : Secrets.maskText(text);
    }

    /** A text on one line, cut to {@code max} characters, for table cells. */
    public static String oneLine(String text, int max) {
        String t = mask(text).replaceAll("\\s+", " ").strip();
        return t.length() > max ? t.substring(0, max - 1) + "…" : t;
    }
}
