package dev.tracebench.core.model;

import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A typed OpenTelemetry {@code AnyValue}. Attributes keep their type through import, storage and display:
 * an int stays an int, a double a double, bytes stay bytes.
 */
public sealed interface AttributeValue {

    /** The type name shown to users (and used in the attribute table's type column). */
    String typeName();

    /** A short human-readable rendering (JSON-like for arrays and key/value lists). */
    String display();

    record Str(String value) implements AttributeValue {
        public Str {
            Objects.requireNonNull(value);
        }

        @Override
        public String typeName() {
            return "string";
        }

        @Override
        public String display() {
            return value;
        }
    }

    record Int(long value) implements AttributeValue {
        @Override
        public String typeName() {
            return "int";
        }

        @Override
        public String display() {
            return Long.toString(value);
        }
    }

    record Dbl(double value) implements AttributeValue {
        @Override
        public String typeName() {
            return "double";
        }

        @Override
        public String display() {
            return Double.toString(value);
        }
    }

    record Bool(boolean value) implements AttributeValue {
        @Override
        public String typeName() {
            return "bool";
        }

        @Override
        public String display() {
            return Boolean.toString(value);
        }
    }

    record Bytes(byte[] value) implements AttributeValue {
        public Bytes {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public String typeName() {
            return "bytes";
        }

        @Override
        public String display() {
            return Base64.getEncoder().encodeToString(value);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && java.util.Arrays.equals(value, b.value);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Bytes[" + display() + "]";
        }
    }

    record Array(List<AttributeValue> values) implements AttributeValue {
        public Array {
            values = List.copyOf(values);
        }

        @Override
        public String typeName() {
            if (values.isEmpty()) {
                return "array";
            }
            String first = values.get(0).typeName();
            for (AttributeValue v : values) {
                if (!v.typeName().equals(first)) {
                    return "array";
                }
            }
            return first + "[]";
        }

        @Override
        public String display() {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                AttributeValue v = values.get(i);
                sb.append(v instanceof Str s ? '"' + s.value() + '"' : v.display());
            }
            return sb.append(']').toString();
        }
    }

    record KvList(List<Attribute> values) implements AttributeValue {
        public KvList {
            values = List.copyOf(values);
        }

        @Override
        public String typeName() {
            return "kvlist";
        }

        @Override
        public String display() {
            StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                Attribute a = values.get(i);
                AttributeValue v = a.value();
                sb.append(a.key()).append(": ").append(v instanceof Str s ? '"' + s.value() + '"' : v.display());
            }
            return sb.append('}').toString();
        }
    }

    /** An {@code AnyValue} with no value set (allowed by OTLP; shown as empty). */
    record Empty() implements AttributeValue {
        @Override
        public String typeName() {
            return "empty";
        }

        @Override
        public String display() {
            return "";
        }
    }
}
