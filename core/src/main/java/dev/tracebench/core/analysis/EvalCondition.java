package dev.tracebench.core.analysis;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a quality cohort asks of a trace's eval results ({@link Cohort#quality}): a trace is in the cohort when one of
 * its results (of {@code evaluator}, except for {@link Test#ANY_FAILED}) passes the test.
 *
 * <ul>
 *   <li>{@link Test#LABEL}: the result's label is {@code label} ({@code eval:groundedness=hallucinated}).</li>
 *   <li>{@link Test#SCORE}: the result's score compares with {@code score} by {@code op}
 *       ({@code eval:relevance<0.5}).</li>
 *   <li>{@link Test#PASSED}, {@link Test#FAILED}: the result's verdict ({@code eval:faithfulness=fail}): its pass/fail
 *       as stored, else score ≥ threshold when it has both (the rule of
 *       {@link dev.tracebench.core.eval.EvalResult#passed()}).</li>
 *   <li>{@link Test#ANY_FAILED}: any result of the trace, of any evaluator, failed ({@code eval:any-fail}).</li>
 * </ul>
 *
 * The values are data: the store checks the evaluator and label against the workspace's results and writes them as
 * quoted literals.
 */
public record EvalCondition(Test test, String evaluator, String label, Op op, double score) {

    public enum Test { LABEL, SCORE, PASSED, FAILED, ANY_FAILED }

    /** How a score is compared. */
    public enum Op {
        LT("<"), LE("<="), GT(">"), GE(">="), EQ("=");

        private final String sql;

        Op(String sql) {
            this.sql = sql;
        }

        /** The SQL (and cohort text) operator. */
        public String sql() {
            return sql;
        }
    }

    public EvalCondition {
        if (test == null) {
            throw new IllegalArgumentException("an eval condition needs a test");
        }
        if (test == Test.ANY_FAILED) {
            evaluator = null;
        } else if (evaluator == null || evaluator.isBlank()) {
            throw new IllegalArgumentException("an eval condition needs an evaluator name");
        }
        if (test == Test.LABEL && (label == null || label.isBlank())) {
            throw new IllegalArgumentException("a label condition needs a label");
        }
        if (test == Test.SCORE && (op == null || !Double.isFinite(score))) {
            throw new IllegalArgumentException("a score condition needs an operator and a finite number");
        }
        if (test != Test.LABEL) {
            label = null;
        }
        if (test != Test.SCORE) {
            op = null;
            score = 0;
        }
    }

    public static EvalCondition label(String evaluator, String label) {
        return new EvalCondition(Test.LABEL, evaluator, label, null, 0);
    }

    public static EvalCondition score(String evaluator, Op op, double score) {
        return new EvalCondition(Test.SCORE, evaluator, null, op, score);
    }

    public static EvalCondition passed(String evaluator) {
        return new EvalCondition(Test.PASSED, evaluator, null, null, 0);
    }

    public static EvalCondition failed(String evaluator) {
        return new EvalCondition(Test.FAILED, evaluator, null, null, 0);
    }

    public static EvalCondition anyFailed() {
        return new EvalCondition(Test.ANY_FAILED, null, null, null, 0);
    }

    /**
     * The text after {@code eval:}: an evaluator name (metric names may hold spaces: "Answer Relevancy"), an operator
     * and a value; name and label may be in double quotes.
     */
    private static final Pattern FORM = Pattern.compile("(?s)\\s*(\"[^\"]+\"|[^<>=!\"]+?)\\s*(<=|>=|<|>|=)\\s*(.*?)\\s*");

    /**
     * Parses what follows {@code eval:} in a cohort: {@code any-fail}, {@code NAME=pass}, {@code NAME=fail},
     * {@code NAME<0.5} (also {@code <=}, {@code >}, {@code >=}, {@code =} with a number), or {@code NAME=LABEL}
     * ({@code "two words"} in double quotes).
     *
     * @throws IllegalArgumentException saying what is wrong and what the forms are
     */
    public static EvalCondition parse(String text) {
        String t = text == null ? "" : text.strip();
        String l = t.toLowerCase(Locale.ROOT);
        if (l.equals("any-fail") || l.equals("any-failed") || l.equals("anyfail")) {
            return anyFailed();
        }
        Matcher m = FORM.matcher(t);
        if (!m.matches() || m.group(3).isEmpty()) {
            throw new IllegalArgumentException("'eval:" + t + "' is not a quality cohort: write eval:NAME=LABEL "
                    + "(eval:groundedness=hallucinated), eval:NAME<0.5 (<, <=, >, >=, = with a score), "
                    + "eval:NAME=pass or =fail, or eval:any-fail");
        }
        String name = unquote(m.group(1));
        String op = m.group(2);
        String value = m.group(3);
        Double number = number(value);
        if (number != null) {
            return score(name, switch (op) {
                case "<" -> Op.LT;
                case "<=" -> Op.LE;
                case ">" -> Op.GT;
                case ">=" -> Op.GE;
                default -> Op.EQ;
            }, number);
        }
        if (!op.equals("=")) {
            throw new IllegalArgumentException("'eval:" + t + "': " + op + " compares scores, and '" + value
                    + "' is not a number (a label takes =, e.g. eval:" + name + "=" + value + ")");
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return label(name, unquote(value));
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "pass", "passed" -> passed(name);
            case "fail", "failed" -> failed(name);
            default -> label(name, value);
        };
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static Double number(String s) {
        if (!s.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
            return null;
        }
        return Double.parseDouble(s);
    }

    /** The cohort text that parses back to this condition (after {@code eval:}). */
    public String text() {
        String name = evaluator == null || evaluator.matches("[^<>=!\"]+") && evaluator.strip().equals(evaluator)
                ? evaluator : "\"" + evaluator + "\"";
        return switch (test) {
            case LABEL -> name + "=" + (label.matches("[^\\s\"]+") && number(label) == null
                    && !label.matches("(?i)pass|passed|fail|failed") ? label : "\"" + label + "\"");
            case SCORE -> name + op.sql() + trim(score);
            case PASSED -> name + "=pass";
            case FAILED -> name + "=fail";
            case ANY_FAILED -> "any-fail";
        };
    }

    /**
     * The traces it selects, in words: "hallucinated answers", "answers with relevance &lt; 0.5", "answers that failed
     * faithfulness", "answers that failed an eval".
     */
    public String noun() {
        return switch (test) {
            case LABEL -> label + " answers";
            case SCORE -> "answers with " + evaluator + " " + symbol() + " " + trim(score);
            case PASSED -> "answers that passed " + evaluator;
            case FAILED -> "answers that failed " + evaluator;
            case ANY_FAILED -> "answers that failed an eval";
        };
    }

    /** {@link #noun} with the condition: "hallucinated answers (groundedness = hallucinated)". */
    public String words() {
        return switch (test) {
            case LABEL -> noun() + " (" + evaluator + " = " + label + ")";
            case PASSED, FAILED -> noun() + " (" + evaluator + " = " + (test == Test.PASSED ? "pass" : "fail") + ")";
            case SCORE, ANY_FAILED -> noun();
        };
    }

    private String symbol() {
        return switch (op) {
            case LE -> "≤";
            case GE -> "≥";
            default -> op.sql();
        };
    }

    private static String trim(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
