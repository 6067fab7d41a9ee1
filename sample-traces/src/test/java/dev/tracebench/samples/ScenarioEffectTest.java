package dev.tracebench.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each planted incident has a realistic size (a few to a few tens of percent of traffic), with noise. */
class ScenarioEffectTest {
    static Generated run(Scenario s) throws Exception {
        return new Generated(new TrafficGenerator.Options(s, 4000, 7, Instant.parse("2026-11-20T08:00:00Z"),
                12 * 3600, 25));
    }

    static double fraction(Generated g) {
        return g.summary.affectedTraces() / (double) g.summary.traces();
    }

    @Test
    void baselinePlantsNothing() throws Exception {
        Generated g = run(Scenario.BASELINE);
        assertEquals(0, g.summary.affectedTraces());
        assertTrue(g.affected.isEmpty());
    }

    @Test
    void slowShardSlowsOneShardOfKbArchiveInsideTheWindow() throws Exception {
        Generated g = run(Scenario.SLOW_SHARD);
        double f = fraction(g);
        assertTrue(f > 0.02 && f < 0.15, "affected " + f);
        Set<String> affected = g.affectedIds();
        List<Long> slowShard = new ArrayList<>();
        List<Long> otherSearch = new ArrayList<>();
        for (Generated.S s : g.spans) {
            if ("kb-archive".equals(s.attr("db.collection.name")) && "archive-1".equals(s.attr("app.vector.shard"))
                    && affected.contains(s.trace())) {
                slowShard.add(s.durationMs());
            } else if (s.attr("db.collection.name") != null && s.attr("db.vector.query.top_k") != null) {
                otherSearch.add(s.durationMs());
            }
        }
        assertTrue(Generated.median(slowShard) > 1000, "slow shard median " + Generated.median(slowShard));
        assertTrue(Generated.median(otherSearch) < 120, "other searches " + Generated.median(otherSearch));
        // the planted traces make up most of the slowest 5% of the endpoints they touch (each endpoint has its own
        // latency profile: an agent run is slower than a chat request, and that is not an incident)
        for (String endpoint : List.of("POST /v1/chat", "GET /api/search")) {
            List<Generated.S> roots = new ArrayList<>(g.roots().stream().filter(s -> s.name().equals(endpoint))
                    .toList());
            roots.sort((a, b) -> Long.compare(b.end() - b.start(), a.end() - a.start()));
            List<Generated.S> slowest = roots.subList(0, roots.size() / 20);
            long planted = slowest.stream().filter(s -> affected.contains(s.trace())).count();
            assertTrue(planted > slowest.size() / 2, endpoint + ": " + planted + " of the " + slowest.size()
                    + " slowest are planted");
        }
    }

    @Test
    void modelRolloutServesASlowerFailingVersionToPartOfTheTraffic() throws Exception {
        Generated g = run(Scenario.MODEL_ROLLOUT);
        double f = fraction(g);
        assertTrue(f > 0.04 && f < 0.3, "affected " + f);
        List<Long> newVersion = new ArrayList<>();
        List<Long> oldVersion = new ArrayList<>();
        int newCalls = 0;
        int newFailed = 0;
        int oldCalls = 0;
        int oldFailed = 0;
        Map<String, Generated.S> byId = new HashMap<>();
        for (Generated.S s : g.spans) {
            byId.put(s.trace() + s.id(), s);
        }
        for (Generated.S s : g.spans) {
            if (!s.service().equals("llm-gateway") || !s.name().startsWith("openai.chat")) {
                continue;
            }
            Object version = byId.get(s.trace() + s.parent()).attr("app.gateway.model");
            boolean fresh = "gpt-4o-mini-2025-01-20".equals(version);
            if (fresh) {
                newCalls++;
                newFailed += s.status() == 2 ? 1 : 0;
                if (s.status() != 2) {
                    newVersion.add(s.durationMs());
                }
            } else if ("gpt-4o-mini-2024-07-18".equals(version)) {
                oldCalls++;
                oldFailed += s.status() == 2 ? 1 : 0;
                if (s.status() != 2) {
                    oldVersion.add(s.durationMs());
                }
            }
        }
        assertTrue(Generated.median(newVersion) > 1.5 * Generated.median(oldVersion),
                Generated.median(newVersion) + " vs " + Generated.median(oldVersion));
        double newRate = newFailed / (double) newCalls;
        double oldRate = oldFailed / (double) oldCalls;
        assertTrue(newRate > 0.08 && newRate > 2.5 * oldRate, newRate + " vs " + oldRate);
    }

    @Test
    void tenantModelSlowsTheNewVersionForOneTenantOnly() throws Exception {
        Generated g = run(Scenario.TENANT_MODEL);
        double f = fraction(g);
        assertTrue(f > 0.01 && f < 0.15, "affected " + f);
        Map<String, Generated.S> byId = new HashMap<>();
        Map<String, String> tenant = new HashMap<>();
        for (Generated.S s : g.spans) {
            byId.put(s.trace() + s.id(), s);
            if (s.attr("app.tenant.id") != null) {
                tenant.put(s.trace(), s.attr("app.tenant.id").toString());
            }
        }
        // successful provider calls by (version, the tenant is t-globex)
        Map<String, List<Long>> calls = new HashMap<>();
        for (Generated.S s : g.spans) {
            if (!s.service().equals("llm-gateway") || !s.name().startsWith("openai.chat") || s.status() == 2) {
                continue;
            }
            Object version = byId.get(s.trace() + s.parent()).attr("app.gateway.model");
            String t = tenant.get(s.trace());
            if (version != null && t != null) {
                calls.computeIfAbsent(version + "|" + t.equals("t-globex"), k -> new ArrayList<>()).add(s.durationMs());
            }
        }
        double slow = Generated.median(calls.get("gpt-4o-mini-2025-01-20|true"));
        double newOthers = Generated.median(calls.get("gpt-4o-mini-2025-01-20|false"));
        double oldGlobex = Generated.median(calls.get("gpt-4o-mini-2024-07-18|true"));
        double oldOthers = Generated.median(calls.get("gpt-4o-mini-2024-07-18|false"));
        assertTrue(slow > 2 * newOthers && slow > 2 * oldGlobex, slow + " vs " + newOthers + ", " + oldGlobex);
        // neither the version nor the tenant alone is slower
        assertTrue(newOthers < 1.2 * oldOthers && oldGlobex < 1.2 * oldOthers, newOthers + ", " + oldGlobex + " vs "
                + oldOthers);
    }

