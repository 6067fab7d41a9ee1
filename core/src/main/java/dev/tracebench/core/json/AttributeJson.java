package dev.tracebench.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Typed attributes as JSON text, the form the workspace stores them in ({@code attributes JSON} columns).
 *
 * <p>A list of attributes becomes one JSON object, key to value, so that SQL can read a value with
 * {@code attributes->>'$."gen_ai.request.model"'} (or the {@code attr(attributes, key)} macro). JSON's own types carry
 * the OTLP types: strings are strings, ints are integer literals, doubles always carry a fraction or exponent
 * ({@code 1.0}), bools are booleans, arrays are arrays and key/value lists are objects. The three things JSON cannot
 * say are tagged with a one-key object: {@code {"$bytes":"<base64>"}}, {@code {"$double":"NaN"}} (and infinities),
 * and {@code {"$kvlist":{...}}} for a key/value list whose own keys start with '$' (so no list is misread as a tag).
 * An AnyValue with nothing set is {@code null}. When a key repeats, the first value is kept.
 */
public final class AttributeJson {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private AttributeJson() {
    }

    /** Encodes attributes; keys that repeat keep their first value. */
    public static String encode(List<Attribute> attributes) {
        StringBuilder sb = new StringBuilder(32 + attributes.size() * 48);
        encodeObject(attributes, sb);
        return sb.toString();
    }

    /**
     * Encodes attributes straight to UTF-8 (what the workspace stores), the same text as {@link #encode}, using
     * {@code scratch} as the working buffer; returns a new array holding exactly the encoded bytes.
     */
    public static byte[] encodeUtf8(List<Attribute> attributes, Utf8Buffer scratch) {
        encodeUtf8Into(attributes, scratch);
        return scratch.toByteArray();
    }

    /**
     * Encodes attributes as {@link #encodeUtf8} does into {@code out}, cleared first: a {@link Utf8Buffer#counting}
     * buffer measures the encoded size of a large value without holding it, one made {@link Utf8Buffer#exactly} that
     * size then receives it with no copy.
     */
    public static void encodeUtf8Into(List<Attribute> attributes, Utf8Buffer out) {
        out.clear();
        encodeObject(attributes, out);
    }

    /**
     * Characters of text in the values (base64 for bytes, nested lists included; keys are short and left out): a cheap
     * measure of how much memory the attributes hold and their JSON will take. Called for every span on the
     * importer's thread, so it only reads each value's length.
     */
    public static long textLength(List<Attribute> attributes) {
        long n = 0;
        for (int i = 0, size = attributes.size(); i < size; i++) {
            AttributeValue v = attributes.get(i).value();
            n += v instanceof AttributeValue.Str s ? s.value().length() : textLength(v);
        }
        return n;
    }

    private static long textLength(AttributeValue v) {
        if (v instanceof AttributeValue.Str s) {
            return s.value().length();
        } else if (v instanceof AttributeValue.Bytes b) {
            return b.value().length / 3 * 4 + 4;
        } else if (v instanceof AttributeValue.Array arr) {
            long n = 0;
            for (AttributeValue x : arr.values()) {
                n += 1 + textLength(x);
            }
            return n;
        } else if (v instanceof AttributeValue.KvList kv) {
            return textLength(kv.values());
        }
        return 8;
    }

    /** Number of keys in the list that repeat an earlier key (those values are dropped by {@link #encode}). */
    public static int duplicateKeys(List<Attribute> attributes) {
        if (attributes.size() < 2) {
            return 0;
        }
        if (attributes.size() <= 8) {
            int dups = 0;
            for (int i = 1; i < attributes.size(); i++) {
                String k = attributes.get(i).key();
                for (int j = 0; j < i; j++) {
                    if (attributes.get(j).key().equals(k)) {
                        dups++;
                        break;
                    }
                }
            }
            return dups;
        }
        Set<String> seen = new HashSet<>();
        int dups = 0;
        for (Attribute a : attributes) {
            if (!seen.add(a.key())) {
                dups++;
            }
        }
        return dups;
    }

    private static void encodeObject(List<Attribute> attributes, StringBuilder sb) {
        sb.append('{');
        boolean first = true;
        Set<String> seen = attributes.size() > 8 ? new HashSet<>() : null;
        for (int i = 0; i < attributes.size(); i++) {
            Attribute a = attributes.get(i);
            if (seen != null ? !seen.add(a.key()) : repeatsEarlier(attributes, i)) {
                continue;
            }
            if (!first) {
                sb.append(',');
            }
            first = false;
            quote(a.key(), sb);
            sb.append(':');
            encodeValue(a.value(), sb);
        }
        sb.append('}');
    }

    private static boolean repeatsEarlier(List<Attribute> attributes, int i) {
        String k = attributes.get(i).key();
        for (int j = 0; j < i; j++) {
            if (attributes.get(j).key().equals(k)) {
                return true;
            }
        }
        return false;
    }

