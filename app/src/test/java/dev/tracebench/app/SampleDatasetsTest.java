package dev.tracebench.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.app.cli.TracebenchCli;
import dev.tracebench.core.dataset.Dataset;
import dev.tracebench.core.dataset.DatasetDiff;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetVersion;
import dev.tracebench.core.dataset.Split;
import dev.tracebench.core.json.JsonTree;
import dev.tracebench.core.store.Workspace;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default workspace holds the sample golden set as dataset acme-flow-golden in two versions; version 1 is checked
 * against golden-dataset.jsonl and knowledge-base.jsonl read here, independently of sample-traces' loaders.
 */
class SampleDatasetsTest {
    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> jsonl(String resource) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                SampleDatasetsTest.class.getResourceAsStream("/dev/tracebench/samples/" + resource),
                StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    out.add((Map<String, Object>) JsonTree.parse(line));
                }
            }
        }
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDefaultWorkspaceHoldsTheGoldenSetInTwoVersions() throws Exception {
        List<Map<String, Object>> golden = jsonl("golden-dataset.jsonl");
        Map<String, String> passages = new HashMap<>();
        for (Map<String, Object> p : jsonl("knowledge-base.jsonl")) {
            passages.put((String) p.get("id"), (String) p.get("text"));
        }
        AppHome home = new AppHome(dir.resolve("home"));
        WorkspaceOpener opener = new WorkspaceOpener(home);
        List<DatasetExample> first;
        List<DatasetExample> second;
        try (Workspace ws = opener.openReadOnly(home.defaultWorkspace())) {
            Dataset d = ws.datasets().dataset(SampleDatasets.NAME).orElseThrow();
            assertEquals(2, d.latestVersion());
            assertEquals(150, d.exampleCount());
            assertTrue(d.description().startsWith("Questions users ask the Acme Flow docs assistant"), d.description());
            List<DatasetVersion> versions = ws.datasets().versions(SampleDatasets.NAME);
            assertEquals(List.of(150, 150), versions.stream().map(DatasetVersion::exampleCount).toList());
            first = ws.datasets().examples(SampleDatasets.NAME, 1);
            second = ws.datasets().examples(SampleDatasets.NAME, 2);
        }
        assertEquals(golden.size(), first.size());
        assertEquals(150, golden.size());
        for (int i = 0; i < golden.size(); i++) {
            Map<String, Object> g = golden.get(i);
            DatasetExample e = first.get(i);
            assertEquals(g.get("id"), e.id());
            assertEquals(g.get("question"), e.input());
            assertEquals(g.get("expected_answer"), e.expectedOutput());
            assertEquals(g.get("tags"), e.tags());
            assertEquals(g.get("difficulty"), e.difficulty());
            List<String> refs = (List<String>) g.get("reference_context_ids");
            assertEquals(refs.stream().map(passages::get).toList(), e.context(), e.id());
            assertEquals(Map.of("reference_context_ids", String.join(", ", refs)), e.metadata());
            assertEquals("sample-traces golden-dataset.jsonl line " + (i + 1), e.provenance().source());
            assertEquals("", e.actualOutput());
            assertEquals(Split.NONE, e.split());
        }

        // version 2, as a curator would describe the review, counted here from the file
        DatasetDiff diff = DatasetDiff.of(first, second);
        assertEquals(List.of("g-151", "g-152"), diff.added().stream().map(DatasetExample::id).toList());
        assertEquals(List.of("g-019", "g-034"), diff.removed().stream().map(DatasetExample::id).toList());
        Set<String> expectedChanged = new TreeSet<>(List.of("g-004", "g-007", "g-018"));
        int heldOut = 0;
        for (Map<String, Object> g : golden) {
            List<String> tags = (List<String>) g.get("tags");
            boolean test = g.get("difficulty").equals("hard") && tags.contains("multi-passage");
            heldOut += test ? 1 : 0;
            if (test || tags.contains("ambiguous")) {
                expectedChanged.add((String) g.get("id"));
            }
        }
        expectedChanged.removeAll(Set.of("g-019", "g-034"));
        assertEquals(expectedChanged, new TreeSet<>(diff.changed().stream().map(DatasetDiff.Change::id).toList()));
        assertEquals(heldOut, second.stream().filter(e -> e.split() == Split.TEST).count());
        DatasetExample g7 = second.stream().filter(e -> e.id().equals("g-007")).findFirst().orElseThrow();
        assertTrue(g7.expectedOutput().contains("Starter and Team do not") && !g7.notes().isEmpty(), g7.toString());
        DatasetExample g151 = second.get(second.size() - 2);
        assertEquals("g-151", g151.id());
        assertEquals("whats the right way to store a database password for a pipeline", g151.input());
        assertEquals(List.of(passages.get("kb-014")), g151.context());

        // and the command line sees the same
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, TracebenchCli.run(opener, new PrintWriter(out), new PrintWriter(err), "dataset", "diff",
                SampleDatasets.NAME, "1", "2", "--format", "csv"), err.toString());
        assertTrue(out.toString().startsWith("dataset,from,to,added,removed,changed\r\nacme-flow-golden,1,2,2,2,"
                + expectedChanged.size() + "\r\n"), out.toString());
    }
}