    @Test
    void cacheRegressionCollapsesHitRatesAfterTheDeploy() throws Exception {
        Generated g = run(Scenario.CACHE_REGRESSION);
        double f = fraction(g);
        assertTrue(f > 0.15 && f < 0.35, "affected " + f);
        int[] before = new int[2];
        int[] after = new int[2];
        List<Long> rootBefore = new ArrayList<>();
        List<Long> rootAfter = new ArrayList<>();
        for (Generated.S s : g.spans) {
            if (!"support-assistant".equals(s.service())) {
                continue;
            }
            boolean deployed = "2.15.0".equals(s.serviceVersion());
            if (s.name().startsWith("embeddings")) {
                int[] c = deployed ? after : before;
                c[0]++;
                c[1] += Boolean.TRUE.equals(s.attr("app.cache.hit")) ? 1 : 0;
            }
            if (s.parent().isEmpty() && s.status() != 2) {
                (deployed ? rootAfter : rootBefore).add(s.durationMs());
            }
        }
        double hitBefore = before[1] / (double) before[0];
        double hitAfter = after[1] / (double) after[0];
        assertTrue(hitBefore > 0.28 && hitBefore < 0.42, "before " + hitBefore);
        assertTrue(hitAfter < 0.07, "after " + hitAfter);
        assertTrue(Generated.median(rootAfter) > Generated.median(rootBefore),
                Generated.median(rootAfter) + " vs " + Generated.median(rootBefore));
    }

    @Test
    void promptBloatDoublesInputTokensForTemplateV8() throws Exception {
        Generated g = run(Scenario.PROMPT_BLOAT);
        double f = fraction(g);
        assertTrue(f > 0.05 && f < 0.3, "affected " + f);
        Map<String, String> templateByTrace = new HashMap<>();
        for (Generated.S s : g.spans) {
            if (s.attr("app.prompt.template.version") != null) {
                templateByTrace.put(s.trace(), (String) s.attr("app.prompt.template.version"));
            }
        }
        List<Long> v7 = new ArrayList<>();
        List<Long> v8 = new ArrayList<>();
        for (Generated.S s : g.spans) {
            Object tokens = s.attr("gen_ai.usage.input_tokens");
            if (tokens != null && s.name().startsWith("chat ") && templateByTrace.containsKey(s.trace())) {
                ("v8".equals(templateByTrace.get(s.trace())) ? v8 : v7).add((Long) tokens);
            }
        }
        double ratio = Generated.median(v8) / Generated.median(v7);
        assertTrue(ratio > 1.8 && ratio < 2.6, "input token ratio " + ratio);
    }

    @Test
    void hallucinationSpikeEmptiesOneTenantsRetrievalsAndItsAnswersAreUngrounded() throws Exception {
        Generated g = run(Scenario.HALLUCINATION_SPIKE);
        double f = fraction(g);
        assertTrue(f > 0.02 && f < 0.15, "affected " + f);
        Set<String> affected = g.affectedIds();
        int emptySearches = 0;
        for (Generated.S s : g.spans) {
            if (affected.contains(s.trace()) && s.attr("db.vector.query.result_count") != null) {
                assertEquals(0L, s.attr("db.vector.query.result_count"));
                emptySearches++;
            }
        }
        assertTrue(emptySearches > 0);
        int[] hallucinated = new int[4]; // affected: evals, hallucinated; others: evals, hallucinated
        for (String line : g.evals.lines().toList()) {
            if (!line.contains("\"evaluator\":\"groundedness\"")) {
                continue;
            }
            String trace = line.substring(13, 45);
            double score = Double.parseDouble(field(line, "score"));
            String label = field(line, "label");
            // the label, the verdict and the score say the same (label: the built-in evaluator's words)
            assertEquals(score < 0.5 ? "\"hallucinated\"" : "\"grounded\"", label, line);
            assertEquals(Boolean.toString(score >= 0.5), field(line, "passed"), line);
            assertEquals("0.5", field(line, "threshold"), line);
            int base = affected.contains(trace) ? 0 : 2;
            hallucinated[base]++;
            hallucinated[base + 1] += label.equals("\"hallucinated\"") ? 1 : 0;
        }
        assertTrue(hallucinated[0] > 5, "affected traces were evaluated");
        // unanswerable questions are still answered "the documentation does not say": grounded even without passages
        assertTrue(hallucinated[1] / (double) hallucinated[0] > 0.65, "affected answers hallucinated: "
                + hallucinated[1] + " of " + hallucinated[0]);
        // an answer is hallucinated only where retrieval came back empty
        assertEquals(0, hallucinated[3], "hallucinated answers outside the incident");
        assertTrue(hallucinated[2] > hallucinated[0], "the others were evaluated too");
    }

    /** The raw JSON value of a top-level field of one evals.jsonl line (strings keep their quotes). */
    private static String field(String line, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\":(\"[^\"]*\"|[^,}]+)")
                .matcher(line);
        assertTrue(m.find(), name + " in " + line);
        return m.group(1);
    }
}
