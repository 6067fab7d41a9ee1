package dev.tracebench.core.eval.evaluators;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The toxicity lexicon: terms by category, read from {@code toxicity-lexicon.txt} (the bundled one documents the
 * format) or a user's copy, and matched as whole words on text normalised against common obfuscations (l33t,
 * s.p.a.c.e.d letters, stretched letters).
 */
public final class ToxicityLexicon {
    /** One entry: its words, the last ones possibly prefixes ({@code idiot*}). */
    record Term(String category, String text, String[] words, boolean[] prefix) {
    }

    private final List<Term> terms;
    private final String source;

    private ToxicityLexicon(List<Term> terms, String source) {
        this.terms = List.copyOf(terms);
        this.source = source;
    }

    public static ToxicityLexicon bundled() {
        try (InputStream in = ToxicityLexicon.class.getResourceAsStream("toxicity-lexicon.txt")) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "bundled lexicon");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a lexicon file; a malformed line is an error naming the file and line. */
    public static ToxicityLexicon read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    static ToxicityLexicon parse(String text, String source) {
        List<Term> terms = new ArrayList<>();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String category = colon < 0 ? "" : line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String term = colon < 0 ? "" : line.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
            List<String> words = new ArrayList<>();
            List<Boolean> prefixes = new ArrayList<>();
            for (String raw : term.split("\\s+")) {
                boolean prefix = raw.endsWith("*");
                String norm = normalise(prefix ? raw.substring(0, raw.length() - 1) : raw);
                for (String w : norm.isEmpty() ? new String[0] : norm.split(" ")) {
                    words.add(w);
                    prefixes.add(false);
                }
                if (prefix && !prefixes.isEmpty()) {
                    prefixes.set(prefixes.size() - 1, true);
                }
            }
            if (category.isEmpty() || words.isEmpty()) {
                throw new IllegalArgumentException(source + ", line " + (i + 1) + ": expected 'category: term', got '"
                        + line + "'");
            }
            boolean[] prefix = new boolean[words.size()];
            for (int w = 0; w < prefix.length; w++) {
                prefix[w] = prefixes.get(w);
            }
            terms.add(new Term(category, term, words.toArray(String[]::new), prefix));
        }
        return new ToxicityLexicon(terms, source);
    }

    public String source() {
        return source;
    }

    public int size() {
        return terms.size();
    }

    private static final Pattern SPACED = Pattern.compile("(?<![\\p{L}\\p{N}])(?:[\\p{L}\\p{N}@$][ ._*\\-]){2,}"
            + "[\\p{L}\\p{N}@$](?![\\p{L}\\p{N}])");
    private static final Pattern STRETCHED = Pattern.compile("(\\p{L})\\1{2,}");

    /**
     * Lower case, spaced-out letters joined ("k i l l" -> "kill"), l33t digits and symbols inside words read as
     * letters, letters repeated three or more times read once, then words separated by single spaces.
     */
    static String normalise(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        Matcher m = SPACED.matcher(t);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group().replaceAll("[ ._*\\-]", "")));
        }
        m.appendTail(sb);
        t = deLeet(sb.toString());
        t = STRETCHED.matcher(t).replaceAll("$1");
        return String.join(" ", Arrays.stream(t.split("[^\\p{L}\\p{N}']+")).filter(w -> !w.isEmpty()).toList());
    }

    /** Digits and symbols read as letters within words that have a letter (so "2024" and "$5" stay as they are). */
    private static String deLeet(String t) {
        StringBuilder out = new StringBuilder(t.length());
        int i = 0;
        while (i < t.length()) {
            int j = i;
            while (j < t.length() && !Character.isWhitespace(t.charAt(j))) {
                j++;
            }
            String word = t.substring(i, j);
            out.append(word.chars().anyMatch(Character::isLetter) ? leet(word) : word);
            while (j < t.length() && Character.isWhitespace(t.charAt(j))) {
                out.append(t.charAt(j++));
            }
            i = j;
        }
        return out.toString();
    }

    private static String leet(String word) {
        StringBuilder sb = new StringBuilder(word.length());
        for (char c : word.toCharArray()) {
            sb.append(switch (c) {
                case '0' -> 'o';
                case '1', '!' -> 'i';
                case '3' -> 'e';
                case '4', '@' -> 'a';
                case '5', '$' -> 's';
                case '7' -> 't';
                default -> c;
            });
        }
        return sb.toString();
    }

    /** The entries found in {@code text}, each once, by category in lexicon order. */
    public Map<String, List<String>> find(String text) {
        String[] words = normalise(text).split(" ");
        Map<String, List<String>> found = new LinkedHashMap<>();
        for (Term term : terms) {
            if (matches(words, term)) {
                found.computeIfAbsent(term.category(), c -> new ArrayList<>()).add(term.text());
            }
        }
        return found;
    }

    private static boolean matches(String[] words, Term term) {
        outer:
        for (int i = 0; i + term.words().length <= words.length; i++) {
            for (int k = 0; k < term.words().length; k++) {
                String w = words[i + k];
                String t = term.words()[k];
                if (!(term.prefix()[k] ? w.startsWith(t) : w.equals(t))) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