    private static void encodeValue(AttributeValue v, StringBuilder sb) {
        if (v instanceof AttributeValue.Str s) {
            quote(s.value(), sb);
        } else if (v instanceof AttributeValue.Int i) {
            sb.append(i.value());
        } else if (v instanceof AttributeValue.Dbl d) {
            double x = d.value();
            if (Double.isFinite(x)) {
                sb.append(Double.toString(x));
            } else {
                sb.append("{\"$double\":\"").append(Double.isNaN(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity")
                        .append("\"}");
            }
        } else if (v instanceof AttributeValue.Bool b) {
            sb.append(b.value());
        } else if (v instanceof AttributeValue.Bytes b) {
            sb.append("{\"$bytes\":\"").append(Base64.getEncoder().encodeToString(b.value())).append("\"}");
        } else if (v instanceof AttributeValue.Array arr) {
            sb.append('[');
            List<AttributeValue> values = arr.values();
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                encodeValue(values.get(i), sb);
            }
            sb.append(']');
        } else if (v instanceof AttributeValue.KvList kv) {
            boolean needsTag = false;
            for (Attribute a : kv.values()) {
                if (a.key().startsWith("$")) {
                    needsTag = true;
                    break;
                }
            }
            if (needsTag) {
                sb.append("{\"$kvlist\":");
                encodeObject(kv.values(), sb);
                sb.append('}');
            } else {
                encodeObject(kv.values(), sb);
            }
        } else {
            sb.append("null");
        }
    }

    /** Appends {@code s} as a JSON string literal. */
    public static void quote(String s, StringBuilder sb) {
        sb.append('"');
        int n = s.length();
        int run = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && !(c >= 0xD800 && c <= 0xDFFF)) {
                continue;
            }
            sb.append(s, run, i);
            run = i + 1;
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c >= 0xD800 && c <= 0xDFFF) {
                        // keep valid surrogate pairs, replace lone surrogates (not representable in UTF-8)
                        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                            sb.append(c).append(s.charAt(i + 1));
                            i++;
                            run = i + 1;
                        } else {
                            sb.append('\uFFFD');
                        }
                    } else {
                        sb.append(String.format("\\u%04x", (int) c));
                    }
                }
            }
        }
        sb.append(s, run, n);
        sb.append('"');
    }

    private static void encodeObject(List<Attribute> attributes, Utf8Buffer sb) {
        sb.append('{');
        int n = attributes.size();
        // repeated keys, found by comparing cached hash codes first (keys are mostly shared String instances)
        int[] hashes = n > 1 && n <= 64 ? new int[n] : null;
        Set<String> seen = n > 64 ? new HashSet<>() : null;
        boolean first = true;
        for (int i = 0; i < n; i++) {
            Attribute a = attributes.get(i);
            String key = a.key();
            if (hashes != null) {
                int h = key.hashCode();
                hashes[i] = h;
                if (repeatsEarlier(attributes, hashes, i, h)) {
                    sb.duplicates++;
                    continue;
                }
            } else if (seen != null && !seen.add(key)) {
                sb.duplicates++;
                continue;
            }
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.appendKey(key);
            encodeValue(a.value(), sb);
        }
        sb.append('}');
    }

    private static boolean repeatsEarlier(List<Attribute> attributes, int[] hashes, int i, int h) {
        for (int j = 0; j < i; j++) {
            if (hashes[j] == h && attributes.get(j).key().equals(attributes.get(i).key())) {
                return true;
            }
        }
        return false;
    }

    private static void encodeValue(AttributeValue v, Utf8Buffer sb) {
        if (v instanceof AttributeValue.Str s) {
            quote(s.value(), sb);
        } else if (v instanceof AttributeValue.Int i) {
            sb.appendLong(i.value());
        } else if (v instanceof AttributeValue.Dbl d) {
            double x = d.value();
            if (Double.isFinite(x)) {
                sb.appendAscii(Double.toString(x));
            } else {
                sb.appendAscii("{\"$double\":\"")
                        .appendAscii(Double.isNaN(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity").appendAscii("\"}");
            }
        } else if (v instanceof AttributeValue.Bool b) {
            sb.appendAscii(b.value() ? "true" : "false");
        } else if (v instanceof AttributeValue.Bytes b) {
            sb.appendAscii("{\"$bytes\":\"");
            appendBase64(b.value(), sb);
            sb.appendAscii("\"}");
        } else if (v instanceof AttributeValue.Array arr) {
            sb.append('[');
            List<AttributeValue> values = arr.values();
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                encodeValue(values.get(i), sb);
            }
            sb.append(']');
        } else if (v instanceof AttributeValue.KvList kv) {
            boolean needsTag = false;
            for (Attribute a : kv.values()) {
                if (a.key().startsWith("$")) {
                    needsTag = true;
                    break;
                }
            }
            if (needsTag) {
                sb.appendAscii("{\"$kvlist\":");
                encodeObject(kv.values(), sb);
                sb.append('}');
            } else {
                encodeObject(kv.values(), sb);
            }
        } else {
            sb.appendAscii("null");
        }
    }

    /** Base64 in pieces (whole groups of three bytes encode the same alone): no copy of a large value at once. */
    private static void appendBase64(byte[] value, Utf8Buffer sb) {
        Base64.Encoder base64 = Base64.getEncoder();
        int piece = Utf8Buffer.CHUNK / 4 * 3;
        for (int at = 0; at < value.length; at += piece) {
            java.nio.ByteBuffer text = base64.encode(java.nio.ByteBuffer.wrap(value, at,
                    Math.min(piece, value.length - at)));
            sb.appendAscii(text.array(), text.arrayOffset() + text.position(), text.arrayOffset() + text.limit());
        }
    }

    /** Appends {@code s} as a JSON string literal, UTF-8 encoded. */
    public static void quote(String s, Utf8Buffer sb) {
        int n = s.length();
        if (n >= 32 && sb.appendQuotedIfPlainAscii(s)) {
            return;
        }
        int plain = 0;
        while (plain < n) {
            char c = s.charAt(plain);
            if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
                break;
            }
            plain++;
        }
        sb.append('"');
        if (plain == n) {
            // printable ASCII with nothing to escape: the common case, copied in one go
            sb.appendAsciiRange(s, 0, n);
            sb.append('"');
            return;
        }
        int run = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && !(c >= 0xD800 && c <= 0xDFFF)) {
                continue;
            }
            sb.appendChars(s, run, i);
            run = i + 1;
            switch (c) {
                case '"' -> sb.appendAscii("\\\"");
                case '\\' -> sb.appendAscii("\\\\");
                case '\n' -> sb.appendAscii("\\n");
                case '\r' -> sb.appendAscii("\\r");
                case '\t' -> sb.appendAscii("\\t");
                default -> {
                    if (c >= 0xD800 && c <= 0xDFFF) {
                        // keep valid surrogate pairs, replace lone surrogates (not representable in UTF-8)
                        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                            sb.appendCodePoint(Character.toCodePoint(c, s.charAt(i + 1)));
                            i++;
                            run = i + 1;
                        } else {
                            sb.appendCodePoint(0xFFFD);
                        }
                    } else {
                        sb.appendAscii(String.format("\\u%04x", (int) c));
                    }
                }
            }
        }
        sb.appendChars(s, run, n);
        sb.append('"');
    }

    /** Decodes what {@link #encode} wrote (or any JSON object) back into typed attributes. */
    public static List<Attribute> decode(String json) {
        if (json == null || json.isEmpty()) {
            return List.of();
        }
        try (JsonParser p = JSON.createParser(json)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("attribute JSON is not an object: " + abbreviate(json));
            }
            return readObject(p);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable attribute JSON: " + abbreviate(json), e);
        }
    }

    private static List<Attribute> readObject(JsonParser p) throws IOException {
        List<Attribute> out = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            out.add(new Attribute(key, readValue(p)));
        }
        return out;
    }

    private static AttributeValue readValue(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case VALUE_STRING:
                return new AttributeValue.Str(p.getText());
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    return new AttributeValue.Dbl(p.getDoubleValue());
                }
                return new AttributeValue.Int(p.getLongValue());
            case VALUE_NUMBER_FLOAT:
                return new AttributeValue.Dbl(p.getDoubleValue());
            case VALUE_TRUE:
                return new AttributeValue.Bool(true);
            case VALUE_FALSE:
                return new AttributeValue.Bool(false);
            case VALUE_NULL:
                return new AttributeValue.Empty();
            case START_ARRAY: {
                List<AttributeValue> values = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    values.add(readValue(p));
                }
                return new AttributeValue.Array(values);
            }
            case START_OBJECT: {
                if (p.nextToken() != JsonToken.FIELD_NAME) {
                    return new AttributeValue.KvList(List.of());
                }
                if (p.currentName().equals("$kvlist")) {
                    // a key/value list whose own keys start with '$': read it as is, without tag detection
                    p.nextToken();
                    List<Attribute> fields = readObject(p);
                    p.nextToken(); // the wrapper's END_OBJECT
                    return new AttributeValue.KvList(fields);
                }
                List<Attribute> fields = new ArrayList<>();
                do {
                    String key = p.currentName();
                    p.nextToken();
                    fields.add(new Attribute(key, readValue(p)));
                } while (p.nextToken() == JsonToken.FIELD_NAME);
                if (fields.size() == 1) {
                    Attribute only = fields.get(0);
                    String k = only.key();
                    if (k.equals("$bytes") && only.value() instanceof AttributeValue.Str s) {
                        return new AttributeValue.Bytes(Base64.getDecoder().decode(s.value()));
                    }
                    if (k.equals("$double") && only.value() instanceof AttributeValue.Str s) {
                        return new AttributeValue.Dbl(Double.parseDouble(s.value()));
                    }
                }
                return new AttributeValue.KvList(fields);
            }
            default:
                throw new IOException("unexpected JSON token " + p.currentToken());
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
