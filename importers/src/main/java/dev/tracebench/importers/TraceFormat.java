package dev.tracebench.importers;

import dev.tracebench.core.ingest.IngestSession;
import java.io.IOException;
import java.io.InputStream;

/**
 * One input format Tracebench can import. Implementations are stateless; {@link #read} is called once per source
 * with a fresh session.
 */
public interface TraceFormat {

    /** The id used by {@code --format} and stored in the imports table, e.g. {@code jaeger-json}. */
    String id();

    /** A name for messages, e.g. "Jaeger JSON". */
    String displayName();

    /** What a file of this format holds, for the message about a file that yielded no spans. */
    String expected();

    /** What reading a file of this format yields: spans (trace formats) or eval results (eval formats). */
    default Yield yields() {
        return Yield.SPANS;
    }

    /** What a format's files hold. */
    enum Yield {
        SPANS("spans", "span"),
        EVAL_RESULTS("eval results", "eval result");

        private final String plural;
        private final String single;

        Yield(String plural, String single) {
            this.plural = plural;
            this.single = single;
        }

        /** "spans", "eval results". */
        public String plural() {
            return plural;
        }

        /** "span", "eval result". */
        public String single() {
            return single;
        }
    }

    /**
     * How sure this format is that it can read a source that starts like {@code head} (the first 64 KB after
     * decompression): 0 means "not mine", 100 "certainly mine". The highest score wins.
     */
    int sniff(Head head);

    /**
     * Reads {@code content} (decompressed; supports mark/reset) to its end into the session. Damaged records are
     * reported to the session with their location and skipped; good records are kept. Only I/O errors of the source
     * itself (and {@link dev.tracebench.importers.io.CorruptInputException} when decompression fails) escape.
     */
    void read(InputStream content, IngestSession session, ReadContext context) throws IOException;

    /**
     * The start of a source: raw bytes and the same bytes decoded as UTF-8 (BOM and leading whitespace kept). Every
     * format looks at it, many times: the compacted text {@link #has} falls back to is computed once.
     */
    final class Head {
        private final byte[] bytes;
        private final String text;
        private String compact;

        public Head(byte[] bytes, String text) {
            this.bytes = bytes;
            this.text = text;
        }

        public byte[] bytes() {
            return bytes;
        }

        public String text() {
            return text;
        }

        /** The text without a byte-order mark and leading whitespace. */
        public String trimmed() {
            String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
            return t.stripLeading();
        }

        /** True if the text (ignoring whitespace after ':' and ',') contains {@code fragment}. */
        public boolean has(String fragment) {
            return text.contains(fragment) || compact().contains(fragment);
        }

        private String compact() {
            if (compact == null) {
                compact = text.replaceAll("\":\\s+", "\":").replaceAll(",\\s+\"", ",\"")
                        .replaceAll("\\{\\s+\"", "{\"").replaceAll("\\[\\s+\\{", "[{");
            }
            return compact;
        }
    }

    /**
     * What a format's reader may need besides the content.
     *
     * @param mapping the user's column mapping for tables of eval results ({@code --map}), or null
     */
    record ReadContext(String sourceName, java.util.function.LongSupplier rawBytesRead,
            dev.tracebench.importers.evaltable.ColumnMapping mapping) {

        public ReadContext(String sourceName, java.util.function.LongSupplier rawBytesRead) {
            this(sourceName, rawBytesRead, null);
        }

        /** The source's file name without its folder (eval runs name their file so). */
        public String fileName() {
            int slash = Math.max(sourceName.lastIndexOf('/'), sourceName.lastIndexOf('\\'));
            return sourceName.substring(slash + 1);
        }
    }
}
