package dev.tracebench.core.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders a {@link Table} as text, CSV (RFC 4180) or JSON (an array of objects). */
public enum TableWriter {
    TABLE {
        @Override
        public void write(Table t, Writer out) throws IOException {
            int n = t.columns().size();
            int[] width = new int[n];
            List<String[]> cells = new ArrayList<>(t.rows().size());
            for (int i = 0; i < n; i++) {
                width[i] = t.columns().get(i).length();
            }
            boolean[] numeric = new boolean[n];
            java.util.Arrays.fill(numeric, true);
            for (List<Object> row : t.rows()) {
                String[] r = new String[n];
                for (int i = 0; i < n; i++) {
                    Object v = row.get(i);
                    r[i] = v == null ? "" : oneLine(text(v));
                    width[i] = Math.min(MAX_CELL, Math.max(width[i], r[i].length()));
                    if (v != null && !(v instanceof Number)) {
                        numeric[i] = false;
                    }
                }
                cells.add(r);
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                pad(sb, t.columns().get(i), width[i], numeric[i] && !t.rows().isEmpty(), i == n - 1);
            }
            sb.append('\n');
            for (int i = 0; i < n; i++) {
                sb.append("-".repeat(width[i])).append(i == n - 1 ? "" : "  ");
            }
            sb.append('\n');
            out.write(sb.toString());
            for (String[] r : cells) {
                sb.setLength(0);
                for (int i = 0; i < n; i++) {
                    pad(sb, r[i], width[i], numeric[i], i == n - 1);
                }
                sb.append('\n');
                out.write(sb.toString());
            }
        }
    },
    CSV {
        @Override
        public void write(Table t, Writer out) throws IOException {
            writeCsvRow(out, new ArrayList<>(t.columns()));
            for (List<Object> row : t.rows()) {
                writeCsvRow(out, row);
            }
        }
    },
    JSON {
        @Override
        public void write(Table t, Writer out) throws IOException {
            JsonGenerator g = new JsonFactory().createGenerator(out);
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartArray();
            for (List<Object> row : t.rows()) {
                g.writeStartObject();
                for (int i = 0; i < t.columns().size(); i++) {
                    g.writeFieldName(t.columns().get(i));
                    Object v = row.get(i);
                    if (v == null) {
                        g.writeNull();
                    } else if (v instanceof Boolean b) {
                        g.writeBoolean(b);
                    } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                        g.writeNumber(((Number) v).longValue());
                    } else if (v instanceof BigInteger bi) {
                        g.writeNumber(bi);
                    } else if (v instanceof BigDecimal bd) {
                        g.writeNumber(bd);
                    } else if (v instanceof Double d && Double.isFinite(d)) {
                        g.writeNumber(d);
                    } else if (v instanceof Float f && Float.isFinite(f)) {
                        g.writeNumber(f);
                    } else {
                        g.writeString(text(v));
                    }
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.flush();
            out.write('\n');
        }
    };

    private static final int MAX_CELL = 80;

    public abstract void write(Table t, Writer out) throws IOException;

    /** Renders to a string (for tests and small outputs). */
    public String render(Table t) {
        java.io.StringWriter sw = new java.io.StringWriter();
        try {
            write(t, sw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    /** Parses "table", "csv" or "json" (any case). */
    public static TableWriter of(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    static String text(Object v) {
        if (v instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.format(Locale.ROOT, "%.1f", d)
                    : Double.toString(d);
        }
        return String.valueOf(v);
    }

    private static String oneLine(String s) {
        String t = s.replace("\r", " ").replace('\n', ' ').replace('\t', ' ');
        return t.length() > MAX_CELL ? t.substring(0, MAX_CELL - 1) + "…" : t;
    }

    private static void pad(StringBuilder sb, String s, int width, boolean right, boolean last) {
        String v = s.length() > width ? s.substring(0, width) : s;
        if (right) {
            sb.append(" ".repeat(width - v.length())).append(v);
        } else {
            sb.append(v);
            if (!last) {
                sb.append(" ".repeat(width - v.length()));
            }
        }
        if (!last) {
            sb.append("  ");
        }
    }

    private static void writeCsvRow(Writer out, List<Object> row) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < row.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Object v = row.get(i);
            if (v == null) {
                continue;
            }
            String s = text(v);
            if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                sb.append('"').append(s.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(s);
            }
        }
        sb.append("\r\n");
        out.write(sb.toString());
    }
}
