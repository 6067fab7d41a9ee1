package dev.tracebench.core.eval.evaluators;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text handling the lexical evaluators share: words (lower case, numbers without thousands separators, plural
 * {@code s} cut off), content words (without function words), sentences and claims.
 */
final class Text {
    private Text() {
    }

    /**
     * Function words: they carry no fact a passage could support or contradict. Negations are here too: the
     * groundedness evaluator checks them apart ({@link #hasNegation}).
     */
    static final Set<String> STOP = Set.of("a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with",
            "and", "or", "but", "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these",
            "those", "as", "which", "who", "whom", "whose", "what", "when", "where", "why", "how", "there", "their",
            "they", "them", "he", "she", "his", "her", "him", "i", "we", "you", "our", "your", "my", "me", "do", "does",
            "did", "has", "have", "had", "not", "no", "yes", "also", "both", "only", "than", "then", "so", "such",
            "into", "about", "over", "under", "after", "before", "between", "during", "while", "can", "could", "would",
            "should", "will", "may", "might", "must", "one", "if", "all", "any", "some", "very", "just", "never",
            "n't", "nor", "s", "de");

    private static final Set<String> NEGATIONS = Set.of("not", "no", "never", "n't", "nor", "neither", "none",
            "nobody", "nothing", "without", "cannot");

    /**
     * Words of {@code text}, normalised: lower case, {@code 1,200 -> 1200}, {@code Nixon's -> nixon}, plurals cut.
     * A word is a run of letters and digits (any script) with inner apostrophes ({@code o'brien}); a number keeps
     * its inner dots and commas ({@code 3.5}, {@code 1,200}); {@code n't} is a word of its own. Hand-written rather
     * than a regular expression: the lexical evaluators tokenise every answer and passage, several times a second.
     */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        StringBuilder w = new StringBuilder();
        while (i < n) {
            char c = text.charAt(i);
            if (!Character.isLetterOrDigit(c)) {
                i++;
                continue;
            }
            w.setLength(0);
            if (Character.isDigit(c)) {
                // digits with inner separators: 1,200 3.5 1,200.50
                while (i < n) {
                    char d = text.charAt(i);
                    if (Character.isDigit(d)) {
                        w.append(d);
                        i++;
                    } else if ((d == ',' || d == '.') && i + 1 < n && Character.isDigit(text.charAt(i + 1))) {
                        w.append(d);
                        i++;
                    } else {
                        break;
                    }
                }
                if (i < n && Character.isLetter(text.charAt(i))) {
                    // 19th, 2nd, 4x: one word with its letters
                    while (i < n && Character.isLetterOrDigit(text.charAt(i))) {
                        w.append(Character.toLowerCase(text.charAt(i++)));
                    }
                    out.add(w.toString());
                } else {
                    out.add(number(w.toString()));
                }
                continue;
            }
            while (i < n) {
                char d = text.charAt(i);
                if (Character.isLetterOrDigit(d)) {
                    w.append(Character.toLowerCase(d));
                    i++;
                } else if ((d == '\'' || d == '’') && i + 1 < n && Character.isLetter(text.charAt(i + 1))) {
                    w.append('\'');
                    i++;
                } else {
                    break;
                }
            }
            String word = w.toString();
            if (word.endsWith("n't") && word.length() > 3) {
                String base = word.substring(0, word.length() - 3);
                out.add(switch (base) {
                    case "ca" -> "can";
                    case "wo" -> "will";
                    case "sha" -> "shall";
                    default -> normalise(base);
                });
                out.add("n't");
            } else {
                out.add(normalise(word));
            }
        }
        return out;
    }

    /** Thousands separators go, a decimal point stays: 1,200 = 1200; 3.5 stays 3.5. */
    private static String number(String w) {
        int comma = w.indexOf(',');
        if (comma < 0) {
            return w;
        }
        int dot = w.indexOf('.');
        String whole = dot < 0 ? w : w.substring(0, dot);
        String[] groups = whole.split(",");
        boolean thousands = groups[0].length() >= 1 && groups[0].length() <= 3;
        for (int g = 1; g < groups.length && thousands; g++) {
            thousands = groups[g].length() == 3;
        }
        return thousands && (dot < 0 || w.indexOf(',', dot) < 0) ? w.replace(",", "") : w;
    }

    private static String normalise(String w) {
        if (w.endsWith("'s")) {
            w = w.substring(0, w.length() - 2);
        }
        if (w.length() > 4 && w.endsWith("ies")) {
            return w.substring(0, w.length() - 3) + "y";
        }
        if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) {
            return w.substring(0, w.length() - 1);
        }
        return w;
    }

    /** Words that state something: not function words, not single letters (initials, the parts of "D.C."). */
    static List<String> contentWords(String text) {
        List<String> out = new ArrayList<>();
        for (String w : words(text)) {
            if (!STOP.contains(w) && (w.length() > 1 || Character.isDigit(w.charAt(0)))) {
                out.add(w);
            }
        }
        return out;
    }

    static boolean hasNegation(String text) {
        for (String w : words(text)) {
            if (NEGATIONS.contains(w)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sentence ends: . ! ? followed by a capital, digit or quote (with or without a space: passages are often glued
     * together, "in the 19th century.First for Women"), unless the dot ends an initial ("D.C.", "J. R.") or a common
     * abbreviation.
     */
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])[\\s\"”')]*(?=[\\p{Lu}\\d\"“(])");
    private static final Set<String> ABBREVIATIONS = Set.of("mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "vs",
            "no", "mt", "ft", "gen", "col", "lt", "sgt", "rev", "u.s", "e.g", "i.e", "etc", "approx", "ca", "vol");

    static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = SENTENCE_END.matcher(text);
        int start = 0;
        while (m.find()) {
            int dot = m.start() - 1;
            if (text.charAt(dot) == '.' && abbreviationBefore(text, dot)) {
                continue;
            }
            add(out, text.substring(start, m.start()));
            start = m.end();
        }
        add(out, text.substring(start));
        return out;
    }

    private static boolean abbreviationBefore(String text, int dot) {
        int i = dot;
        while (i > 0 && (Character.isLetter(text.charAt(i - 1)) || text.charAt(i - 1) == '.')) {
            i--;
        }
        String word = text.substring(i, dot).toLowerCase(Locale.ROOT);
        return word.length() == 1 || ABBREVIATIONS.contains(word) || word.matches("(\\p{L}\\.)+\\p{L}");
    }

    private static void add(List<String> out, String s) {
        String t = s.strip();
        if (!t.isEmpty()) {
            out.add(t);
        }
    }

    /**
     * Claims of an answer: its sentences, further split at semicolons. (Splitting at "and" would cut apart names
     * such as "Syco Music and Columbia Records", and a claim is checked against one passage sentence anyway.)
     */
    static List<String> claims(String answer) {
        List<String> out = new ArrayList<>();
        for (String s : sentences(answer)) {
            for (String part : s.split(";")) {
                add(out, part);
            }
        }
        return out;
    }

    /** {@code s} cut to {@code max} characters with an ellipsis, for explanations. */
    static String clip(String s, int max) {
        String t = s.strip().replaceAll("\\s+", " ");
        return t.length() <= max ? t : t.substring(0, max - 1) + "…";
    }
}
