package dev.tracebench.importers.evaltable;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV records (RFC 4180: quoted fields may hold the delimiter, doubled quotes and line breaks), counting lines
 * so that problems name the line a record starts on. Not thread-safe. Used by the eval tables and the dataset files.
 */
public final class CsvParser {
    private final Reader in;
    private final char delimiter;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int len;
    private long line = 1;
    private long recordLine;
    private final StringBuilder field = new StringBuilder();

    /** A record that cannot be read: where it starts and why. */
    public static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;
        public final long line;

        Malformed(long line, String message) {
            super(message);
            this.line = line;
        }
    }

    public CsvParser(Reader in, char delimiter) {
        this.in = in;
        this.delimiter = delimiter;
    }

    /** The line the record last returned by {@link #next} starts on. */
    public long recordLine() {
        return recordLine;
    }

    /** The next record's fields, or null at the end; a blank line is a record of one empty field. */
    public List<String> next() throws IOException, Malformed {
        int c = read();
        if (c < 0) {
            return null;
        }
        if (line == 1 && recordLine == 0 && c == '\uFEFF') {
            c = read();
            if (c < 0) {
                return null;
            }
        }
        recordLine = line;
        List<String> fields = new ArrayList<>();
        field.setLength(0);
        boolean quoted = false;
        boolean wasQuoted = false;
        while (true) {
            if (c < 0) {
                if (quoted) {
                    throw new Malformed(recordLine, "a quoted field is not closed (the file ends inside it)");
                }
                fields.add(field.toString());
                return fields;
            }
            if (quoted) {
                if (c == '"') {
                    int n = read();
                    if (n == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        c = n;
                        continue;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append((char) c);
                }
            } else if (c == '"' && field.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r') {
                    int n = read();
                    if (n != '\n' && n >= 0) {
                        pos--; // a lone CR ends the record; the next character starts the next one
                    }
                }
                line++;
                fields.add(field.toString());
                return fields;
            } else {
                field.append((char) c);
            }
            c = read();
        }
    }

    private int read() throws IOException {
        if (pos == len) {
            len = in.read(buf, 0, buf.length);
            pos = 0;
            if (len <= 0) {
                len = 0;
                return -1;
            }
        }
        return buf[pos++];
    }

    /**
     * The delimiter of a table whose first line is {@code header}: the most frequent of comma, tab and semicolon
     * outside quotes, or 0 if none occurs.
     */
    public static char delimiter(String header) {
        int comma = 0;
        int tab = 0;
        int semi = 0;
        boolean quoted = false;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted) {
                if (c == ',') {
                    comma++;
                } else if (c == '\t') {
                    tab++;
                } else if (c == ';') {
                    semi++;
                }
            }
        }
        if (comma == 0 && tab == 0 && semi == 0) {
            return 0;
        }
        return comma >= tab && comma >= semi ? ',' : tab >= semi ? '\t' : ';';
    }
}
