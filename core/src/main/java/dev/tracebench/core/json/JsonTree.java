package dev.tracebench.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small JSON documents as plain Java values: {@code Map<String, Object>} (insertion order), {@code List<Object>},
 * {@code String}, {@code Long}/{@code Double}, {@code Boolean} and {@code null}. Used for the JSON that
 * instrumentations put inside string attributes (messages, documents, tool calls).
 */
public final class JsonTree {
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE)
                    .maxNestingDepth(500).build())
            .build();

    private JsonTree() {
    }

    /** The value of a JSON text, or {@code null} if the text is not (exactly one) JSON value. */
    public static Object parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        if (t.isEmpty() || "{[\"tfn-0123456789".indexOf(t.charAt(0)) < 0) {
            return null;
        }
        try (JsonParser p = JSON.createParser(t)) {
            JsonToken tok = p.nextToken();
            if (tok == null) {
                return null;
            }
            Object v = read(p, tok);
            return p.nextToken() == null ? v : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Object read(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    m.putIfAbsent(k, read(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                JsonToken n;
                while ((n = p.nextToken()) != JsonToken.END_ARRAY) {
                    l.add(read(p, n));
                }
                return l;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getDecimalValue() : p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            default:
                return null;
        }
    }

    /**
     * The number of elements of an attribute value that is a list: an array, or a string holding a JSON array
     * (counted without building it); null for anything else. Same answer as {@code of(v) instanceof List l ? l.size()}.
     */
    public static Integer listSize(AttributeValue v) {
        if (v instanceof AttributeValue.Array a) {
            return a.values().size();
        }
        if (!(v instanceof AttributeValue.Str s)) {
            return null;
        }
        String t = s.value().strip();
        if (t.isEmpty() || t.charAt(0) != '[') {
            return null;
        }
        try (JsonParser p = JSON.createParser(t)) {
            p.nextToken();
            int n = 0;
            JsonToken e;
            while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                if (e == null) {
                    return null;
                }
                p.skipChildren();
                n++;
            }
            return p.nextToken() == null ? n : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * An attribute value as a plain value: a string that holds JSON is parsed (instrumentations often put JSON in a
     * string attribute), arrays and key/value lists become lists and maps.
     */
    public static Object of(AttributeValue v) {
        if (v instanceof AttributeValue.Str s) {
            Object parsed = parse(s.value());
            return parsed != null && !(parsed instanceof String) ? parsed : s.value();
        }
        return plain(v);
    }

    private static Object plain(AttributeValue v) {
        if (v instanceof AttributeValue.Str s) {
            return s.value();
        } else if (v instanceof AttributeValue.Int i) {
            return i.value();
        } else if (v instanceof AttributeValue.Dbl d) {
            return d.value();
        } else if (v instanceof AttributeValue.Bool b) {
            return b.value();
        } else if (v instanceof AttributeValue.Bytes b) {
            return Base64.getEncoder().encodeToString(b.value());
        } else if (v instanceof AttributeValue.Array a) {
            List<Object> l = new ArrayList<>(a.values().size());
            for (AttributeValue x : a.values()) {
                l.add(plain(x));
            }
            return l;
        } else if (v instanceof AttributeValue.KvList kv) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Attribute a : kv.values()) {
                m.putIfAbsent(a.key(), plain(a.value()));
            }
            return m;
        }
        return null;
    }

    /** Compact JSON text of a plain value (for tool call arguments given as objects). */
    public static String write(Object v) {
        StringBuilder sb = new StringBuilder();
        write(v, sb);
        return sb.toString();
    }

    private static void write(Object v, StringBuilder sb) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            AttributeJson.quote(s, sb);
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                AttributeJson.quote(String.valueOf(e.getKey()), sb);
                sb.append(':');
                write(e.getValue(), sb);
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(l.get(i), sb);
            }
            sb.append(']');
        } else {
            sb.append(v);
        }
    }
}
