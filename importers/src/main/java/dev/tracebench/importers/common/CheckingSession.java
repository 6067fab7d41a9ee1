package dev.tracebench.importers.common;

import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.core.eval.EvalRunData;
import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.core.model.ResourceData;
import dev.tracebench.core.model.ScopeData;
import dev.tracebench.core.model.SpanData;
import dev.tracebench.core.report.Secrets;
import dev.tracebench.importers.spanevals.SpanEvaluations;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * The session every format reader writes into (FileImportService puts it in front of the workspace's): the one place
 * that checks what no single format should have to, whatever the format.
 *
 * <ul>
 * <li><b>Times.</b> A time of 0 or below (before 1970, or an unsigned 64-bit count of nanoseconds past 2^63, which
 * reads as negative) is not stored as such: if the other end of the span is a real time the span is kept with zero
 * duration at that time, else at time 0, with a warning saying what was stored. A span that ends before it starts is
 * kept as it is, with a warning (clock skew happens).</li>
 * <li><b>Secrets.</b> Problem locations and reasons can quote values from the file; they are masked
 * ({@link Secrets#maskText}) before they reach the workspace's import_problems and the command line.</li>
 * <li><b>Progress.</b> It counts spans and eval results and remembers the source position of the last one, for the
 * stream guard (a long stretch without a valid record ends reading) and for "a recognised file that yields no spans"
 * (or no eval results).</li>
 * <li><b>Eval results inside traces.</b> Every span is read for evaluations ({@link SpanEvaluations}: OpenTelemetry
 * GenAI {@code gen_ai.evaluation.result} events, OpenInference evaluation attributes), whatever the trace format;
 * they are handed on as eval results, in one eval run per convention and file ("FILE span evaluations"), and the
 * span keeps its events and attributes.</li>
 * </ul>
 */
public final class CheckingSession implements IngestSession {
    private final IngestSession target;
    private final Runnable onSpan;
    private final String fileName;
    private final Map<SpanEvaluations.Convention, Integer> spanEvalRuns =
            new EnumMap<>(SpanEvaluations.Convention.class);
    private long spans;
    private long evalResults;
    private long spanEvalResults;
    private long rejected;
    private String firstRejection;

    /**
     * @param onSpan   called for every span and eval result handed on (the stream guard resets its count there)
     * @param fileName the source's file name, which names the eval runs of evaluations found in spans
     */
    public CheckingSession(IngestSession target, Runnable onSpan, String fileName) {
        this.target = target;
        this.onSpan = onSpan;
        this.fileName = fileName;
    }

    /** Spans handed on so far. */
    public long spans() {
        return spans;
    }

    /** Eval results handed on so far. */
    public long evalResults() {
        return evalResults;
    }

    /** Of those, the ones read from spans (evaluation events and attributes). */
    public long spanEvalResults() {
        return spanEvalResults;
    }

    @Override
    public int evalRun(EvalRunData run) {
        return target.evalRun(run);
    }

    @Override
    public void evalResult(int run, EvalResultData result) {
        target.evalResult(run, result);
        evalResults++;
        onSpan.run();
    }

    @Override
    public long resource(ResourceData resource) {
        return target.resource(resource);
    }

    @Override
    public long scope(ScopeData scope) {
        return target.scope(scope);
    }

    @Override
    public void span(long resourceId, long scopeId, SpanData span) {
        target.span(resourceId, scopeId, checkTimes(span));
        spans++;
        onSpan.run();
        for (SpanEvaluations.Found f : SpanEvaluations.read(span, this::warn)) {
            Integer run = spanEvalRuns.get(f.convention());
            if (run == null) {
                run = target.evalRun(new EvalRunData(fileName + " " + f.convention().runSuffix, f.convention().id,
                        fileName, null, "{}", null));
                spanEvalRuns.put(f.convention(), run);
            }
            evalResult(run, f.result());
            spanEvalResults++;
        }
    }

    /** Records rejected so far. */
    public long rejected() {
        return rejected;
    }

    /** The first rejection, "location: reason" (masked), or null. */
    public String firstRejection() {
        return firstRejection;
    }

    @Override
    public void reject(String location, String reason) {
        String where = Secrets.maskText(location);
        String why = Secrets.maskText(reason);
        if (rejected++ == 0) {
            firstRejection = where + ": " + why;
        }
        target.reject(where, why);
    }

    @Override
    public void warn(String location, String reason) {
        target.warn(Secrets.maskText(location), Secrets.maskText(reason));
    }

    @Override
    public void bytesRead(long bytes) {
        target.bytesRead(bytes);
    }

    @Override
    public void checkCancelled() {
        target.checkCancelled();
    }

    /**
     * The span with times that can be stored. Readers report missing times themselves (they know the field names) and
     * hand over 0 for them; a span whose start and end are both exactly 0 was reported there.
     */
    private SpanData checkTimes(SpanData s) {
        long start = s.startNs();
        long end = s.endNs();
        boolean goodStart = start > 0;
        boolean goodEnd = end > 0;
        if (goodStart && goodEnd) {
            if (end < start) {
                warn(s.source(), "the span ends " + (start - end) + " ns before it starts (clock skew?); kept as is");
            }
            return s;
        }
        if (start == 0 && end == 0) {
            return s;
        }
        long stored;
        String what;
        if (goodStart) {
            stored = start;
            what = "its end time is not a valid time, " + describe(end) + "; it was stored as ending when it starts, "
                    + at(start) + " (zero duration)";
        } else if (goodEnd) {
            stored = end;
            what = "its start time is not a valid time, " + describe(start) + "; it was stored as starting when it "
                    + "ends, " + at(end) + " (zero duration)";
        } else {
            stored = 0;
            what = "neither its start time nor its end time is a valid time (start " + describe(start) + "; end "
                    + describe(end) + "); it was stored at time 0 (1970-01-01T00:00:00Z) with zero duration";
        }
        warn(s.source(), what);
        return new SpanData(s.traceId(), s.spanId(), s.parentSpanId(), s.name(), s.kind(), stored, stored,
                s.status(), s.statusMessage(), s.traceState(), s.flags(), s.attributes(), s.droppedAttributesCount(),
                s.events(), s.droppedEventsCount(), s.links(), s.droppedLinksCount(), s.source());
    }

    /** A time value as the source most likely wrote it. */
    private static String describe(long ns) {
        if (ns < 0) {
            return ns + " ns (" + Long.toUnsignedString(ns) + " read as unsigned): before 1970, or past the year 2262";
        }
        return "0 ns (not set)";
    }

    private static String at(long ns) {
        return Instant.ofEpochSecond(0, ns).toString();
    }
}
