package dev.tracebench.importers.common;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON tree for the formats that must buffer a record (Langfuse traces, eval result files). Objects
 * remember the line they start on (for problem locations) and whether they were read to their end: a container is
 * attached to its parent before it is filled, so when the input breaks off, everything read before the break is still
 * reachable and complete objects can be told from the one cut short. Numbers keep their text, so JSON written back ({@link #toJson}) shows them as the source
 * did.
 */
public final class JsonTree {
    private JsonTree() {
    }

    /** A JSON object with its start line; {@code complete} once its closing brace was read. */
    public static final class Obj extends LinkedHashMap<String, Object> {
        private static final long serialVersionUID = 1L;
        public final long line;
        public boolean complete;

        public Obj(long line) {
            this.line = line;
        }

        /** The string value of {@code key}, or null if absent, null or not a string. */
        public String str(String key) {
            return get(key) instanceof String s ? s : null;
        }
    }

    /** A JSON number as written. */
    public record Num(String text, boolean integral) {
    }

    /** Fills {@code o} from the parser, which is on the object's START_OBJECT; ends on its END_OBJECT. */
    public static void fill(JsonParser p, Obj o, Where where) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT) {
                Obj child = new Obj(JsonRecords.lineOf(p, where));
                o.put(key, child);
                fill(p, child, where);
            } else if (t == JsonToken.START_ARRAY) {
                List<Object> child = new ArrayList<>();
                o.put(key, child);
                fill(p, child, where);
            } else {
                o.put(key, scalar(p));
            }
        }
        o.complete = true;
    }

    /** Fills {@code a} from the parser, which is on the array's START_ARRAY; ends on its END_ARRAY. */
    public static void fill(JsonParser p, List<Object> a, Where where) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.START_OBJECT) {
                Obj child = new Obj(JsonRecords.lineOf(p, where));
                a.add(child);
                fill(p, child, where);
            } else if (t == JsonToken.START_ARRAY) {
                List<Object> child = new ArrayList<>();
                a.add(child);
                fill(p, child, where);
            } else {
                a.add(scalar(p));
            }
        }
    }

    private static Object scalar(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return new Num(p.getText(), true);
            case VALUE_NUMBER_FLOAT:
                return new Num(p.getText(), false);
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            default:
                p.skipChildren();
                return null;
        }
    }

    /** Parses a complete JSON text (a JSON-encoded string field); throws if it is not exactly one JSON value. */
    public static Object parse(String text) throws IOException {
        try (JsonParser p = JsonRecords.JSON.createParser(text)) {
            if (p.nextToken() == null) {
                throw new IOException("empty text");
            }
            Object v;
            if (p.currentToken() == JsonToken.START_OBJECT) {
                Obj o = new Obj(1);
                fill(p, o, new Where(1, ""));
                v = o;
            } else if (p.currentToken() == JsonToken.START_ARRAY) {
                List<Object> a = new ArrayList<>();
                fill(p, a, new Where(1, ""));
                v = a;
            } else {
                v = scalar(p);
            }
            if (p.nextToken() != null) {
                throw new IOException("extra content after the JSON value");
            }
            return v;
        }
    }

    /** Compact JSON text of a tree value (numbers as they were written). */
    public static String toJson(Object v) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JsonRecords.JSON.createGenerator(out)) {
            write(g, v);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Num n) {
            g.writeNumber(n.text());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Long || v instanceof Integer) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName((String) e.getKey());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object x : l) {
                write(g, x);
            }
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("not a JSON tree value: " + v.getClass());
        }
    }

    /**
     * A tree value as a typed attribute value, the way {@code JsonValues.value} types plain JSON: strings, integers
     * (beyond 64 bits as double), decimals, booleans, arrays, objects as key/value lists, null as empty.
     */
    public static AttributeValue toValue(Object v) {
        if (v == null) {
            return new AttributeValue.Empty();
        }
        if (v instanceof String s) {
            return new AttributeValue.Str(s);
        }
        if (v instanceof Boolean b) {
            return new AttributeValue.Bool(b);
        }
        if (v instanceof Num n) {
            if (n.integral()) {
                try {
                    return new AttributeValue.Int(Long.parseLong(n.text()));
                } catch (NumberFormatException e) {
                    return new AttributeValue.Dbl(new BigInteger(n.text()).doubleValue());
                }
            }
            return new AttributeValue.Dbl(Double.parseDouble(n.text()));
        }
        if (v instanceof List<?> l) {
            List<AttributeValue> values = new ArrayList<>(l.size());
            for (Object x : l) {
                values.add(toValue(x));
            }
            return new AttributeValue.Array(values);
        }
        if (v instanceof Map<?, ?> m) {
            List<Attribute> fields = new ArrayList<>(m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                fields.add(new Attribute((String) e.getKey(), toValue(e.getValue())));
            }
            return new AttributeValue.KvList(fields);
        }
        throw new IllegalArgumentException("not a JSON tree value: " + v.getClass());
    }

    /** The value at a path of object keys ({@code get(o, "response", "output")}), or null where it breaks off. */
    public static Object get(Object v, String... keys) {
        for (String k : keys) {
            if (!(v instanceof Map<?, ?> m)) {
                return null;
            }
            v = m.get(k);
        }
        return v;
    }

    /** A number as a double (a numeric string too), or null. */
    public static Double num(Object v) {
        if (v instanceof Num n) {
            return Double.parseDouble(n.text());
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** An integer as a long (a decimal part is dropped), or null. */
    public static Long lng(Object v) {
        Double d = num(v);
        return d == null || d.isNaN() ? null : d.longValue();
    }

    /** A string as it is, anything else but null as its JSON text. */
    public static String text(Object v) {
        return v == null ? null : v instanceof String s ? s : toJson(v);
    }

    /** How a value is described in messages. */
    public static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Num n) {
            return n.integral() ? "an integer" : "a decimal number";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof Map) {
            return "an object";
        }
        return "an array";
    }
}
