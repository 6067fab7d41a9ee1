package dev.tracebench.core.remote;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One CSV table of a Spark result (RFC 4180, a header line; what LakeAnalysis writes), read strictly: every row must
 * have the header's fields, every number must be a number, and a damaged row is refused with its file and line.
 */
final class ResultCsv {
    private final Path file;
    private final Map<String, Integer> columns = new HashMap<>();
    private final List<Row> rows = new ArrayList<>();

    /** One data row and the line it starts on. */
    final class Row {
        final int line;
        private final List<String> fields;

        private Row(int line, List<String> fields) {
            this.line = line;
            this.fields = fields;
        }

        /** The text of a column ("" when empty). */
        String text(String column) {
            Integer i = columns.get(column);
            if (i == null) {
                throw new RemoteResultException(file, 1, "no column " + column + " in the header");
            }
            return fields.get(i);
        }

        /** A whole number. */
        long count(String column) {
            String t = text(column);
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw new RemoteResultException(file, line, "column " + column + ": not a whole number: '" + t + "'");
            }
        }

        /** A time in nanoseconds, written as a whole number or a decimal (a percentile); empty: none (0). */
        long nanos(String column) {
            return text(column).isEmpty() ? 0 : Math.round(number(column)); // core rounds its quantile_cont too
        }

        /** A finite number, whole or decimal. */
        double number(String column) {
            String t = text(column);
            try {
                double d = Double.parseDouble(t);
                if (!Double.isFinite(d)) {
                    throw new NumberFormatException(t);
                }
                return d;
            } catch (NumberFormatException e) {
                throw new RemoteResultException(file, line, "column " + column + ": not a number: '" + t + "'");
            }
        }

        RemoteResultException problem(String reason) {
            return new RemoteResultException(file, line, reason);
        }
    }

    private ResultCsv(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** Whether the header has {@code column} (one a newer job writes beside the required ones). */
    boolean hasColumn(String column) {
        return columns.containsKey(column);
    }

    List<Row> rows() {
        return rows;
    }

    /** Reads {@code file}, which must have at least the {@code required} columns. */
    static ResultCsv read(Path file, List<String> required) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (NoSuchFileException e) {
            throw new RemoteResultException(file, 0, "missing (the result is incomplete)");
        } catch (CharacterCodingException e) {
            throw new RemoteResultException(file, 0, "not UTF-8 text (damaged)");
        } catch (IOException e) {
            throw new RemoteResultException(file, 0, "cannot be read: " + e.getMessage());
        }
        ResultCsv csv = new ResultCsv(file);
        csv.parse(text, required);
        return csv;
    }

    private void parse(String text, List<String> required) {
        List<List<String>> records = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        int line = 1;
        int start = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"') {
                if (field.length() > 0 || wasQuoted) {
                    throw new RemoteResultException(file, line, "a quote inside an unquoted field");
                }
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                cur.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                cur.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
                records.add(cur);
                starts.add(start);
                cur = new ArrayList<>();
                line++;
                start = line;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new RemoteResultException(file, start, "a quoted field is not closed (the file is cut short)");
        }
        if (field.length() > 0 || !cur.isEmpty()) {
            // the job ends every row with a line break: a last row without one was cut short
            throw new RemoteResultException(file, start, "the last row has no line break (the file is cut short)");
        }
        if (records.isEmpty()) {
            throw new RemoteResultException(file, 0, "empty: no header");
        }
        List<String> header = records.get(0);
        for (int i = 0; i < header.size(); i++) {
            columns.put(header.get(i), i);
        }
        for (String r : required) {
            if (!columns.containsKey(r)) {
                throw new RemoteResultException(file, 1, "the header has no column " + r);
            }
        }
        for (int k = 1; k < records.size(); k++) {
            List<String> f = records.get(k);
            if (f.size() != header.size()) {
                throw new RemoteResultException(file, starts.get(k), f.size() + " field" + (f.size() == 1 ? "" : "s")
                        + ", the header has " + header.size());
            }
            rows.add(new Row(starts.get(k), f));
        }
    }
}
