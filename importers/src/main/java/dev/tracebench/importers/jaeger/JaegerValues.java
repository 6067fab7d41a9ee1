package dev.tracebench.importers.jaeger;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.importers.common.JsonErrors;
import dev.tracebench.importers.common.JsonRecords;
import dev.tracebench.importers.common.JsonValues;
import dev.tracebench.importers.common.Where;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Jaeger's typed values: {@code {key, type, value}} tags and microsecond times. The value may come before its type
 * in the object, so it is captured first and interpreted once the whole tag has been read. Jaeger's JSON writes
 * numbers as JSON numbers, but hand-made and converted files often write them as strings ("42", "true"); both are
 * accepted. A value that does not fit its declared type is kept as a string with a warning rather than dropped:
 * the text is still what the user wants to see.
 */
final class JaegerValues {
    private final IngestSession session;

    JaegerValues(IngestSession session) {
        this.session = session;
    }

    /** The location of the parser's current token under {@code where}. */
    static String at(JsonParser p, Where where) {
        return where.atLine(JsonRecords.lineOf(p, where)).toString();
    }

    /**
     * Reads the {@code [{key, type, value}]} array the parser is on (null gives none). Malformed entries are skipped
     * with a warning, never failing the span.
     */
    List<Attribute> keyValues(JsonParser p, Where where) throws IOException {
        List<Attribute> out = new ArrayList<>();
        JsonRecords.forEachEntry(p, where, session, "{key, type, value}", "{key, type, value}", "; ignored",
                (q, w) -> {
                    String key = null;
                    String type = null;
                    Raw value = null;
                    while (q.nextToken() == JsonToken.FIELD_NAME) {
                        String f = q.currentName();
                        JsonToken v = q.nextToken();
                        switch (f) {
                            case "key" -> key = v == JsonToken.VALUE_STRING ? q.getText() : skip(q);
                            case "type" -> type = v == JsonToken.VALUE_STRING ? q.getText() : skip(q);
                            case "value" -> {
                                try {
                                    value = Raw.read(q);
                                } catch (StreamConstraintsException e) {
                                    throw new JsonErrors.ValueTooLong(key, w.toString(), e);
                                }
                            }
                            default -> q.skipChildren();
                        }
                    }
                    if (key == null) {
                        session.warn(w.toString(), "the tag has no key (a string); ignored");
                        return;
                    }
                    out.add(new Attribute(key, typed(key, type, value, w)));
                });
        return out;
    }

    private static String skip(JsonParser p) throws IOException {
        p.skipChildren();
        return null;
    }

    private AttributeValue typed(String key, String type, Raw raw, Where w) {
        if (raw == null || raw.token == JsonToken.VALUE_NULL) {
            return new AttributeValue.Empty();
        }
        if (raw.composite != null) {
            return raw.composite; // not Jaeger, but an object or array value is kept as it is
        }
        String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
        switch (t) {
            case "string":
                return new AttributeValue.Str(raw.text);
            case "bool":
            case "boolean":
                if (raw.token == JsonToken.VALUE_TRUE || raw.token == JsonToken.VALUE_FALSE) {
                    return new AttributeValue.Bool(raw.token == JsonToken.VALUE_TRUE);
                }
                if (raw.token == JsonToken.VALUE_STRING && (raw.text.trim().equalsIgnoreCase("true")
                        || raw.text.trim().equalsIgnoreCase("false"))) {
                    return new AttributeValue.Bool(Boolean.parseBoolean(raw.text.trim()));
                }
                return mismatch(key, type, raw, w);
            case "int64":
                if (raw.token == JsonToken.VALUE_NUMBER_INT || raw.token == JsonToken.VALUE_STRING
                        || raw.token == JsonToken.VALUE_NUMBER_FLOAT) {
                    try {
                        return new AttributeValue.Int(new BigDecimal(raw.text.trim()).longValueExact());
                    } catch (NumberFormatException | ArithmeticException e) {
                        return mismatch(key, type, raw, w);
                    }
                }
                return mismatch(key, type, raw, w);
            case "float64":
                if (raw.token == JsonToken.VALUE_NUMBER_INT || raw.token == JsonToken.VALUE_NUMBER_FLOAT
                        || raw.token == JsonToken.VALUE_STRING) {
                    Double d = parseDouble(raw.text.trim());
                    if (d != null) {
                        return new AttributeValue.Dbl(d);
                    }
                }
                return mismatch(key, type, raw, w);
            case "binary":
                if (raw.token == JsonToken.VALUE_STRING) {
                    String s = raw.text.trim();
                    try {
                        return new AttributeValue.Bytes(s.indexOf('-') >= 0 || s.indexOf('_') >= 0
                                ? Base64.getUrlDecoder().decode(s) : Base64.getDecoder().decode(s));
                    } catch (IllegalArgumentException e) {
                        return mismatch(key, type, raw, w);
                    }
                }
                return mismatch(key, type, raw, w);
            case "":
                return inferred(raw);
            default:
                session.warn(w.toString(), "tag '" + key + "' has the unknown type '" + type
                        + "'; its JSON type was used");
                return inferred(raw);
        }
    }

    private AttributeValue mismatch(String key, String type, Raw raw, Where w) {
        session.warn(w.toString(), "tag '" + key + "': '" + abbreviate(raw.text) + "' is not a valid " + type
                + "; kept as a string");
        return new AttributeValue.Str(raw.text);
    }

    private static AttributeValue inferred(Raw raw) {
        switch (raw.token) {
            case VALUE_TRUE:
                return new AttributeValue.Bool(true);
            case VALUE_FALSE:
                return new AttributeValue.Bool(false);
            case VALUE_NUMBER_INT:
                try {
                    return new AttributeValue.Int(Long.parseLong(raw.text));
                } catch (NumberFormatException e) {
                    return new AttributeValue.Dbl(Double.parseDouble(raw.text));
                }
            case VALUE_NUMBER_FLOAT:
                return new AttributeValue.Dbl(Double.parseDouble(raw.text));
            default:
                return new AttributeValue.Str(raw.text);
        }
    }

    private static Double parseDouble(String s) {
        switch (s) {
            case "NaN":
                return Double.NaN;
            case "Infinity":
            case "+Infinity":
                return Double.POSITIVE_INFINITY;
            case "-Infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    // Double.parseDouble would also take "1f", "0x1p3" and padded text; JSON numbers only
                    return new BigDecimal(s).doubleValue();
                } catch (NumberFormatException e) {
                    return null;
                }
        }
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() > 48 ? s.substring(0, 48) + "…" : s;
    }

    /** A value as read, before its type is known. */
    private record Raw(JsonToken token, String text, AttributeValue composite) {
        static Raw read(JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                return new Raw(t, null, JsonValues.value(p));
            }
            return new Raw(t, t == JsonToken.VALUE_NULL ? null : p.getText(), null);
        }
    }
}
