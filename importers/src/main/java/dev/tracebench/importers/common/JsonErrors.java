package dev.tracebench.importers.common;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.CharConversionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSON syntax errors in words for a user: where ({@code line 3, column 17}) and what ({@code malformed JSON
 * (unexpected character '}')}), without the parser's internals (its feature names, source descriptions, character
 * codes) that Jackson's own messages carry.
 */
public final class JsonErrors {
    private JsonErrors() {
    }

    /** Where the error is: {@code line N, column C}; {@code lineNumber} > 0 is the file's line of a JSON Lines record. */
    public static String where(long lineNumber, Exception e) {
        if (e instanceof JsonProcessingException jpe && jpe.getLocation() != null) {
            JsonLocation loc = jpe.getLocation();
            long line = lineNumber > 0 ? lineNumber : loc.getLineNr();
            return "line " + line + ", column " + loc.getColumnNr();
        }
        return lineNumber > 0 ? "line " + lineNumber : "file";
    }

    /** What is wrong, for a {@code unit} ("line", "file") that is damaged. */
    public static String damaged(Exception e, String unit) {
        return damaged(e, unit, null);
    }

    /**
     * What is wrong; {@code p} (may be null) is the parser that failed, for the JSON path of a string over the
     * {@link Limits#MAX_VALUE} limit.
     */
    public static String damaged(Exception e, String unit, JsonParser p) {
        String msg = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        if (e instanceof ValueTooLong) {
            return msg;
        }
        if (e instanceof StreamConstraintsException && LENGTH.matcher(String.valueOf(msg)).find()) {
            String path = p == null ? "" : p.getParsingContext().pathAsPointer().toString();
            return "the string " + (path.isEmpty() ? "" : "at " + path + " ") + tooLongText();
        }
        if (e instanceof StreamConstraintsException) {
            return "the JSON exceeds a safety limit (" + plain(msg) + ")";
        }
        if (msg != null && msg.contains("end-of-input")) {
            return "the JSON ends early (the " + unit + " looks truncated)";
        }
        if (e instanceof CharConversionException || (msg != null && msg.contains("UTF-8"))) {
            return "the text is not valid UTF-8 (" + plain(msg) + ")";
        }
        return "malformed JSON (" + plain(msg) + ")";
    }

    /** A string value over {@link Limits#MAX_VALUE}, named by its attribute and where it is. */
    public static final class ValueTooLong extends StreamConstraintsException {
        private static final long serialVersionUID = 1L;

        public ValueTooLong(String key, String where, StreamConstraintsException cause) {
            super("the value of attribute '" + (key == null ? "(its key comes after it)" : key) + "' at " + where
                    + " " + tooLongText());
            initCause(cause);
        }
    }

    private static String tooLongText() {
        return "is longer than " + String.format("%,d", Limits.MAX_VALUE) + " characters (" + Limits.maxValueText()
                + ", the most one value may hold); its record was rejected";
    }

    private static final Pattern UNEXPECTED = Pattern.compile("^Unexpected character \\((.+?) \\(code \\d+\\)\\)");
    private static final Pattern NON_STANDARD = Pattern.compile("^Non-standard token '([^']*)'");
    private static final Pattern UNRECOGNIZED = Pattern.compile("^Unrecognized token '([^']*)'");
    private static final Pattern CONTROL = Pattern.compile(
            "^Illegal unquoted character \\(\\(CTRL-CHAR, code (\\d+)\\)\\)");
    private static final Pattern BETWEEN = Pattern.compile("^Illegal character \\(\\(CTRL-CHAR, code (\\d+)\\)\\)");
    private static final Pattern ESCAPE = Pattern.compile("^Unrecognized character escape (.+?) \\(code \\d+\\)");
    private static final Pattern UTF8 = Pattern.compile("^Invalid UTF-8 (start|middle) byte (0x[0-9a-fA-F]+)");
    private static final Pattern CLOSE = Pattern.compile("^Unexpected close marker '(.)': expected '(.)'");
    private static final Pattern NUMBER = Pattern.compile("^(Invalid numeric value|Numeric value \\(.*?\\) out of range"
            + "|Leading zeroes not allowed|Unexpected character \\(.+?\\) in numeric value)");
    private static final Pattern LENGTH = Pattern.compile("length \\((\\d+)\\) exceeds the maximum allowed \\((\\d+)");

    /** Jackson's message as plain words: the first line, its internals left out. */
    static String plain(String msg) {
        if (msg == null || msg.isBlank()) {
            return "no details";
        }
        String s = firstLine(msg);
        Matcher m;
        if ((m = UNEXPECTED.matcher(s)).find()) {
            return "unexpected character " + quoted(m.group(1));
        }
        if ((m = NON_STANDARD.matcher(s)).find()) {
            return m.group(1) + " is not a JSON number (write it as a string)";
        }
        if ((m = UNRECOGNIZED.matcher(s)).find()) {
            return "unexpected text '" + abbreviate(m.group(1)) + "' where a value should be";
        }
        if ((m = CONTROL.matcher(s)).find()) {
            return String.format("a control character (U+%04X) inside a string, where JSON needs it escaped",
                    Integer.parseInt(m.group(1)));
        }
        if ((m = BETWEEN.matcher(s)).find()) {
            return String.format("a control character (U+%04X) where JSON allows only white space",
                    Integer.parseInt(m.group(1)));
        }
        if ((m = ESCAPE.matcher(s)).find()) {
            return "the escape \\" + quoted(m.group(1)).replace("'", "") + " is not valid JSON";
        }
        if ((m = UTF8.matcher(s)).find()) {
            return "byte " + m.group(2) + " cannot be a " + m.group(1) + " byte of a UTF-8 character";
        }
        if ((m = CLOSE.matcher(s)).find()) {
            return "unexpected '" + m.group(1) + "' where '" + m.group(2) + "' should close what is open";
        }
        if ((m = LENGTH.matcher(s)).find()) {
            return "a string of more than " + m.group(2) + " characters";
        }
        if ((m = NUMBER.matcher(s)).find()) {
            return "a malformed number";
        }
        // anything else: drop what names the parser's own workings
        s = s.replaceAll("\\s*\\(code \\d+\\)", "").replaceAll(":?\\s*(enable|disable) `[^`]*`.*$", "")
                .replaceAll("`[^`]*`", "").replaceAll("\\s*at \\[Source:.*$", "");
        return abbreviate(s.strip());
    }

    /** Jackson's {@code '}'} / {@code (CTRL-CHAR, code 9)} as {@code '}'} or {@code a control character}. */
    private static String quoted(String c) {
        if (c.startsWith("(CTRL-CHAR")) {
            return "(a control character)";
        }
        return c.startsWith("'") ? c : "'" + c + "'";
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String abbreviate(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }
}
