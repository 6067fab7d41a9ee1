package dev.tracebench.core.store;

import static dev.tracebench.core.testing.Spans.T0;
import static dev.tracebench.core.testing.Spans.resource;
import static dev.tracebench.core.testing.Spans.scope;
import static dev.tracebench.core.testing.Spans.span;
import static dev.tracebench.core.testing.Spans.trace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.IngestBody;
import dev.tracebench.core.ingest.IngestOptions;
import dev.tracebench.core.ingest.IngestSession;
import dev.tracebench.core.ingest.Problem;
import dev.tracebench.core.ingest.SourceFacts;
import dev.tracebench.core.ingest.UnusableInputException;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.model.SpanData;
import dev.tracebench.core.model.SpanEventData;
import dev.tracebench.core.model.SpanLinkData;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.query.QueryResult;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceDetail;
import dev.tracebench.core.query.TraceFilter;
import dev.tracebench.core.query.TraceSort;
import dev.tracebench.core.query.TraceSummary;
import dev.tracebench.core.query.WorkspaceStats;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestTest {
    @TempDir
    Path dir;
    Workspace ws;

    @BeforeEach
    void open() {
        ws = Workspace.open(dir.resolve("ws.duckdb"));
    }

    @AfterEach
    void close() {
        ws.close();
    }

    /** A body that emits the given spans from one service. */
    static IngestBody emit(String service, List<SpanData> spans) {
        return s -> {
            long r = s.resource(resource(service));
            long sc = s.scope(scope("test"));
            for (SpanData d : spans) {
                s.span(r, sc, d);
            }
            return new SourceFacts("test", "sha", 123);
        };
    }

    /** The options every import of these tests runs with (a subclass runs them all through the row Appender). */
    IngestOptions options() {
        return IngestOptions.DEFAULT;
    }

    ImportReport ingest(String name, IngestBody body) {
        return ws.ingest(name, -1, body, options(), ProgressListener.NONE, CancellationToken.none());
    }

    /** A small RAG-like trace: root, retrieval, an erroring model call with tokens, and an orphan. */
    static List<SpanData> sampleTrace(TraceId t) {
        List<Attribute> llm = List.of(Attribute.of("gen_ai.operation.name", "chat"),
                Attribute.of("gen_ai.request.model", "gpt-4o"), Attribute.of("gen_ai.usage.input_tokens", 100L),
                Attribute.of("gen_ai.usage.output_tokens", 20L));
        return List.of(
                span(t, 1, null, "POST /chat", 0, 100),
                span(t, 2, 1L, "retrieve", 5, 30),
                span(t, 3, 1L, "chat gpt-4o", 30, 95, StatusCode.ERROR, llm),
                span(t, 4, 99L, "late orphan", 40, 50));
    }

    @Test
    void importsSpansAndBuildsTheTraceRollup() {
        TraceId t = trace(1);
        ImportReport r = ingest("a.json", emit("rag-api", sampleTrace(t)));
        assertEquals(ImportReport.Status.IMPORTED, r.status());
        assertEquals(4, r.spansRead());
        assertEquals(4, r.spansAdded());
        assertEquals("test", r.format());

        List<TraceSummary> traces = ws.traces().traces(TraceFilter.ALL, TraceSort.NEWEST_FIRST, 0, 10);
        assertEquals(1, traces.size());
        TraceSummary s = traces.get(0);
        assertEquals(t, s.traceId());
        assertEquals(1L, s.rootSpanId());
        assertEquals("POST /chat", s.rootName());
        assertEquals("rag-api", s.serviceName());
        assertEquals(T0, s.startNs());
        assertEquals(100_000_000L, s.durationNs());
        assertEquals(4, s.spanCount());
        assertEquals(1, s.errorCount());
        assertEquals(1, s.orphanCount());
        assertTrue(s.hasRoot());
        assertEquals(120, s.totalTokens());

        WorkspaceStats st = ws.traces().stats();
        assertEquals(1, st.traces());
        assertEquals(4, st.spans());
        assertEquals(1, st.services());
        assertEquals(1, st.imports());
    }

    @Test
    void reimportingTheSameSpansAddsNothing() {
        TraceId t = trace(2);
        ingest("a.json", emit("svc", sampleTrace(t)));
        ImportReport again = ingest("a.json", emit("svc", sampleTrace(t)));
        assertEquals(ImportReport.Status.IMPORTED, again.status());
        assertEquals(0, again.spansAdded());
        assertEquals(4, again.alreadyPresent());
        assertEquals(0, again.duplicates());
        assertEquals(4, ws.traces().stats().spans());
        assertEquals(1, ws.traces().countTraces(TraceFilter.ALL));
        assertEquals(2, ws.traces().stats().imports());
    }

    @Test
    void aLaterFileCanAddSpansToAnExistingTraceAndTheRollupIsRebuilt() {
        TraceId t = trace(3);
        ingest("part1", emit("svc", List.of(span(t, 2, 1L, "child", 10, 20))));
        TraceSummary before = ws.traces().traces(TraceFilter.ALL, TraceSort.NEWEST_FIRST, 0, 1).get(0);
        assertFalse(before.hasRoot());
        assertEquals("child", before.rootName());
        ingest("part2", emit("svc", List.of(span(t, 1, null, "root", 0, 50), span(t, 2, 1L, "child", 10, 20))));
        TraceSummary after = ws.traces().traces(TraceFilter.ALL, TraceSort.NEWEST_FIRST, 0, 1).get(0);
        assertTrue(after.hasRoot());
        assertEquals("root", after.rootName());
        assertEquals(2, after.spanCount());
        assertEquals(0, after.orphanCount());
        assertEquals(1, ws.traces().countTraces(TraceFilter.ALL));
    }

    @Test
    void duplicateSpanIdsInOneFileKeepTheFirstAcrossBatches() {
        TraceId t = trace(4);
        List<SpanData> spans = new ArrayList<>();
        spans.add(span(t, 1, null, "root", 0, 100));
        for (int i = 2; i <= 20; i++) {
            spans.add(span(t, i, 1L, "child " + i, i, i + 1));
        }
        spans.add(span(t, 5, 1L, "repeat of 5", 0, 1));
        spans.add(span(t, 2, 1L, "repeat of 2", 0, 1));
        spans.add(span(t, 20, 1L, "repeat of 20", 0, 1));
        ImportReport r = ingest("dups.json", emit("svc", spans));
        assertEquals(23, r.spansRead());
        assertEquals(20, r.spansAdded());
        assertEquals(3, r.duplicates());
        assertEquals(0, r.alreadyPresent());
        assertEquals(3, r.problems().stream().filter(p -> p.reason().contains("appears again")).count());
        TraceDetail d = ws.traces().trace(t).orElseThrow();
        assertEquals(20, d.spans().size());
        assertEquals("child 5", d.spans().stream().filter(s -> s.spanId() == 5).findFirst().orElseThrow().name());
        assertEquals("child 2", d.spans().stream().filter(s -> s.spanId() == 2).findFirst().orElseThrow().name());
    }

    @Test
    void manyTracesAcrossBatchesAllLandWithCorrectRollups() {
        List<SpanData> spans = new ArrayList<>();
        for (int n = 0; n < 1500; n++) {
            TraceId t = trace(1000 + n);
            spans.add(span(t, 1, null, "root", n, n + 10 + n % 7));
            spans.add(span(t, 2, 1L, "child", n + 1, n + 3, n % 10 == 0 ? StatusCode.ERROR : StatusCode.OK,
                    List.of()));
        }
        ImportReport r = ingest("many", emit("svc", spans));
        assertEquals(3000, r.spansAdded());
        assertEquals(1500, ws.traces().countTraces(TraceFilter.ALL));
        assertEquals(150, ws.traces().countTraces(TraceFilter.ALL.withErrorsOnly(true)));
        assertEquals(3000, ws.traces().stats().spans());
    }

    @Test
    void attributesEventsLinksAndResourcesReadBackTyped() {
        TraceId t = trace(5);
        TraceId other = trace(6);
        SpanData s = span(t, 1, null, "root", 0, 10, StatusCode.OK, List.of(Attribute.of("int", 42L),
                Attribute.of("dbl", 0.5), Attribute.of("flag", true),
                new Attribute("list", new AttributeValue.Array(List.of(new AttributeValue.Str("stop"))))));
        s = dev.tracebench.core.testing.Spans.withEventsAndLinks(s,
                List.of(new SpanEventData(T0 + 5_000_000, "first_token", List.of(Attribute.of("n", 3L)), 0),
                        new SpanEventData(T0 + 6_000_000, "exception", List.of(Attribute.of("exception.type", "E")),
                                1)),
                List.of(new SpanLinkData(other, 77, "ts=1", 1, List.of(Attribute.of("kind", "previous")), 0)));
        SpanData finalSpan = s;
        ingest("typed", session -> {
            long r = session.resource(new dev.tracebench.core.model.ResourceData(
                    List.of(Attribute.of("service.name", "svc"), Attribute.of("host.cpus", 8L)), "https://schema/1",
                    0));
            long sc = session.scope(scope("lib"));
            session.span(r, sc, finalSpan);
            return new SourceFacts("test", "x", 1);
        });
        TraceDetail d = ws.traces().trace(t).orElseThrow();
        SpanDetail got = d.spans().get(0);
        assertEquals(new AttributeValue.Int(42), got.attributes().get(0).value());
        assertEquals(new AttributeValue.Dbl(0.5), got.attributes().get(1).value());
        assertEquals(new AttributeValue.Bool(true), got.attributes().get(2).value());
        assertEquals("string[]", got.attributes().get(3).value().typeName());
        assertEquals(2, got.events().size());
        assertEquals("first_token", got.events().get(0).name());
        assertEquals(T0 + 5_000_000, got.events().get(0).timeNs());
        assertEquals(new AttributeValue.Int(3), got.events().get(0).attributes().get(0).value());
        assertEquals(1, got.events().get(1).droppedAttributesCount());
        assertEquals(1, got.links().size());
        assertEquals(other, got.links().get(0).traceId());
        assertEquals(77, got.links().get(0).spanId());
        assertEquals("ts=1", got.links().get(0).traceState());
        var res = d.resources().get(got.resourceId());
        assertEquals("https://schema/1", res.schemaUrl());
        assertEquals(new AttributeValue.Int(8), res.attributes().get(1).value());
        assertEquals("lib", d.scopes().get(got.scopeId()).name());
    }

    @Test
    void normalisedLlmColumnsAreFilled() {
        TraceId t = trace(7);
        ingest("llm", emit("svc", sampleTrace(t)));
        SpanDetail chat = ws.traces().trace(t).orElseThrow().spans().stream()
                .filter(s -> s.spanId() == 3).findFirst().orElseThrow();
        assertEquals("inference", chat.llm().stage());
        assertEquals("chat", chat.llm().operation());
        assertEquals("gpt-4o", chat.llm().requestModel());
        assertEquals(100L, chat.llm().inputTokens());
        assertEquals(20L, chat.llm().outputTokens());
        SpanDetail root = ws.traces().trace(t).orElseThrow().spans().get(0);
        assertNull(root.llm().stage());
    }

    @Test
    void tokensAreCountedOnceWhenSeveralLayersReportTheSameCall() {
        TraceId t = trace(12);
        List<Attribute> appChat = List.of(Attribute.of("gen_ai.operation.name", "chat"),
                Attribute.of("gen_ai.request.model", "gpt-4o-mini"), Attribute.of("gen_ai.usage.input_tokens", 100L),
                Attribute.of("gen_ai.usage.output_tokens", 20L));
        List<Attribute> provider = List.of(Attribute.of("gen_ai.request.model", "gpt-4o-mini"),
                Attribute.of("gen_ai.usage.input_tokens", 100L), Attribute.of("gen_ai.usage.output_tokens", 20L));
        List<Attribute> agentSum = List.of(Attribute.of("openinference.span.kind", "AGENT"),
                Attribute.of("llm.token_count.prompt", 300L), Attribute.of("llm.token_count.completion", 50L));
        List<Attribute> second = List.of(Attribute.of("openinference.span.kind", "LLM"),
                Attribute.of("llm.model_name", "gpt-4o-mini"), Attribute.of("llm.token_count.prompt", 200L),
                Attribute.of("llm.token_count.completion", 30L));
        ingest("layers", emit("svc", List.of(
                span(t, 1, null, "POST /chat", 0, 100),
                span(t, 2, 1L, "agent", 1, 99, StatusCode.OK, agentSum),
                span(t, 3, 2L, "chat gpt-4o-mini", 2, 50, StatusCode.OK, appChat),
                span(t, 4, 3L, "POST /v1/chat/completions", 3, 49),
                span(t, 5, 4L, "openai.chat.completions.create", 4, 48, StatusCode.OK, provider),
                span(t, 6, 2L, "ChatOpenAI", 51, 98, StatusCode.OK, second))));
        TraceSummary s = ws.traces().traces(TraceFilter.ALL, TraceSort.NEWEST_FIRST, 0, 1).get(0);
        // the provider span (100/20) and the second call (200/30); not the app span above the provider span, not
        // the agent's own sum
        assertEquals(300, s.inputTokens());
        assertEquals(350, s.totalTokens());
        QueryResult cost = ws.console().run("SELECT round(cost, 8) FROM traces", 1);
        assertEquals((300 * 0.15 + 50 * 0.60) / 1e6, ((Number) cost.rows().get(0).get(0)).doubleValue(), 1e-8);
    }

    @Test
    void problemsAreReportedAndStoredWithTheImport() {
        ImportReport r = ingest("bad.json", s -> {
            long res = s.resource(resource("svc"));
            long sc = s.scope(scope("x"));
            s.span(res, sc, span(trace(8), 1, null, "ok", 0, 1));
            s.reject("line 7, resourceSpans[0].scopeSpans[0].spans[1]", "spanId 'zz' is not 16 hex digits");
            s.warn("line 9", "the span has no name");
            return new SourceFacts("test", "x", 1);
        });
        assertEquals(1, r.rejected());
        assertEquals(1, r.warnings());
        assertEquals(1, r.spansAdded());
        int importId = ws.traces().imports().get(0).importId();
        List<Problem> stored = ws.traces().importProblems(importId);
        assertEquals(2, stored.size());
        assertEquals(Problem.Severity.REJECTED, stored.get(0).severity());
        assertEquals("line 7, resourceSpans[0].scopeSpans[0].spans[1]", stored.get(0).location());
        assertEquals("spanId 'zz' is not 16 hex digits", stored.get(0).reason());
    }

    @Test
    void aFailureMidFileLeavesTheWorkspaceAsItWas() {
        ingest("good", emit("svc", sampleTrace(trace(9))));
        WorkspaceStats before = ws.traces().stats();
        ImportReport r = ingest("broken", s -> {
            long res = s.resource(resource("other"));
            long sc = s.scope(scope("x"));
            for (int i = 0; i < 20_000; i++) {
                s.span(res, sc, span(trace(100_000 + i), 1, null, "root", 0, 1));
            }
            throw new IOException("disk went away");
        });
        assertEquals(ImportReport.Status.FAILED, r.status());
        assertTrue(r.message().contains("disk went away"), r.message());
        assertEquals(before, ws.traces().stats());
        QueryResult svc = ws.console().run("SELECT count(*) FROM resources WHERE service_name = 'other'", 1);
        assertEquals(0L, ((Number) svc.rows().get(0).get(0)).longValue());
    }

    @Test
    void cancellingMidFileLeavesTheWorkspaceAsItWas() {
        ingest("good", emit("svc", sampleTrace(trace(10))));
        WorkspaceStats before = ws.traces().stats();
        CancellationToken cancel = new CancellationToken();
        ImportReport r = ws.ingest("big", -1, s -> {
            long res = s.resource(resource("svc"));
            long sc = s.scope(scope("x"));
            for (int i = 0; ; i++) {
                s.span(res, sc, span(trace(200_000 + i), 1, null, "root", 0, 1));
                if (i == 20_000) {
                    cancel.cancel();
                }
                s.checkCancelled();
            }
        }, options(), ProgressListener.NONE, cancel);
        assertEquals(ImportReport.Status.CANCELLED, r.status());
        assertEquals(before, ws.traces().stats());
    }

    /** The analysis that reads the spans back at the end (without Arrow, and for traces analysed again). */
    @Test
    void theAnalysisAtTheEndReportsProgressAndCanBeCancelled() throws java.io.IOException {
        IngestOptions atEnd = options().withAnalysis(IngestOptions.Analysis.AT_END);
        ingest("good", emit("svc", sampleTrace(trace(10))));
        WorkspaceStats before = ws.traces().stats();
        CancellationToken cancel = new CancellationToken();
        List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
        ImportReport r = ws.ingest("many traces", -1, s -> {
            long res = s.resource(resource("svc"));
            long sc = s.scope(scope("x"));
            for (int i = 0; i < 10_000; i++) {
                s.span(res, sc, span(trace(300_000 + i), 1, null, "root", 0, 1));
            }
            return new SourceFacts("test", "x", 1);
        }, atEnd, (done, total, message) -> {
            messages.add(message);
            if (message.contains("critical paths of 4,096 of 10,000 traces")) {
                cancel.cancel(); // while the traces are being analysed, after every span was read
            }
        }, cancel);
        assertTrue(messages.stream().anyMatch(m -> m.equals("10,000 spans; critical paths of 0 of 10,000 traces")),
                messages.toString());
        assertEquals(ImportReport.Status.CANCELLED, r.status(), r.message());
        assertEquals(before, ws.traces().stats());
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().contains(".ingest-")).toList(),
                    "no spill file is left behind");
        }

        // without cancelling, the same file imports, its progress going through the analysis to the end
        messages.clear();
        ImportReport ok = ws.ingest("many traces", -1, s -> {
            long res = s.resource(resource("svc"));
            long sc = s.scope(scope("x"));
            for (int i = 0; i < 10_000; i++) {
                s.span(res, sc, span(trace(300_000 + i), 1, null, "root", 0, 1));
            }
            return new SourceFacts("test", "x", 1);
        }, atEnd, (done, total, message) -> messages.add(message), CancellationToken.none());
        assertEquals(ImportReport.Status.IMPORTED, ok.status(), ok.message());
        assertTrue(messages.contains("10,000 spans; critical paths of 8,192 of 10,000 traces"), messages.toString());
        assertEquals(before.traces() + 10_000, ws.traces().stats().traces());
    }

    @Test
    void largeValuesAreStoredWhole() {
        TraceId t = trace(30);
        // over a million characters: measured, then encoded into an array of its exact size
        String big = "The answer: " + "lorem ipsum \"quoted\" ".repeat(160_000) + "ünïcödé 日本 \uD83D\uDE00 end";
        SpanData s = dev.tracebench.core.testing.Spans.withEventsAndLinks(span(t, 1, null, "chat", 0, 10,
                StatusCode.OK, List.of(Attribute.of("gen_ai.completion", big), Attribute.of("n", 7L))),
                List.of(new SpanEventData(T0 + 1, "gen_ai.content.prompt", List.of(Attribute.of("gen_ai.prompt",
                        big)), 0)), List.of());
        ImportReport r = ingest("big", emit("svc", List.of(s, span(t, 2, 1L, "small", 1, 2))));
        assertEquals(2, r.spansAdded(), r.message());
        assertEquals(0, r.rejected());
        SpanDetail got = ws.traces().trace(t).orElseThrow().spans().stream().filter(x -> x.spanId() == 1)
                .findFirst().orElseThrow();
        assertEquals(List.of(Attribute.of("gen_ai.completion", big), Attribute.of("n", 7L)), got.attributes());
        assertEquals(List.of(Attribute.of("gen_ai.prompt", big)), got.events().get(0).attributes());
    }

    @Test
    void aSpanWhoseAttributesAreTooLargeIsRefusedNamingItAndTheRestOfTheFileIsKept() {
        TraceId t = trace(31);
        String value = "y".repeat(15 << 20); // under the importers' limit of 16 MB a value; five are 75 MB of JSON
        List<Attribute> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(Attribute.of("content." + i, value));
        }
        ImportReport r = ingest("huge", emit("svc", List.of(span(t, 1, null, "root", 0, 10),
                span(t, 2, 1L, "huge", 1, 9, StatusCode.OK, five), span(t, 3, 1L, "after", 2, 3))));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals(1, r.rejected());
        assertEquals(2, r.spansAdded());
        Problem p = r.problems().get(0);
        assertEquals(Problem.Severity.REJECTED, p.severity());
        assertEquals("test span 0000000000000002", p.location());
        assertEquals("span 0000000000000002 (huge) of trace " + t.hex() + ": its attributes take 75.0 MB as JSON, "
                + "more than the 64.0 MB one span may hold (the largest value, content.0: 15.0 MB of text); the span "
                + "was not stored", p.reason());
        assertEquals(List.of(p), ws.traces().importProblems(r.importId()));
        assertEquals(List.of(1L, 3L), ws.traces().trace(t).orElseThrow().spans().stream().map(SpanDetail::spanId)
                .sorted().toList());
    }

    @Test
    void parentCyclesAreWarnedAboutNamingTheTraceAndTheSpans() {
        TraceId loop = trace(40);
        TraceId self = trace(41);
        TraceId longer = trace(42);
        TraceId clean = trace(43);
        IngestBody file = emit("svc", List.of(
                span(loop, 1, null, "root", 0, 100), span(loop, 2, 3L, "a", 10, 50), span(loop, 3, 2L, "b", 20, 40),
                span(self, 5, 5L, "self", 0, 10),
                span(longer, 6, 8L, "c", 0, 10), span(longer, 7, 6L, "d", 1, 9), span(longer, 8, 7L, "e", 2, 8),
                span(clean, 1, null, "root", 0, 10), span(clean, 2, 1L, "child", 1, 9)));
        ImportReport r = ingest("cycles", file);
        assertEquals(List.of(
                new Problem(Problem.Severity.WARNING, "trace " + loop.hex(), "parent cycle: span 0000000000000002 (a) "
                        + "→ parent 0000000000000003 (b) → parent 0000000000000002 (a); the trace is analysed as if "
                        + "span 0000000000000002 had no parent"),
                new Problem(Problem.Severity.WARNING, "trace " + self.hex(), "span 0000000000000005 (self) is its own "
                        + "parent; the trace is analysed as if it had no parent"),
                new Problem(Problem.Severity.WARNING, "trace " + longer.hex(), "parent cycle: span 0000000000000006 (c) "
                        + "→ parent 0000000000000008 (e) → parent 0000000000000007 (d) → parent 0000000000000006 (c); "
                        + "the trace is analysed as if span 0000000000000006 had no parent")), r.problems());
        assertEquals(3, r.warnings());
        assertEquals(r.problems(), ws.traces().importProblems(r.importId()));
        TraceSummary looped = ws.traces().traces(TraceFilter.ALL.withText(loop.hex()), TraceSort.NEWEST_FIRST, 0, 1)
                .get(0);
        assertEquals(1L, looped.rootSpanId(), "the true root stays the root");

        // the same file again brings no cycle of its own; nor does a file adding a span to a looped trace
        assertEquals(List.of(), ingest("cycles again", file).problems());
        assertEquals(List.of(), ingest("more", emit("svc", List.of(span(loop, 9, 1L, "late", 60, 70)))).problems());
    }

    @Test
    void unusableInputStoresNothing() {
        ImportReport r = ingest("logs.json", s -> {
            throw new UnusableInputException("is OTLP/JSON logs (resourceLogs), not traces");
        });
        assertEquals(ImportReport.Status.UNUSABLE, r.status());
        assertEquals("is OTLP/JSON logs (resourceLogs), not traces", r.message());
        assertEquals(0, ws.traces().stats().imports());
    }

    @Test
    void progressIsReported() {
        List<Long> seen = new ArrayList<>();
        ws.ingest("p", 1000, s -> {
            long res = s.resource(resource("svc"));
            long sc = s.scope(scope("x"));
            for (int i = 0; i < 5000; i++) {
                s.span(res, sc, span(trace(300_000 + i), 1, null, "r", 0, 1));
            }
            s.bytesRead(1000);
            return new SourceFacts("t", "x", 1000);
        }, options(), (done, total, msg) -> {
            synchronized (seen) {
                seen.add(done);
            }
            assertEquals(1000, total);
        }, CancellationToken.none());
        assertFalse(seen.isEmpty());
    }

    @Test
    void concurrentReadersSeeOnlyCommittedImports() throws Exception {
        ingest("first", emit("svc", sampleTrace(trace(11))));
        CancellationToken never = CancellationToken.none();
        java.util.concurrent.CountDownLatch halfway = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch checked = new java.util.concurrent.CountDownLatch(1);
        Thread importer = new Thread(() -> ws.ingest("second", -1, s -> {
            long res = s.resource(resource("svc"));
            long sc = s.scope(scope("x"));
            for (int i = 0; i < 5000; i++) {
                s.span(res, sc, span(trace(400_000 + i), 1, null, "r", 0, 1));
                if (i == 2500) {
                    halfway.countDown();
                    try {
                        checked.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            return new SourceFacts("t", "x", 1);
        }, options(), ProgressListener.NONE, never));
        importer.start();
        halfway.await();
        Thread.sleep(200); // let the writer append a few batches
        assertEquals(1, ws.traces().countTraces(TraceFilter.ALL), "an import in flight must not be visible");
        checked.countDown();
        importer.join();
        assertEquals(5001, ws.traces().countTraces(TraceFilter.ALL));
    }
}
