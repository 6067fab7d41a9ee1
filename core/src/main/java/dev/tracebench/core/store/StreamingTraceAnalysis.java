package dev.tracebench.core.store;

import dev.tracebench.core.analysis.SpanFacts;
import dev.tracebench.core.model.SpanData;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.normalize.LlmFields;
import dev.tracebench.core.normalize.SpanDims;
import dev.tracebench.core.store.IngestRows.StagedSpan;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.duckdb.DuckDBConnection;

/**
 * The critical-path analysis of an import done while its spans stream past, instead of reading them all back from the
 * workspace at the end of the file (which cost about 1 s per million spans, after everything else was done).
 *
 * <p>Spans are grouped by trace in memory. A trace is analysed when it has not received a span for a while: when more
 * than {@link #MAX_OPEN_SPANS} spans are held, the traces touched least recently are analysed and let go, and at the end
 * of the file all the rest are. Files keep a trace's spans close together (exporters send a request's spans within a
 * few batches), so a trace is nearly always complete when it is analysed. When it is not, that is noticed: a span of a
 * trace already analysed (a Bloom filter of analysed traces says "maybe") puts the trace on the {@link #reopened}
 * list, and the caller analyses those traces again from the workspace, together with the traces an earlier import
 * already had spans of and the traces of removed repeats. The results here are then replaced; they are never wrong,
 * only sometimes redone.
 *
 * <p>Results are written to Arrow spill files by the analysing thread and loaded by the writer thread with
 * {@link #load} once the spans are stored. Memory: the facts of at most {@link #MAX_OPEN_SPANS} spans (about 150
 * bytes each, the strings are shared with the spans), the filter (at most 16 MB) and the ids of at most
 * {@link #MAX_REOPENED} traces to analyse again.
 */
final class StreamingTraceAnalysis implements AutoCloseable {
    /** Spans held before the least recently touched traces are analysed. */
    static final int MAX_OPEN_SPANS = 32_768;
    /**
     * Traces to analyse again that are remembered before giving up: a file whose traces are all spread out would
     * otherwise fill the heap with their ids. Past it, every trace of the file is analysed at the end.
     */
    static final int MAX_REOPENED = 250_000;

    private final Map<TraceId, List<SpanFacts>> open = new LinkedHashMap<>(4096, 0.75f, true);
    private final Set<TraceId> reopened = new HashSet<>();
    private final IngestRun.Bloom analysedTraces;
    private final BufferAllocator alloc = new RootAllocator(Long.MAX_VALUE);
    private final TraceAnalysisStep.ArrowOut out;
    private final TraceAnalysisStep.Cycles cycles;
    private final int limit;
    private final int reopenedLimit;
    private boolean gaveUp;
    private long openSpans;
    private TraceId lastId;
    private List<SpanFacts> lastSpans;
    private long traces;

    /**
     * {@code expectedSpans} sizes the filter; spill files go to {@code spillDir} named {@code <prefix>-*};
     * {@code maxOpenSpans} and {@code maxReopened} are the limits ({@link #MAX_OPEN_SPANS}, {@link #MAX_REOPENED};
     * tests lower them to reach the rarer paths); {@code cycles} hears of the parent cycles of each analysed trace.
     */
    StreamingTraceAnalysis(DuckDBConnection writerConnection, long expectedSpans, Path spillDir, String prefix,
            int maxOpenSpans, int maxReopened, TraceAnalysisStep.Cycles cycles) {
        this.limit = maxOpenSpans;
        this.reopenedLimit = maxReopened;
        this.cycles = cycles;
        // ~4 bits per expected span is 40 or more per trace: false "maybe analysed" hits stay well under 0.1%; at
        // most 16 MB, which still gives 10 million traces 13 bits each (0.4% of them analysed twice)
        this.analysedTraces = new IngestRun.Bloom(Math.min(128L << 20, Math.max(1L << 20, expectedSpans * 4)));
        this.out = new TraceAnalysisStep.ArrowOut(writerConnection, alloc, spillDir, prefix);
    }

    /** Takes the spans of one batch (other rows are ignored); on the analysing thread. */
    void accept(List<?> batch) throws IOException, SQLException {
        if (gaveUp) {
            return;
        }
        for (Object o : batch) {
            if (o instanceof StagedSpan s) {
                add(s);
                if (gaveUp) {
                    return;
                }
            }
        }
        if (openSpans > limit) {
            evict(limit - limit / 4);
        }
    }

    private void add(StagedSpan st) {
        SpanData s = st.span();
        TraceId id = s.traceId();
        // a trace's spans mostly come one after another: the trace of the last span is the most recent already
        List<SpanFacts> spans = id.equals(lastId) ? lastSpans : open.get(id);
        if (spans == null) {
            if (!reopened.isEmpty() && reopened.contains(id)) {
                return;
            }
            if (analysedTraces.mightContain(id.hi(), id.lo())) {
                // analysed already (or a false hit of the filter): the workspace has all its spans at the end
                reopened.add(id);
                if (reopened.size() > reopenedLimit) {
                    giveUp();
                }
                return;
            }
            spans = new ArrayList<>(8);
            open.put(id, spans);
        }
        LlmFields llm = st.llm();
        SpanDims d = st.dims();
        lastId = id;
        lastSpans = spans;
        spans.add(new SpanFacts(s.spanId(), s.parentSpanId(), s.name(), st.service(), s.startNs(), s.endNs(),
                s.status().code(), llm.stage(), llm.requestModel(), llm.responseModel(), llm.inputTokens(),
                llm.outputTokens(), llm.cost(), llm.cacheHit(), llm.ttftNs(), d.route(), d.tenant(),
                d.promptVersion(), d.attempt(), d.docCount()));
        openSpans++;
    }

    /** Stops analysing: the file's spans are too spread out; everything is analysed from the workspace at the end. */
    private void giveUp() {
        gaveUp = true;
        open.clear();
        reopened.clear();
        lastId = null;
        lastSpans = null;
        openSpans = 0;
    }

    /** Whether this analysis gave up and every trace of the file must be analysed at the end ({@link #MAX_REOPENED}). */
    boolean gaveUp() {
        return gaveUp;
    }

    /** Analyses the least recently touched traces until at most {@code keep} spans are held. */
    private void evict(long keep) throws IOException, SQLException {
        Iterator<Map.Entry<TraceId, List<SpanFacts>>> it = open.entrySet().iterator();
        while (openSpans > keep && it.hasNext()) {
            Map.Entry<TraceId, List<SpanFacts>> e = it.next();
            it.remove();
            if (e.getValue() == lastSpans) {
                lastId = null;
                lastSpans = null;
            }
            analyse(e.getKey(), e.getValue());
        }
    }

    private void analyse(TraceId id, List<SpanFacts> spans) throws IOException, SQLException {
        openSpans -= spans.size();
        analysedTraces.add(id.hi(), id.lo());
        TraceAnalysisStep.analyse(id.hi(), id.lo(), spans, out, cycles);
        traces++;
    }

    /** The end of the file: analyses every trace still held; on the analysing thread. */
    void finishInput() throws IOException, SQLException {
        if (!gaveUp) {
            evict(0);
        }
    }

    /** Traces whose spans did not all pass while they were held: analyse them again from the workspace. */
    Set<TraceId> reopened() {
        return reopened;
    }

    /** Traces analysed here. */
    long traces() {
        return traces;
    }

    /** Inserts the results into {@code traces} and {@code trace_stages}; on the writer thread, after {@link #finishInput}. */
    void load() throws IOException, SQLException {
        if (!gaveUp) {
            out.load();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            out.close();
        } finally {
            alloc.close();
        }
    }
}
