package dev.tracebench.views.trace;

import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.report.Secrets;

/**
 * One line of an attribute table: key, type name, the value as shown (one line) and in full for the viewer. Values of
 * secret-bearing keys and secret-shaped values are shown masked ({@link Secrets#maskAttribute}) until the user reveals
 * them ({@link #revealed()}); {@code rawValue} is the unmasked value.
 */
public record AttributeRow(String key, String type, String value, String fullValue, String rawValue) {

    public static AttributeRow of(Attribute a) {
        AttributeValue v = a.value();
        return of(a.key(), v.typeName(), v.display());
    }

    public static AttributeRow of(String key, String type, String value) {
        String masked = Secrets.maskAttribute(key, value);
        return new AttributeRow(key, type, oneLine(masked), masked, value);
    }

    private static String oneLine(String s) {
        String t = s.replace('\n', ' ').replace('\r', ' ');
        return t.length() > 300 ? t.substring(0, 300) + "…" : t;
    }

    /** True when the value holds a secret (shown masked unless revealed). */
    public boolean secret() {
        return !fullValue.equals(rawValue) || isRevealedSecret();
    }

    private boolean isRevealedSecret() {
        return !Secrets.maskAttribute(key, rawValue).equals(rawValue);
    }

    /** True when a secret value is shown unmasked. */
    public boolean revealed() {
        return fullValue.equals(rawValue) && isRevealedSecret();
    }

    /** The same row with its value shown unmasked. */
    public AttributeRow reveal() {
        return new AttributeRow(key, type, oneLine(rawValue), rawValue, rawValue);
    }

    /** The same row with its value masked again. */
    public AttributeRow hide() {
        return of(key, type, rawValue);
    }

    /** True if key or the value as shown contains {@code needle} (lowercase), or the needle is empty. */
    public boolean matches(String needle) {
        return needle.isEmpty() || key.toLowerCase(java.util.Locale.ROOT).contains(needle)
                || fullValue.toLowerCase(java.util.Locale.ROOT).contains(needle);
    }
}
