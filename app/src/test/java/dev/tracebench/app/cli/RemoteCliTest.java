package dev.tracebench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracebench.app.AppHome;
import dev.tracebench.app.WorkspaceOpener;
import dev.tracebench.core.testing.RemoteResults;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tracebench remote show} on a hand-written result folder ({@link RemoteResults}: four traces, model_version v2
 * planted among the slow requests, availability 144 of 150 good): the breakdown, the finding and the SLO status come
 * out of the same writers as breakdown, explain and slo check; a folder that is not a result exits 2 and says why.
 */
class RemoteCliTest {
    @TempDir
    Path dir;

    String out;
    String err;

    int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = TracebenchCli.run(new WorkspaceOpener(new AppHome(dir.resolve("home"))), new PrintWriter(o),
                new PrintWriter(e), args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    private Path result() throws Exception {
        Path r = Files.createDirectories(dir.resolve("result"));
        RemoteResults.write(r, 1, "");
        return r;
    }

    @Test
    void aResultGivenAsWorkspaceToOtherCommandsSaysHowToOpenIt() throws Exception {
        Path r = result();
        for (String command : new String[] {"breakdown", "explain", "traces"}) {
            assertEquals(2, run(command, "--workspace", r.toString()), command + ": " + out);
            assertTrue(err.contains("is a Spark result folder (a remote result)"), command + ": " + err);
            assertTrue(err.contains("tracebench remote show " + r), command + ": " + err);
        }
    }

    @Test
    void textShowsTheRunTheBreakdownTheFindingAndTheSlos() throws Exception {
        Path r = result();
        assertEquals(0, run("remote", "show", r.toString()), err);
        assertTrue(out.startsWith("Read-only remote result (Spark): " + r), out);
        assertTrue(out.contains("lake: /data/lake-one"), out);
        assertTrue(out.contains("traces: 4"), out);
        // the groups table of breakdown --by: model b's p95 (9.65 s) and the whole lake's p99 (9.79 s)
        assertTrue(out.matches("(?s).*\\n(\\(all\\)|b)\\s.*9\\.65 s.*"), out);
        assertTrue(out.contains("9.79 s"), out);
        assertTrue(out.contains("(per-operation lists are not in Spark's output)"), out);
        // explain's words for the planted value, critical: 80% vs 5%
        assertTrue(out.contains("1. [CRITICAL] 80% of "), out);
        assertTrue(out.contains("were served by model version v2 (vs 5% of the others)."), out);
        // slo check's text at the stated default objective: 144 good of 150
        assertTrue(out.contains("SLOs of default objective 99%, no SLO file given"), out);
        assertTrue(out.contains("(144 good of 150)"), out);
        assertFalse(out.contains("v1 ("), "v1 does not set the slow traces apart: " + out);
    }

    @Test
    void jsonIsOneDocumentOfTheWritersDocuments() throws Exception {
        Path r = result();
        Path slo = dir.resolve("slo.yaml");
        Files.writeString(slo, """
                slos:
                  - name: up
                    sli: availability
                    objective: 95%
                """);
        assertEquals(0, run("remote", "show", r.toString(), "--format", "json", "--slo", slo.toString()), err);
        JsonNode j = new ObjectMapper().readTree(out);
        assertTrue(j.path("read_only").asBoolean());
        assertEquals(4, j.path("result").path("traces").asLong());
        assertEquals("model", j.path("result").path("group_by").asText());
        assertEquals(1, j.path("findings").path("findings").size(), out);
        JsonNode f = j.path("findings").path("findings").get(0);
        assertEquals("critical", f.path("severity").asText());
        assertEquals(80, f.path("evidence").path("cohort_matching").asLong());
        JsonNode up = j.path("slos").path("slos").get(0);
        assertEquals("up", up.path("name").asText(), out);
        assertFalse(j.path("slos").path("failing").asBoolean(), "96% good holds a 95% objective: " + out);
        // the groups table of breakdown --by: the whole lake, then a and b (2 traces each, by name)
        assertEquals(3, j.path("groups").size(), out);
        assertEquals("(all)", j.path("groups").get(0).path("model").asText(), out);
        assertEquals(4, j.path("groups").get(0).path("traces").asLong(), out);
        assertEquals("9.65 s", j.path("groups").get(2).path("p95").asText(), out);
        // stage rows per group: a has inference only, b inference and retrieval
        assertEquals(3, j.path("stages").size(), out);
    }

    @Test
    void markdownUsesExplainsAndSloChecksMarkdown() throws Exception {
        Path r = result();
        assertEquals(0, run("remote", "show", r.toString(), "--format", "markdown"), err);
        assertTrue(out.startsWith("# Read-only remote result (Spark)\n"), out);
        assertTrue(out.contains("- **traces**: 4"), out);
        assertTrue(out.contains("```\nmodel "), "the breakdown tables as code blocks: " + out);
        assertTrue(out.contains("were served by model version v2 (vs 5% of the others)."), out);
        assertTrue(out.contains("144"), out);
    }

    @Test
    void aFolderThatIsNoResultOrAnSloItCannotAnswerExitsTwo() throws Exception {
        Path notResult = Files.createDirectories(dir.resolve("plain"));
        assertEquals(2, run("remote", "show", notResult.toString()));
        assertTrue(err.contains("not a Spark result folder") && err.contains(notResult.toString()), err);
        assertEquals("", out);

        Path r = result();
        Files.writeString(r.resolve("breakdown.csv"), Files.readString(r.resolve("breakdown.csv")).replace("false,a,2,",
                "false,a,two,"));
        assertEquals(2, run("remote", "show", r.toString()));
        assertTrue(err.contains("breakdown.csv line 3: column traces: not a whole number: 'two'"), err);

        RemoteResults.write(r, 1, "");
        Path slo = dir.resolve("slo.yaml");
        Files.writeString(slo, """
                slos:
                  - name: fast
                    sli: latency
                    threshold: 2s
                    objective: 99%
                """);
        assertEquals(2, run("remote", "show", r.toString(), "--slo", slo.toString()));
        assertTrue(err.contains("slo.yaml") && err.contains("--slo latency:2000000000"), err);
    }
}
