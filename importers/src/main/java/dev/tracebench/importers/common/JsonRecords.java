package dev.tracebench.importers.common;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.importers.io.CorruptInputException;
import dev.tracebench.importers.io.LineSplitter;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongSupplier;

/**
 * Reads the top-level JSON values of a source for a format, with the damage handling every JSON format shares: in a
 * JSON Lines file a damaged line is reported and skipped and reading resumes at the next line; in a single document
 * the values before the damage are kept and the rest is reported as unread. Type errors inside a value are the
 * format's business (it reports and skips the record); syntax errors are handled here.
 */
public final class JsonRecords {
    /** How far the first lines are looked at to choose between JSON Lines and a single document. */
    private static final int SNIFF_BYTES = 1 << 20;

    /**
     * The JSON factory of every JSON format: strings up to {@link Limits#MAX_VALUE} characters, nesting bounded, the
     * stream left open (the caller still hashes the rest of the file after parsing), FastDoubleParser (the same
     * doubles as Double.parseDouble, several times faster).
     */
    public static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Limits.MAX_VALUE)
                    .maxNestingDepth(1_000).build())
            .build();

    /**
     * {@link #JSON} that also reads {@code NaN} and {@code Infinity}, as Python's json module and pandas write a
     * failed judge's score (for eval result files; trace formats stay strict).
     */
    public static final JsonFactory JSON_NAN = JSON.rebuild()
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    /** Reads one top-level value; the parser is on its first token; it must consume the value entirely. */
    @FunctionalInterface
    public interface ValueReader {
        void read(JsonParser p, Where where) throws IOException;
    }

    private JsonRecords() {
    }

    /**
     * Reads every top-level value of {@code content} (JSON Lines, or one document holding one or more values).
     *
     * @param rawBytes bytes of the source read so far, for progress
     */
    public static void read(InputStream content, IngestSession session, LongSupplier rawBytes, ValueReader reader)
            throws IOException {
        read(content, session, rawBytes, JSON, reader);
    }

    /** As {@link #read(InputStream, IngestSession, LongSupplier, ValueReader)}, parsing with {@code json}. */
    public static void read(InputStream content, IngestSession session, LongSupplier rawBytes, JsonFactory json,
            ValueReader reader) throws IOException {
        if (looksLikeJsonLines(content)) {
            readLines(content, session, rawBytes, json, reader);
        } else {
            readDocument(content, session, rawBytes, json, reader);
        }
    }

    private static void readLines(InputStream content, IngestSession session, LongSupplier rawBytes,
            JsonFactory json, ValueReader reader) throws IOException {
        LineSplitter lines = new LineSplitter(content);
        while (true) {
            LineSplitter.Line line;
            try {
                line = lines.next();
            } catch (CorruptInputException e) {
                session.reject("after line " + lines.lineNumber(), e.getMessage() + "; reading stopped there");
                return;
            }
            if (line == null) {
                return;
            }
            session.checkCancelled();
            JsonParser p = json.createParser(line);
            try (p) {
                JsonToken t = p.nextToken();
                if (t == null) {
                    continue;
                }
                reader.read(p, new Where(line.number(), ""));
                if (p.nextToken() != null || !line.restIsBlank()) {
                    session.warn("line " + line.number(), "extra content after the JSON value was ignored");
                }
            } catch (JsonProcessingException | CharConversionException e) {
                session.reject(JsonErrors.where(line.number(), e), JsonErrors.damaged(e, "line", p));
            } catch (CorruptInputException e) {
                session.reject("line " + line.number(), e.getMessage() + "; reading stopped there");
                return;
            }
            session.bytesRead(rawBytes.getAsLong());
        }
    }

    private static void readDocument(InputStream content, IngestSession session, LongSupplier rawBytes,
            JsonFactory json, ValueReader reader) throws IOException {
        JsonParser p = json.createParser(content);
        try (p) {
            boolean any = false;
            while (p.nextToken() != null) {
                any = true;
                reader.read(p, new Where(p.currentTokenLocation().getLineNr(), ""));
                session.bytesRead(rawBytes.getAsLong());
            }
            if (!any) {
                session.warn("line 1", "the file holds no JSON value");
            }
        } catch (JsonProcessingException | CharConversionException e) {
            session.reject(JsonErrors.where(0, e), JsonErrors.damaged(e, "file", p)
                    + "; the rest of the file was not read");
        } catch (CorruptInputException e) {
            session.reject("byte " + rawBytes.getAsLong(), e.getMessage() + "; reading stopped there");
        }
    }

    /**
     * Calls {@code each} for every element of the array the parser is on (START_ARRAY), with its path. An element that
     * is not an object is reported as rejected (named {@code what}) and skipped.
     */
    public static void forEachObject(JsonParser p, Where where, IngestSession session, String what,
            ValueReader each) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            session.reject(where.toString(), "expected an array of " + what + ", found " + describe(p.currentToken()));
            p.skipChildren();
            return;
        }
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            Where w = where.index(i++).atLine(lineOf(p, where));
            if (p.currentToken() != JsonToken.START_OBJECT) {
                session.reject(w.toString(), "expected an object (" + what + "), found " + describe(p.currentToken()));
                p.skipChildren();
                continue;
            }
            session.checkCancelled();
            each.read(p, w);
        }
    }

    /**
     * Calls {@code each} for every object of the array the parser is on, for the entries inside one record (tags, logs,
     * references, annotations). A null is no entries; anything else that is not an array, and any element that is not
     * an object, is warned about and skipped: a malformed entry never fails its record.
     *
     * @param plural   what the array holds, for "expected an array of {plural}, found a string{notArray}"
     * @param single   one entry, for "expected {single}, found a number; ignored"
     * @param notArray what becomes of the record without the array, e.g. "; ignored"
     */
    public static void forEachEntry(JsonParser p, Where where, IngestSession session, String plural, String single,
            String notArray, ValueReader each) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return;
        }
        if (t != JsonToken.START_ARRAY) {
            session.warn(where.atLine(lineOf(p, where)).toString(), "expected an array of " + plural + ", found "
                    + describe(t) + notArray);
            p.skipChildren();
            return;
        }
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            Where w = where.index(i++).atLine(lineOf(p, where));
            if (p.currentToken() != JsonToken.START_OBJECT) {
                session.warn(w.toString(), "expected " + single + ", found " + describe(p.currentToken())
                        + "; ignored");
                p.skipChildren();
                continue;
            }
            each.read(p, w);
        }
    }

    /** The line the parser's current token starts on, or the given location's line in JSON Lines mode. */
    public static long lineOf(JsonParser p, Where fallback) {
        long l = p.currentTokenLocation().getLineNr();
        // in JSON Lines mode every parser starts at line 1 of its own line: keep the file's line number
        return l <= 1 ? fallback.line() : l;
    }

    /** A short description of a token for messages: "an object", "a string", ... */
    public static String describe(JsonToken t) {
        if (t == null) {
            return "end of input";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a decimal number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }

    /**
     * JSON Lines if the first line is a complete compact value ({@code {...}} or {@code [...]}) or longer than the
     * sniff window, or if a damaged first line (one that does not end where a pretty-printer breaks lines) is followed
     * by a line that starts the same way (the same first key).
     */
    public static boolean looksLikeJsonLines(InputStream in) throws IOException {
        in.mark(SNIFF_BYTES + 1);
        try {
            StringBuilder first = new StringBuilder();
            StringBuilder second = new StringBuilder();
            int last = -1;
            boolean inSecond = false;
            for (int i = 0; i < SNIFF_BYTES; i++) {
                int b;
                try {
                    b = in.read();
                } catch (CorruptInputException e) {
                    b = -1;
                }
                if (b < 0 || b == '\n') {
                    if (!inSecond) {
                        char f = first.length() == 0 ? 0 : first.charAt(0);
                        if ((f == '{' && last == '}') || (f == '[' && last == ']')) {
                            return true;
                        }
                        if (b < 0 || f != '{' || last == '[' || last == '{' || last == ',' || last == ':') {
                            // a line ending where a pretty-printer breaks (after an opening bracket, a comma or a
                            // colon) starts a document written over several lines, not a damaged record
                            return false;
                        }
                        inSecond = true;
                        continue;
                    }
                    break;
                }
                boolean blank = b == ' ' || b == '\t' || b == '\r' || (i < 3 && (b == 0xEF || b == 0xBB || b == 0xBF));
                if (blank) {
                    continue;
                }
                if (inSecond) {
                    if (second.length() < 24) {
                        second.append((char) b);
                    } else {
                        break;
                    }
                } else {
                    if (first.length() < 24) {
                        first.append((char) b);
                    }
                    last = b;
                }
            }
            if (!inSecond) {
                return first.length() > 0 && first.charAt(0) == '{';
            }
            String a = firstKey(first.toString());
            return a != null && a.equals(firstKey(second.toString()));
        } finally {
            in.reset();
        }
    }

    private static String firstKey(String s) {
        if (!s.startsWith("{\"")) {
            return null;
        }
        int end = s.indexOf('"', 2);
        return end < 0 ? null : s.substring(0, end + 1);
    }
}
