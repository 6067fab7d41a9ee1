package dev.tracebench.importers.evaltable;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reading the cells of eval files (tables, logs) as the fields of an eval result. */
public final class Values {
    private Values() {
    }

    /** A cell as text (numbers as written, lists as JSON); null for an empty cell. */
    static String text(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (Object o : l) {
                if (sb.length() > 1) {
                    sb.append(',');
                }
                sb.append('"').append(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance()
                        .quoteAsString(String.valueOf(o))).append('"');
            }
            return sb.append(']').toString();
        }
        String s = v.toString();
        return s.isEmpty() ? null : s;
    }

    /** A number written as text: Double.NaN for NaN (a judge that failed), null if it is not a number. */
    static Double number(String s) {
        String t = s.strip();
        if (t.equalsIgnoreCase("nan")) {
            return Double.NaN;
        }
        if (t.isEmpty() || !(Character.isDigit(t.charAt(0)) || t.charAt(0) == '-' || t.charAt(0) == '+'
                || t.charAt(0) == '.')) {
            return null;
        }
        try {
            double d = Double.parseDouble(t);
            return Double.isInfinite(d) ? null : d;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A cell as a number: NaN kept, null if empty; throws if it holds something else. */
    static Double score(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        Double d = number(v.toString());
        if (d == null) {
            throw new IllegalArgumentException("'" + abbreviate(v.toString()) + "' is not a number");
        }
        return d;
    }

    /** A cell as pass/fail: booleans, 1/0, true/false, yes/no, pass/fail, passed/failed; null if empty. */
    static Boolean passed(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.doubleValue() != 0;
        }
        String s = v.toString().strip().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true", "yes", "pass", "passed", "1", "1.0", "y", "t", "ok", "success" -> Boolean.TRUE;
            case "false", "no", "fail", "failed", "0", "0.0", "n", "f", "failure" -> Boolean.FALSE;
            case "" -> null;
            default -> throw new IllegalArgumentException("'" + abbreviate(v.toString()) + "' is not pass/fail");
        };
    }

    /**
     * A cell as a time: ISO-8601 with or without a zone (none: UTC), {@code 2026-08-07 18:45:13[.ffffff][+00:00]},
     * or epoch seconds or milliseconds.
     */
    public static Instant time(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof dev.tracebench.importers.common.JsonTree.Num n) {
            return time(Double.parseDouble(n.text()));
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d > 1e12 ? Instant.ofEpochMilli((long) d) : Instant.ofEpochSecond((long) d,
                    (long) ((d - Math.floor(d)) * 1e9));
        }
        String s = v.toString().strip().replace(' ', 'T');
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            // not UTC with a Z: try an offset, then no zone at all
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            // no offset
        }
        try {
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            Double d = number(s);
            if (d != null && !d.isNaN()) {
                return time(d);
            }
            throw new IllegalArgumentException("'" + abbreviate(v.toString()) + "' is not a time");
        }
    }

    /**
     * A cell as a list of passages: a JSON list, a JSON array or Python list written as text (as pandas writes lists
     * to CSV: {@code ['a', "b's"]}), else the text as one passage.
     */
    static List<String> contexts(Object v) {
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            List<String> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(String.valueOf(o));
            }
            return out;
        }
        String s = v.toString().strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            List<String> json = jsonStrings(s);
            if (json != null) {
                return json;
            }
            List<String> py = pythonStrings(s);
            if (py != null) {
                return py;
            }
        }
        return s.isEmpty() ? List.of() : List.of(s);
    }

    private static List<String> jsonStrings(String s) {
        try (JsonParser p = TableRows.JSON.createParser(s)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return null;
            }
            List<String> out = new ArrayList<>();
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    return null;
                }
                out.add(p.getText());
            }
            return out;
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code ['a', "b's", 'c\'d']} as Python's repr writes a list of strings; null if it is not one. */
    private static List<String> pythonStrings(String s) {
        List<String> out = new ArrayList<>();
        int i = 1;
        int n = s.length() - 1;
        while (true) {
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == ',')) {
                i++;
            }
            if (i >= n) {
                return out;
            }
            char q = s.charAt(i);
            if (q != '\'' && q != '"') {
                return null;
            }
            StringBuilder sb = new StringBuilder();
            i++;
            while (i < n && s.charAt(i) != q) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < n) {
                    char e = s.charAt(++i);
                    sb.append(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        default -> e;
                    });
                } else {
                    sb.append(c);
                }
                i++;
            }
            if (i >= n) {
                return null;
            }
            out.add(sb.toString());
            i++;
        }
    }

    static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
