package dev.tracebench.core.ingest;

import dev.tracebench.core.normalize.PriceTable;
import dev.tracebench.core.normalize.Rules;
import dev.tracebench.core.normalize.SpanNormalizer;

/**
 * How an import normalises spans (the user's rules file and the price table) and which of the store's equivalent
 * paths it takes; the paths store identical rows, and only tests and benchmarks choose one.
 */
public record IngestOptions(Rules rules, PriceTable prices, RowPath rowPath, Analysis analysis) {
    public static final IngestOptions DEFAULT = new IngestOptions(Rules.NONE, PriceTable.shipped());

    /** How rows get into DuckDB. */
    public enum RowPath {
        /** Arrow batches, except for files under 2 MB (the row Appender sets up faster) or where Arrow cannot run. */
        AUTO,
        /** Arrow batches whatever the size of the file (the row Appender where Arrow cannot run). */
        ARROW,
        /** DuckDB's row Appender. */
        APPENDER
    }

    /** When the critical paths of the traces are computed. */
    public enum Analysis {
        /** While the spans stream in (Arrow path), and at the end only for traces that could not be seen whole. */
        STREAMING,
        /** At the end of the file, every trace read back from the workspace. */
        AT_END
    }

    public IngestOptions {
        rules = rules == null ? Rules.NONE : rules;
        prices = prices == null ? PriceTable.shipped() : prices;
        rowPath = rowPath == null ? RowPath.AUTO : rowPath;
        analysis = analysis == null ? Analysis.STREAMING : analysis;
    }

    public IngestOptions(Rules rules, PriceTable prices) {
        this(rules, prices, RowPath.AUTO, Analysis.STREAMING);
    }

    public IngestOptions withRowPath(RowPath path) {
        return new IngestOptions(rules, prices, path, analysis);
    }

    public IngestOptions withAnalysis(Analysis when) {
        return new IngestOptions(rules, prices, rowPath, when);
    }

    /** A normaliser for one thread. */
    public SpanNormalizer newNormalizer() {
        return new SpanNormalizer(rules, prices);
    }
}
