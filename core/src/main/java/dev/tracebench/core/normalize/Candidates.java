package dev.tracebench.core.normalize;

import dev.tracebench.core.model.AttributeValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The values each source offers for each field of one span (the first value per field and source is kept), and the
 * decision between them by source precedence. Reused span after span by one normaliser: not thread-safe.
 */
final class Candidates {
    private static final int F = NormField.values().length;
    private static final int S = NormSource.values().length;
    private final Object[][] values = new Object[F][S];
    private final String[][] from = new String[F][S];
    private boolean any;

    void clear() {
        if (!any) {
            return;
        }
        for (int f = 0; f < F; f++) {
            java.util.Arrays.fill(values[f], null);
            java.util.Arrays.fill(from[f], null);
        }
        any = false;
    }

    void put(NormField f, NormSource s, Object value, String fromKey) {
        if (value == null) {
            return;
        }
        int fi = f.ordinal();
        int si = s.ordinal();
        if (values[fi][si] == null) {
            values[fi][si] = value;
            from[fi][si] = fromKey;
            any = true;
        }
    }

    /** Replaces whatever {@code s} offered for {@code f} (a more specific key of the same source). */
    void override(NormField f, NormSource s, Object value, String fromKey) {
        if (value == null) {
            return;
        }
        values[f.ordinal()][s.ordinal()] = value;
        from[f.ordinal()][s.ordinal()] = fromKey;
        any = true;
    }

    boolean has(NormField f, NormSource s) {
        return values[f.ordinal()][s.ordinal()] != null;
    }

    Object get(NormField f, NormSource s) {
        return values[f.ordinal()][s.ordinal()];
    }

    /** The value of the highest-precedence source, or null. */
    Decision decide(NormField f) {
        int fi = f.ordinal();
        for (int si = 0; si < S; si++) {
            if (values[fi][si] != null) {
                return new Decision(f, values[fi][si], NormSource.values()[si], from[fi][si]);
            }
        }
        return null;
    }

    /** The ordinal of the source that decides {@code f}, or -1 if none offers a value. */
    int source(NormField f) {
        Object[] row = values[f.ordinal()];
        for (int si = 0; si < S; si++) {
            if (row[si] != null) {
                return si;
            }
        }
        return -1;
    }

    Object value(NormField f) {
        int fi = f.ordinal();
        for (int si = 0; si < S; si++) {
            if (values[fi][si] != null) {
                return values[fi][si];
            }
        }
        return null;
    }

    /** The lower-precedence values that disagree with the decision. */
    List<Conflict> conflicts(NormField f, Decision chosen) {
        List<Conflict> out = new ArrayList<>(0);
        int fi = f.ordinal();
        for (int si = chosen.source().ordinal() + 1; si < S; si++) {
            Object v = values[fi][si];
            if (v != null && !same(f, chosen.value(), v)) {
                out.add(new Conflict(f, chosen, new Decision(f, v, NormSource.values()[si], from[fi][si])));
            }
        }
        return out;
    }

    /** Counts disagreements without building them (the import path). */
    int conflictCount(NormField f) {
        int fi = f.ordinal();
        Object chosen = null;
        int n = 0;
        for (int si = 0; si < S; si++) {
            Object v = values[fi][si];
            if (v == null) {
                continue;
            }
            if (chosen == null) {
                chosen = v;
            } else if (!same(f, chosen, v)) {
                n++;
            }
        }
        return n;
    }

    static boolean same(NormField f, Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return f == NormField.COST ? Math.abs(x.doubleValue() - y.doubleValue()) < 1e-9
                    : x.longValue() == y.longValue();
        }
        if (a instanceof String x && b instanceof String y) {
            if (f == NormField.REQUEST_MODEL || f == NormField.RESPONSE_MODEL) {
                // an alias and its dated version name the same model: gpt-4o-mini and gpt-4o-mini-2024-07-18
                String cx = PriceTable.canonical(x);
                String cy = PriceTable.canonical(y);
                return cx.equals(cy) || versionOf(cx, cy) || versionOf(cy, cx);
            }
            return x.equalsIgnoreCase(y);
        }
        return a.equals(b);
    }

    private static boolean versionOf(String longer, String alias) {
        return longer.startsWith(alias) && longer.length() > alias.length()
                && "-.:@_".indexOf(longer.charAt(alias.length())) >= 0;
    }

    /** An attribute value as the type a field holds; null if it cannot be. */
    static Object coerce(NormField f, AttributeValue v) {
        switch (f) {
            case STAGE:
                return v instanceof AttributeValue.Str s ? Stage.of(s.value()) : null;
            case INPUT_TOKENS, OUTPUT_TOKENS, CACHED_TOKENS, REASONING_TOKENS, TTFT:
                return asLong(v);
            case COST:
                return asDouble(v);
            case CACHE_HIT:
                if (v instanceof AttributeValue.Bool b) {
                    return b.value();
                }
                if (v instanceof AttributeValue.Str s) {
                    String t = s.value().trim().toLowerCase(Locale.ROOT);
                    return t.equals("true") || t.equals("hit") ? Boolean.TRUE
                            : t.equals("false") || t.equals("miss") ? Boolean.FALSE : null;
                }
                return null;
            case FINISH_REASON:
                if (v instanceof AttributeValue.Array a) {
                    return a.values().isEmpty() ? null : Rules.text(a.values().get(0));
                }
                return text(v);
            default:
                return text(v);
        }
    }

    static String text(AttributeValue v) {
        if (v instanceof AttributeValue.Str s) {
            return s.value().isBlank() ? null : s.value();
        }
        return v instanceof AttributeValue.Empty ? null : v.display();
    }

    static Long asLong(AttributeValue v) {
        if (v instanceof AttributeValue.Int i) {
            return i.value();
        }
        if (v instanceof AttributeValue.Dbl d && Double.isFinite(d.value())) {
            return Math.round(d.value());
        }
        if (v instanceof AttributeValue.Str s) {
            try {
                return Long.parseLong(s.value().trim());
            } catch (NumberFormatException e) {
                try {
                    double d = Double.parseDouble(s.value().trim());
                    return Double.isFinite(d) ? Math.round(d) : null;
                } catch (NumberFormatException e2) {
                    return null;
                }
            }
        }
        return null;
    }

    static Double asDouble(AttributeValue v) {
        if (v instanceof AttributeValue.Dbl d) {
            return Double.isFinite(d.value()) ? d.value() : null;
        }
        if (v instanceof AttributeValue.Int i) {
            return (double) i.value();
        }
        if (v instanceof AttributeValue.Str s) {
            try {
                double d = Double.parseDouble(s.value().trim());
                return Double.isFinite(d) ? d : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
