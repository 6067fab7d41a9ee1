package dev.tracebench.importers;

import dev.tracebench.importers.deepeval.DeepEvalFormat;
import dev.tracebench.importers.evaltable.EvalTableFormat;
import dev.tracebench.importers.jaeger.JaegerJsonFormat;
import dev.tracebench.importers.langfuse.LangfuseTraceFormat;
import dev.tracebench.importers.oteljs.OtelJsSpansFormat;
import dev.tracebench.importers.otlpjson.OtlpJsonImporter;
import dev.tracebench.importers.openaievals.OpenAiEvalsLogFormat;
import dev.tracebench.importers.otlpproto.OtlpProtoFormat;
import dev.tracebench.importers.phoenix.PhoenixSpansFormat;
import dev.tracebench.importers.promptfoo.PromptfooFormat;
import dev.tracebench.importers.zipkin.ZipkinJsonFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Every format Tracebench imports (trace formats, then eval result formats), and the choice of one for a source. */
public final class TraceFormats {
    private static final List<TraceFormat> ALL = List.of(new OtlpJsonImporter(), new OtlpProtoFormat(),
            new JaegerJsonFormat(), new ZipkinJsonFormat(), new PhoenixSpansFormat(), new LangfuseTraceFormat(),
            new OtelJsSpansFormat(), new PromptfooFormat(), new DeepEvalFormat(), new OpenAiEvalsLogFormat(),
            EvalTableFormat.JSON, EvalTableFormat.CSV);

    private TraceFormats() {
    }

    public static List<TraceFormat> all() {
        return ALL;
    }

    /** The format with this id (as {@code --format} takes it); throws naming the known ids. */
    public static TraceFormat byId(String id) {
        String want = id.trim().toLowerCase(Locale.ROOT);
        for (TraceFormat f : ALL) {
            if (f.id().equals(want)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + id + "' (" + ids() + ")");
    }

    public static String ids() {
        return ALL.stream().map(TraceFormat::id).collect(Collectors.joining(", "));
    }

    /** The format that recognises {@code head} best, or null if none does. */
    public static TraceFormat detect(TraceFormat.Head head) {
        TraceFormat best = null;
        int bestScore = 0;
        for (TraceFormat f : ALL) {
            int s = f.sniff(head);
            if (s > bestScore) {
                best = f;
                bestScore = s;
            }
        }
        return best;
    }
}
