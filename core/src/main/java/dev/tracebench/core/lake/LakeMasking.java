package dev.tracebench.core.lake;

import dev.tracebench.core.json.AttributeJson;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.report.Secrets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a lake export does to secrets: a lake is an export, so credentials leave the workspace masked, as everywhere
 * else ({@link Secrets}). Text values of attribute documents are masked by key and shape (nested lists and key-value
 * lists by the key that holds them); free-text columns by shape. Numbers, booleans and bytes are never secrets.
 */
public final class LakeMasking {
    /**
     * RE2 patterns (DuckDB's {@code regexp_matches}) that pick the rows worth handing to Java, so that the export does
     * not decode a million attribute documents. Supersets by construction: a row neither matches has nothing
     * {@link Secrets} would change. {@link #KEYS}: a quoted object key with a secret word (not {@code input_tokens});
     * such documents get {@link #secretKeys} (values of secret keys masked: cheap). {@link #SHAPES}: what
     * {@link Secrets#maskText} looks for (key formats, bearer credentials, {@code key=value} pairs with a secret word
     * and a value that is not a number); such texts get the full {@link #attributes} / {@link #text}.
     */
    public static final String KEYS = "(?i)\"[^\"]*(authorization|auth|cookie|passw|pwd|passphrase|secret|token[^s]"
            + "|token\"|apikey|api[._-]?key|credential|bearer|sig|private[._-]?key|access[._-]?key|session[._-]?id"
            + "|webhook|connection[._-]?string)[^\"]*\"\\s*:";

    /** See {@link #KEYS}. */
    public static final String SHAPES = "(?i:(bearer|basic|digest|negotiate)\\s)|eyJ[A-Za-z0-9_-]{5,}\\."
            + "|(sk|pk|rk)[-_][A-Za-z0-9_-]{12,}|(AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_|github_pat_|xox[abposr]-"
            + "|hooks\\.slack\\.com|AIza|://[^/\\s:@]+:[^@\\s/]+@"
            + "|(?i:(authorization|cookie|password|passwd|secret|token|api[_-]?key|apikey|access[_-]?key"
            + "|private[_-]?key|credential|session[_-]?id|routing[_-]?key)[A-Za-z0-9_.-]*[\"']?\\s*(=|:|is|value)"
            + "\\s*[\"']?)[^\\s0-9\"',}\\]]";

    private LakeMasking() {
    }

    /** An attribute document (AttributeJson) with its secrets masked; the same string when nothing was masked. */
    public static String attributes(String json) {
        return mask(json, true);
    }

    /** An attribute document with the values of secret keys masked (no text is searched for secret shapes). */
    public static String secretKeys(String json) {
        return mask(json, false);
    }

    private static String mask(String json, boolean shapes) {
        if (json == null) {
            return null;
        }
        List<Attribute> attrs;
        try {
            attrs = AttributeJson.decode(json);
        } catch (RuntimeException e) {
            return Secrets.maskText(json); // not an attribute document: masked as text
        }
        List<Attribute> masked = new ArrayList<>(attrs.size());
        boolean changed = false;
        for (Attribute a : attrs) {
            AttributeValue v = mask(a.key(), a.value(), shapes);
            changed |= v != a.value();
            masked.add(v == a.value() ? a : new Attribute(a.key(), v));
        }
        return changed ? AttributeJson.encode(masked) : json;
    }

    /** Free text (a status message, an eval's input or explanation) with secret-shaped parts masked. */
    public static String text(String text) {
        return Secrets.maskText(text);
    }

    /** The value, or a masked copy (a different instance) when something in it is a secret. */
    private static AttributeValue mask(String key, AttributeValue value, boolean shapes) {
        if (value instanceof AttributeValue.Str s) {
            String m = shapes || Secrets.isSecretKey(key) ? Secrets.maskAttribute(key, s.value()) : s.value();
            return m.equals(s.value()) ? value : new AttributeValue.Str(m);
        }
        if (value instanceof AttributeValue.Array arr) {
            List<AttributeValue> out = new ArrayList<>();
            boolean changed = false;
            for (AttributeValue v : arr.values()) {
                AttributeValue m = mask(key, v, shapes);
                changed |= m != v;
                out.add(m);
            }
            return changed ? new AttributeValue.Array(out) : value;
        }
        if (value instanceof AttributeValue.KvList kv) {
            List<Attribute> out = new ArrayList<>();
            boolean changed = false;
            for (Attribute a : kv.values()) {
                AttributeValue m = mask(a.key(), a.value(), shapes);
                changed |= m != a.value();
                out.add(m == a.value() ? a : new Attribute(a.key(), m));
            }
            return changed ? new AttributeValue.KvList(out) : value;
        }
        return value;
    }
}
