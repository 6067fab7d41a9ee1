package dev.tracebench.core.query;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A trace search as typed: words separated by spaces, each either an attribute condition {@code key=value},
 * {@code key!=value}, {@code key>number}, {@code key>=number}, {@code key<number} or {@code key<=number} (a value with
 * spaces in double quotes: {@code tenant="acme corp"}), or free text. A trace matches when it matches every condition
 * (some span, or the resource of some span, has the attribute with such a value; {@code !=} needs the attribute to be
 * there with another value) and the free text (all free words together, as one phrase).
 */
public record TraceSearch(List<Condition> conditions, String text) {

    public enum Op {
        EQ("="), NE("!="), GT(">"), GE(">="), LT("<"), LE("<=");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        /** True for the comparisons of numbers. */
        public boolean numeric() {
            return this != EQ && this != NE;
        }
    }

    /** One attribute condition; {@code number} is the value as a number when it reads as one (else null). */
    public record Condition(String key, Op op, String value, Double number) {
        @Override
        public String toString() {
            return key + op.symbol() + value;
        }
    }

    /** Attribute keys: letters, digits and {@code _ . - / : @} (no quotes, so a key never needs escaping). */
    private static final Pattern CONDITION = Pattern.compile("([A-Za-z_@][A-Za-z0-9_.\\-/:@]*)(!=|>=|<=|=|>|<)(.*)",
            Pattern.DOTALL);

    public TraceSearch {
        conditions = List.copyOf(conditions);
        text = text == null ? "" : text.strip();
    }

    public static TraceSearch parse(String input) {
        List<Condition> conditions = new ArrayList<>();
        List<String> words = new ArrayList<>();
        for (String word : words(input == null ? "" : input)) {
            Matcher m = CONDITION.matcher(word);
            if (!m.matches()) {
                words.add(unquote(word));
                continue;
            }
            Op op = switch (m.group(2)) {
                case "=" -> Op.EQ;
                case "!=" -> Op.NE;
                case ">" -> Op.GT;
                case ">=" -> Op.GE;
                case "<" -> Op.LT;
                default -> Op.LE;
            };
            String value = unquote(m.group(3));
            Double number = number(value);
            if (op.numeric() && number == null) {
                throw new IllegalArgumentException("'" + word + "': " + op.symbol() + " compares numbers; '" + value
                        + "' is not a number");
            }
            if (value.isEmpty()) {
                throw new IllegalArgumentException("'" + word + "': a value is missing after " + op.symbol());
            }
            conditions.add(new Condition(m.group(1), op, value, number));
        }
        return new TraceSearch(conditions, String.join(" ", words));
    }

    /** The words of the input: split at spaces outside double quotes. */
    static List<String> words(String input) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                w.append(c);
            } else if (Character.isWhitespace(c) && !quoted) {
                if (w.length() > 0) {
                    out.add(w.toString());
                    w.setLength(0);
                }
            } else {
                w.append(c);
            }
        }
        if (w.length() > 0) {
            out.add(w.toString());
        }
        return out;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private static Double number(String s) {
        return NUMBER.matcher(s.strip()).matches() ? Double.valueOf(s.strip()) : null;
    }

    public boolean isEmpty() {
        return conditions.isEmpty() && text.isEmpty();
    }
}
