package dev.tracebench.core.store;

import static dev.tracebench.core.testing.Spans.resource;
import static dev.tracebench.core.testing.Spans.scope;
import static dev.tracebench.core.testing.Spans.span;
import static dev.tracebench.core.testing.Spans.trace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import dev.tracebench.core.analysis.rules.CheckRules;
import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.SourceFacts;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.ResourceData;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.ProgressListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The automated checks end to end, from spans through the store's queries to the rules: on traffic with every kind of
 * trouble planted each check fires (with examples that open on the span they name); on clean traffic none does.
 */
class AutomatedChecksTest {
    @TempDir
    Path dir;

    /** Traffic over 40 minutes of 5, 10, 15 or 20 requests a minute; {@code planted} adds every kind of trouble. */
    private List<Finding> checks(boolean planted) {
        try (Workspace ws = Workspace.open(dir.resolve(planted + ".duckdb"))) {
            ImportReport r = ws.ingest("traffic", -1, s -> {
                long sc = s.scope(scope("test"));
                long v1 = s.resource(new ResourceData(List.of(Attribute.of("service.name", "rag-api"),
                        Attribute.of("service.version", "1.0")), null, 0));
                long v2 = s.resource(new ResourceData(List.of(Attribute.of("service.name", "rag-api"),
                        Attribute.of("service.version", "2.0")), null, 0));
                Random rnd = new Random(5);
                int n = 0;
                for (int minute = 0; minute < 40; minute++) {
                    int load = 5 * (1 + minute % 4);
                    for (int j = 0; j < load; j++, n++) {
                        double late = minute / 40.0;
                        long res = planted && late >= 0.5 ? v2 : v1;
                        for (var span : request(n, minute * 60_000.0 + j * 1000, load, late, planted, rnd)) {
                            s.span(res, sc, span);
                        }
                    }
                }
                return new SourceFacts("test", "traffic-" + planted, 1);
            }, ProgressListener.NONE, CancellationToken.none());
            assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
            return ws.analysis().automatedChecks(CheckSettings.DEFAULTS, CancellationToken.none());
        }
    }

    /** One request: retrieval (with a cache lookup), a queue wait, a model call, sometimes tools and a retry. */
    private static List<dev.tracebench.core.model.SpanData> request(int n, double t0, int load, double late,
            boolean planted, Random rnd) {
        TraceId t = trace(n);
        boolean hit = rnd.nextDouble() < (planted ? (late < 0.5 ? 0.5 : 0.05) : 0.3);
        double retrieval = planted ? 900 : 300;
        double queue = planted ? 2 * Math.pow(load / 5.0, 3) : 2;
        String model = planted && n % 4 == 0 ? "gpt-bad" : "gpt-good";
        boolean failed = planted && model.equals("gpt-bad") && rnd.nextDouble() < 0.2;
        String prompt = planted && n % 5 == 0 ? "v2" : n % 2 == 0 ? "v1" : "v2";
        long tokens = (planted && prompt.equals("v2") ? 800 : 400) + rnd.nextInt(50);
        if (planted && n % 97 == 0) {
            tokens *= 20;
        }
        int tools = planted && n % 60 == 0 ? 10 : n % 3;
        boolean retried = planted && n % 10 == 0;
        List<dev.tracebench.core.model.SpanData> spans = new ArrayList<>();
        double c = t0 + 1;
        spans.add(span(t, 2, 1L, "retrieve documents", c, c + retrieval, StatusCode.OK, List.of(
                Attribute.of("gen_ai.operation.name", "retrieval"), Attribute.of("app.cache.hit", hit))));
        c += retrieval + 1;
        spans.add(span(t, 3, 1L, "gateway.queue", c, c + queue));
        c += queue + 1;
        spans.add(span(t, 4, 1L, "chat " + model, c, c + 350, failed ? StatusCode.ERROR : StatusCode.OK, List.of(
                Attribute.of("gen_ai.operation.name", "chat"), Attribute.of("gen_ai.request.model", model),
                Attribute.of("gen_ai.usage.input_tokens", tokens), Attribute.of("gen_ai.prompt.version", prompt))));
        c += 351;
        for (int k = 0; k < tools; k++) {
            spans.add(span(t, 10 + k, 1L, "execute_tool search", c, c + 20, StatusCode.OK, List.of(
                    Attribute.of("gen_ai.operation.name", "execute_tool"))));
            c += 21;
        }
        if (retried) {
            spans.add(span(t, 5, 1L, "chat " + model, c, c + 300, StatusCode.OK, List.of(
                    Attribute.of("gen_ai.operation.name", "chat"), Attribute.of("gen_ai.request.model", model),
                    Attribute.of("app.attempt", 2L))));
            c += 301;
        }
        spans.add(0, span(t, 1, null, "POST /answer", t0, c + 1, StatusCode.OK, List.of(
                Attribute.of("http.route", "/answer"))));
        return spans;
    }

    @Test
    void everyCheckFiresOnTrafficWithItsTroublePlanted() {
        List<Finding> f = checks(true);
        Map<String, List<Finding>> byCheck = f.stream().collect(Collectors.groupingBy(Finding::check, TreeMap::new,
                Collectors.toList()));
        for (var rule : CheckRules.ALL) {
            assertTrue(byCheck.containsKey(rule.id()), rule.id() + " did not fire: " + byCheck.keySet());
        }
        Finding dominant = byCheck.get("dominant-stage").get(0);
        assertEquals(Severity.WARNING, dominant.severity());
        assertTrue(dominant.summary().startsWith("Retrieval takes"), dominant.summary());
        Finding cache = byCheck.get("cache").get(0);
        assertEquals(Severity.WARNING, cache.severity());
        assertTrue(cache.summary().contains("It coincides with rag-api 2.0"), cache.summary());
        assertTrue(cache.exemplars().stream().allMatch(x -> x.spanId() == 2), "examples open on the cache miss");
        Finding queue = byCheck.get("queueing").get(0);
        assertTrue(queue.exemplars().stream().allMatch(x -> x.spanId() == 3), "examples open on the queue span");
        Finding errors = byCheck.get("error-hotspot").get(0);
        assertTrue(errors.summary().startsWith("Calls to model gpt-bad fail"), errors.summary());
        assertTrue(errors.explanation().startsWith("Failures concentrate on this model"), errors.explanation());
        assertTrue(!errors.exemplars().isEmpty() && errors.exemplars().stream().allMatch(x -> x.spanId() == 4),
                "examples open on the failed call: " + errors.exemplars());
        assertTrue(byCheck.get("loops").stream().anyMatch(x -> x.summary().endsWith("8 or more model and tool calls.")),
                byCheck.get("loops").toString());
        assertTrue(byCheck.get("loops").stream().anyMatch(x -> x.summary().endsWith("of requests retried a call.")),
                byCheck.get("loops").toString());
        assertTrue(byCheck.get("prompt-growth").get(0).summary().startsWith("Prompt version v2 sends"),
                byCheck.get("prompt-growth").toString());
        assertTrue(byCheck.get("token-outliers").get(0).exemplars().stream().allMatch(x -> x.spanId() == 4),
                "examples open on the model call with the tokens");
        // most severe first
        for (int i = 1; i < f.size(); i++) {
            assertTrue(f.get(i - 1).severity().compareTo(f.get(i).severity()) >= 0, f.toString());
        }
    }

    @Test
    void noCheckFiresOnCleanTraffic() {
        List<Finding> f = checks(false);
        assertEquals(List.of(), f.stream().map(Finding::summary).toList());
    }
}
