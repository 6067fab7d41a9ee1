package dev.tracebench.importers.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Plain JSON values as typed attributes, for formats whose attributes are native JSON (not OTLP AnyValues). */
public final class JsonValues {
    private JsonValues() {
    }

    /**
     * The value the parser is on as a typed attribute value: strings, integers (as int, or as double beyond 64 bits),
     * decimals (double), booleans, null (empty), arrays (array) and objects (key/value list). Consumes the value.
     */
    public static AttributeValue value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case VALUE_STRING:
                return new AttributeValue.Str(p.getText());
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? new AttributeValue.Dbl(p.getDoubleValue()) : new AttributeValue.Int(p.getLongValue());
            case VALUE_NUMBER_FLOAT:
                return new AttributeValue.Dbl(p.getDoubleValue());
            case VALUE_TRUE:
                return new AttributeValue.Bool(true);
            case VALUE_FALSE:
                return new AttributeValue.Bool(false);
            case START_ARRAY: {
                List<AttributeValue> values = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    values.add(value(p));
                }
                return new AttributeValue.Array(values);
            }
            case START_OBJECT: {
                List<Attribute> fields = new ArrayList<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    p.nextToken();
                    fields.add(new Attribute(k, value(p)));
                }
                return new AttributeValue.KvList(fields);
            }
            default:
                p.skipChildren();
                return new AttributeValue.Empty();
        }
    }

    /**
     * Flattens the object the parser is on into dotted keys, the way OpenInference writes nested attributes flat:
     * {@code {"llm":{"token_count":{"prompt":10}}}} gives {@code llm.token_count.prompt = 10}; an array holding
     * objects gives indexed keys ({@code llm.input_messages.0.message.role}); an array of plain values stays one
     * array attribute. Consumes the object.
     */
    public static void flatten(JsonParser p, String prefix, List<Attribute> out) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = prefix.isEmpty() ? p.currentName() : prefix + "." + p.currentName();
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT) {
                flatten(p, key, out);
            } else if (t == JsonToken.START_ARRAY) {
                flattenArray(p, key, out);
            } else if (t != JsonToken.VALUE_NULL) {
                out.add(new Attribute(key, value(p)));
            }
        }
    }

    private static void flattenArray(JsonParser p, String key, List<Attribute> out) throws IOException {
        List<AttributeValue> scalars = new ArrayList<>();
        int i = 0;
        boolean objects = false;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            JsonToken t = p.currentToken();
            if (t == JsonToken.START_OBJECT) {
                objects = true;
                flatten(p, key + "." + i, out);
            } else if (t == JsonToken.START_ARRAY) {
                objects = true;
                flattenArray(p, key + "." + i, out);
            } else {
                scalars.add(value(p));
            }
            i++;
        }
        if (!objects) {
            out.add(new Attribute(key, new AttributeValue.Array(scalars)));
        } else {
            for (int k = 0; k < scalars.size(); k++) {
                out.add(new Attribute(key + ".v" + k, scalars.get(k)));
            }
        }
    }

    /** The text of a scalar value (strings as they are, numbers and booleans as written), or null. */
    public static String text(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT
                || t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return p.getText();
        }
        p.skipChildren();
        return null;
    }
}
