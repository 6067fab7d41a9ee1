package dev.tracebench.core.ingest;

import dev.tracebench.core.normalize.PriceTable;
import dev.tracebench.core.normalize.Rules;
import dev.tracebench.core.normalize.SpanNormalizer;

/** How an import normalises spans: the user's rules file and the price table. */
public record IngestOptions(Rules rules, PriceTable prices) {
    public static final IngestOptions DEFAULT = new IngestOptions(Rules.NONE, PriceTable.shipped());

    public IngestOptions {
        rules = rules == null ? Rules.NONE : rules;
        prices = prices == null ? PriceTable.shipped() : prices;
    }

    /** A normaliser for one thread. */
    public SpanNormalizer newNormalizer() {
        return new SpanNormalizer(rules, prices);
    }
}
