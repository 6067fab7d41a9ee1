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
     * An RE2 pattern (DuckDB's {@code regexp_matches}) matching every text {@link Secrets} could mask, and little else,
     * so that only those rows are handed to Java: object keys holding a secret word (but not {@code input_tokens}),
     * the shapes {@link Secrets#maskText} knows, and {@code key: value} pairs with a secret word and a value that is
     * not a number. A superset by construction: a row it misses has nothing Secrets would change.
     */
    public static final String CANDIDATES = "(?i)"
            // keys (attribute documents): a secret word in a quoted key; "tokens" and token counts are not
            + "\"[^\"]*(authorization|auth|cookie|passw|pwd|passphrase|secret|token[^s]|token\"|apikey|api[._-]?key"
            + "|credential|bearer|sig|private[._-]?key|access[._-]?key|session[._-]?id|webhook"
            + "|connection[._-]?string)[^\"]*\"\\s*:"
            // shapes
            + "|(bearer|basic|digest|negotiate)\\s|eyJ[A-Za-z0-9_-]{5,}\\.|(sk|pk|rk)[-_][A-Za-z0-9_-]{12,}"
            + "|(AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_|github_pat_|xox[abposr]-|hooks\\.slack\\.com|AIza"
            + "|://[^/\\s:@]+:[^@\\s/]+@"
            // key=value pairs in text, with a value that is not a number
            + "|(authorization|cookie|password|passwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key"
            + "|credential|session[_-]?id|routing[_-]?key)[A-Za-z0-9_.-]*[\"']?\\s*(=|:|is|value)\\s*[\"']?"
            + "[^\\s0-9\"',}\\]]";

    private LakeMasking() {
    }

    /** An attribute document (AttributeJson) with its secrets masked; the same string when nothing was masked. */
    public static String attributes(String json) {
        if (json == null || !mayHoldSecretKey(json) && !Secrets.containsSecret(json)) {
            return json;
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
            AttributeValue v = mask(a.key(), a.value());
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
    private static AttributeValue mask(String key, AttributeValue value) {
        if (value instanceof AttributeValue.Str s) {
            String m = Secrets.maskAttribute(key, s.value());
            return m.equals(s.value()) ? value : new AttributeValue.Str(m);
        }
        if (value instanceof AttributeValue.Array arr) {
            List<AttributeValue> out = new ArrayList<>();
            boolean changed = false;
            for (AttributeValue v : arr.values()) {
                AttributeValue m = mask(key, v);
                changed |= m != v;
                out.add(m);
            }
            return changed ? new AttributeValue.Array(out) : value;
        }
        if (value instanceof AttributeValue.KvList kv) {
            List<Attribute> out = new ArrayList<>();
            boolean changed = false;
            for (Attribute a : kv.values()) {
                AttributeValue m = mask(a.key(), a.value());
                changed |= m != a.value();
                out.add(m == a.value() ? a : new Attribute(a.key(), m));
            }
            return changed ? new AttributeValue.KvList(out) : value;
        }
        return value;
    }

    /** A cheap look for keys that may name a credential before the document is decoded. */
    private static boolean mayHoldSecretKey(String json) {
        String lower = json.toLowerCase(java.util.Locale.ROOT);
        for (String w : new String[] {"auth", "cookie", "pass", "pwd", "secret", "token", "key", "credential",
                "bearer", "sig", "session", "webhook", "connection"}) {
            if (lower.contains(w)) {
                return true;
            }
        }
        return false;
    }
}
