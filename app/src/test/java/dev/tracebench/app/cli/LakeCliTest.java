package dev.tracebench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.app.AppHome;
import dev.tracebench.app.WorkspaceOpener;
import dev.tracebench.core.lake.LakeManifest;
import dev.tracebench.core.lake.LakeTable;
import dev.tracebench.core.store.DuckDbLakeExport;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.CancelledException;
import dev.tracebench.samples.Scenario;
import dev.tracebench.samples.TrafficGenerator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trace lake end to end on a generated workspace (the slow-shard scenario, 3,000 requests with eval results):
 * the lake is read back with plain DuckDB SQL written here (not the lake reader) and compared with the workspace per
 * table and partition; the analyses on the lake are compared with the same analyses on the workspace; import --lake,
 * append, refused and cancelled exports, schema versions.
 */
class LakeCliTest {
    @TempDir
    static Path dir;
    static Path ws;
    static Path lake;
    static TrafficGenerator.Files data;

    /** Per table, a numeric column (expression over alias x) whose sum the comparisons check beside the counts. */
    static final Map<LakeTable, String> SUMS = Map.ofEntries(
            Map.entry(LakeTable.SPANS, "x.end_ns - x.start_ns + coalesce(x.input_tokens, 0)"),
            Map.entry(LakeTable.SPAN_EVENTS, "x.time_ns"),
            Map.entry(LakeTable.SPAN_LINKS, "x.linked_span_id // 1024 + x.seq"),
            Map.entry(LakeTable.TRACES, "x.duration_ns + x.inference_ns + x.total_tokens"),
            Map.entry(LakeTable.TRACE_STAGES, "x.path_ns + x.self_ns"),
            Map.entry(LakeTable.RESOURCES, "length(x.service_name)"),
            Map.entry(LakeTable.SCOPES, "length(x.name)"),
            Map.entry(LakeTable.IMPORTS, "x.spans_added"),
            Map.entry(LakeTable.IMPORT_PROBLEMS, "x.seq"),
            Map.entry(LakeTable.EVAL_RUNS, "length(x.name)"),
            Map.entry(LakeTable.EVAL_RESULTS, "coalesce(x.score, 0) * 1000"));

    /** A span with a bearer token, an API key in free text and a password in its status message. */
    static final Path SECRETS_NAME = Path.of("secrets.otlp.json");
    static Path SECRETS;

    String out;
    String err;

    @BeforeAll
    static void workspaceAndLake() throws Exception {
        SECRETS = dir.resolve(SECRETS_NAME);
        Path gen = dir.resolve("gen");
        TrafficGenerator.writeDirectory(TrafficGenerator.Options.of(Scenario.SLOW_SHARD, 3_000, 7),
                TrafficGenerator.Format.OTLP_JSON, false, gen);
        data = TrafficGenerator.files(gen, TrafficGenerator.Format.OTLP_JSON, false);
        ws = dir.resolve("ws.duckdb");
        lake = dir.resolve("lake");
        LakeCliTest t = new LakeCliTest();
        Files.writeString(SECRETS, """
                {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"login"}}]},
                "scopeSpans":[{"scope":{"name":"t"},"spans":[{"traceId":"5b8efff798038103d269b633813fc60c",
                "spanId":"eee19b7ec3c1b174","name":"POST /login","kind":2,"startTimeUnixNano":"1764000000000000000",
                "endTimeUnixNano":"1764000001000000000","attributes":[{"key":"http.request.header.authorization",
                "value":{"stringValue":"Bearer abcdefghijkl123456"}},{"key":"note","value":{"stringValue":
                "key sk-proj-abcdefghijklmnop1234 leaked"}}],"status":{"code":2,"message":
                "bad password=hunter2hunter2"}}]}]}]}
                """);
        assertEquals(0, t.run("import", "-w", ws.toString(), data.traces().toString(), data.evals().toString(),
                SECRETS.toString()), t.err);
        assertEquals(0, t.run("export", "lake", "-w", ws.toString(), "--out", lake.toString()), t.err);
        assertTrue(t.err.contains("export lake: 0/11 spans: writing"), t.err);
    }

    int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = TracebenchCli.run(new WorkspaceOpener(new AppHome(dir.resolve("home"))), new PrintWriter(o),
                new PrintWriter(e), args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    // ------------------------------------------------------------------ reading back, independently of the reader

    /** Plain DuckDB, in memory, with the workspace attached read-only as {@code ws}; times in UTC. */
    static Connection duckdb() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            s.execute("ATTACH '" + ws + "' AS ws (READ_ONLY)");
        }
        return c;
    }

    /** "date/service" (or "" for unpartitioned tables) to "rows sum", from a query giving key, count, sum. */
    static Map<String, String> groups(Statement s, String sql) throws SQLException {
        Map<String, String> m = new TreeMap<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getLong(2) + " " + rs.getString(3));
            }
        }
        return m;
    }

    /** The workspace's rows per partition, the partition computed here from the row's (or its trace's) start. */
    static Map<String, String> workspaceGroups(Statement s, LakeTable t) throws SQLException {
        String key = switch (t.partitioning()) {
            case SPAN -> "strftime(to_timestamp(x.start_ns / 1e9), '%Y-%m-%d') || '/' || x.service_name";
            case TRACE -> "strftime(to_timestamp(tr.start_ns / 1e9), '%Y-%m-%d') || '/' || tr.service_name";
            case NONE -> "''";
        };
        String join = t.partitioning() == LakeTable.Partitioning.TRACE
                ? " JOIN ws.traces tr ON tr.trace_id = x.trace_id" : "";
        return groups(s, "SELECT " + key + ", count(*), CAST(sum(" + SUMS.get(t) + ") AS VARCHAR) FROM ws."
                + t.table() + " x" + join + " GROUP BY 1");
    }

    /** The lake's rows per partition, read with read_parquet and the Hive folder names. */
    static Map<String, String> lakeGroups(Statement s, Path lakeDir, LakeTable t) throws SQLException {
        Path folder = lakeDir.resolve(t.table());
        if (!Files.exists(folder)) {
            return Map.of();
        }
        String key = t.partitioned() ? "strftime(date, '%Y-%m-%d') || '/' || service" : "''";
        return groups(s, "SELECT " + key + ", count(*), CAST(sum(" + SUMS.get(t) + ") AS VARCHAR) FROM read_parquet('"
                + folder + (t.partitioned() ? "/*/*/*.parquet', hive_partitioning = true" : "/*.parquet'")
                + ") x GROUP BY 1");
    }

    @Test
    void everyTableAndPartitionHoldsTheWorkspaceRows() throws Exception {
        LakeManifest m = LakeManifest.read(lake);
        assertEquals(dev.tracebench.core.store.Workspace.SCHEMA_VERSION, m.schemaVersion());
        try (Connection c = duckdb(); Statement s = c.createStatement()) {
            for (LakeTable t : LakeTable.values()) {
                Map<String, String> expected = workspaceGroups(s, t);
                assertEquals(expected, lakeGroups(s, lake, t), t.table());
                long rows = expected.values().stream().mapToLong(v -> Long.parseLong(v.split(" ")[0])).sum();
                assertEquals(rows, m.table(t.table()).rows(), t.table() + " in the manifest");
            }
            // the generated data spans several services and covers both kinds of partitioned table
            assertTrue(workspaceGroups(s, LakeTable.SPANS).size() >= 3, workspaceGroups(s, LakeTable.SPANS).keySet()
                    .toString());
            assertTrue(m.table("spans").rows() > 20_000, "spans: " + m.table("spans").rows());
            assertTrue(m.table("eval_results").rows() > 100, "eval results: " + m.table("eval_results").rows());
            // the files' column types are the workspace's, but for trace ids: OTLP's hex, which Spark reads too
            try (ResultSet rs = s.executeQuery("SELECT data_type FROM information_schema.columns WHERE table_catalog "
                    + "= 'ws' AND table_name = 'spans' ORDER BY ordinal_position")) {
                List<String> types = new ArrayList<>();
                while (rs.next()) {
                    types.add(rs.getString(1).replace("UUID", "VARCHAR"));
                }
                List<String> manifest = m.table("spans").columns().stream().map(LakeManifest.Column::type).toList();
                assertEquals(types, manifest.subList(0, types.size()));
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*), count(l.trace_id) FROM ws.traces t LEFT JOIN "
                    + "read_parquet('" + lake + "/traces/*/*/*.parquet') l ON l.trace_id = lower(printf('%032x', "
                    + "t.trace_id::UHUGEINT))")) {
                rs.next();
                assertEquals(rs.getLong(1), rs.getLong(2), "every trace id is in the lake as 32 hex digits");
            }
        }
        try (Stream<Path> files = Files.list(lake.resolve("spans"))) {
            assertTrue(files.allMatch(p -> p.getFileName().toString().startsWith("date=")));
        }
    }

    @Test
    void secretsLeaveTheWorkspaceMasked() throws Exception {
        String spans = lake + "/spans/*/*/*.parquet";
        try (Connection c = duckdb(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM ws.spans WHERE attributes::VARCHAR LIKE "
                    + "'%abcdefghijkl123456%' AND status_message LIKE '%hunter2%'")) {
                rs.next();
                assertEquals(1, rs.getLong(1), "the workspace keeps what was imported");
            }
            try (ResultSet rs = s.executeQuery("SELECT attributes::VARCHAR, status_message FROM read_parquet('" + spans
                    + "') WHERE name = 'POST /login'")) {
                assertTrue(rs.next());
                assertEquals("{\"http.request.header.authorization\":\"Bearer [masked]\",\"note\":\"key "
                        + "sk-[masked] leaked\"}", rs.getString(1));
                assertEquals("bad password=[masked]", rs.getString(2));
            }
            // and nothing else changed: every other span's attributes are the workspace's, byte for byte
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM ws.spans w JOIN read_parquet('" + spans + "') l "
                    + "ON l.trace_id = lower(printf('%032x', w.trace_id::UHUGEINT)) AND l.span_id = w.span_id "
                    + "WHERE l.attributes::VARCHAR <> w.attributes::VARCHAR")) {
                rs.next();
                long changed = rs.getLong(1);
                try (ResultSet q = s.executeQuery("SELECT count(*) FROM ws.spans WHERE attributes::VARCHAR LIKE "
                        + "'%session.id%' OR name = 'POST /login'")) {
                    q.next();
                    assertEquals(q.getLong(1), changed, "only spans with a secret (session ids are masked too)");
                }
            }
        }
    }

    @Test
    void analysesOnTheLakeEqualTheWorkspace() {
        for (String[] cmd : new String[][] {{"breakdown", "--format", "json"}, {"breakdown", "--by", "tenant"},
                {"explain"}, {"explain", "--cohort", "errors"}, {"traces", "--limit", "50"}, {"evals"}}) {
            assertEquals(0, run(concat(cmd, "-w", ws.toString())), err);
            String onWorkspace = out;
            assertEquals(0, run(concat(cmd, "-w", lake.toString())), err);
            assertEquals(normalise(onWorkspace), normalise(out), String.join(" ", cmd));
        }
        // the planted cause comes first on the lake as on the workspace
        assertEquals(0, run("explain", "-w", lake.toString()));
        String first = out.lines().filter(l -> l.startsWith("1. ")).findFirst().orElseThrow();
        assertTrue(first.contains("archive"), first); // the slow shard: kb-archive, served by archive-1
    }

    @Test
    void sloCheckOnTheLakeEqualsTheWorkspace() throws Exception {
        Path slo = dir.resolve("slo.yaml");
        Files.writeString(slo, """
                slos:
                  - name: latency
                    sli: latency
                    threshold: 3s
                    objective: 95%
                """);
        int code = run("slo", "check", "-w", ws.toString(), "--config", slo.toString(), "--format", "json");
        String onWorkspace = out;
        assertEquals(code, run("slo", "check", "-w", lake.toString(), "--config", slo.toString(), "--format",
                "json"), err);
        assertEquals(normalise(onWorkspace.replace(ws.toString(), "W")), normalise(out.replace(lake.toString(),
                "W").replace("\"lake\"", "\"W\"")));
    }

    /** Timings and the workspace's name are all that may differ. */
    static String normalise(String text) {
        return text.replaceAll("\\(\\d[\\d.,]* m?s\\)", "(t)").replaceAll("\"(elapsed|millis|duration_ms|took_ms)\"\\s*:\\s*\\d+",
                "\"$1\": 0").replace("ws.duckdb", "W").replace("in lake", "in W");
    }

    static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void importToALakeEqualsImportThenExport() throws Exception {
        Path direct = dir.resolve("direct-lake");
        assertEquals(0, run("import", "--lake", direct.toString(), data.traces().toString(), data.evals()
                .toString(), SECRETS.toString()), err);
        assertTrue(LakeManifest.isLake(direct));
        try (Connection c = duckdb(); Statement s = c.createStatement()) {
            for (LakeTable t : LakeTable.values()) {
                assertEquals(lakeGroups(s, lake, t), lakeGroups(s, direct, t), t.table());
            }
        }
        try (Stream<Path> siblings = Files.list(dir)) {
            assertTrue(siblings.noneMatch(p -> p.getFileName().toString().startsWith(".direct-lake")),
                    "the scratch workspace was deleted");
        }
    }

    @Test
    void aCancelledExportLeavesNothing() throws Exception {
        Path target = dir.resolve("cancelled");
        CancellationToken cancel = new CancellationToken();
        List<String> seen = new ArrayList<>();
        assertThrows(CancelledException.class, () -> DuckDbLakeExport.export(ws, target, false, "test",
                (d, total, message) -> {
                    seen.add(message);
                    if (message.startsWith("trace_stages")) {
                        cancel.cancel(); // spans, events, links and traces are written by now
                    }
                }, cancel));
        assertTrue(seen.size() >= 5, seen.toString());
        assertFalse(Files.exists(target));
        try (Stream<Path> siblings = Files.list(dir)) {
            assertTrue(siblings.noneMatch(p -> p.getFileName().toString().startsWith(".cancelled")));
        }
    }

    @Test
    void aNonEmptyFolderIsRefusedAndLeftAsItWas() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("busy"));
        Files.writeString(folder.resolve("notes.txt"), "mine");
        assertEquals(2, run("export", "lake", "-w", ws.toString(), "--out", folder.toString()));
        assertTrue(err.contains("exists and is not empty"), err);
        assertEquals(2, run("export", "lake", "-w", ws.toString(), "--out", folder.toString(), "--append"));
        assertTrue(err.contains("is not a trace lake"), err);
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(List.of(folder.resolve("notes.txt")), files.toList());
        }
        assertEquals(2, run("breakdown", "-w", folder.toString()));
        assertTrue(err.contains("neither a workspace nor a trace lake"), err);
    }

    @Test
    void appendAddsNewFilesAndKeepsIdsApart() throws Exception {
        Path twice = dir.resolve("twice");
        assertEquals(0, run("export", "lake", "-w", ws.toString(), "--out", twice.toString()), err);
        Map<Path, Long> first = sizes(twice);
        assertEquals(0, run("export", "lake", "-w", ws.toString(), "--out", twice.toString(), "--append"), err);
        Map<Path, Long> after = sizes(twice);
        first.forEach((f, size) -> assertEquals(size, after.get(f), f + " was rewritten"));
        assertTrue(after.size() > first.size());
        LakeManifest m = LakeManifest.read(twice);
        LakeManifest once = LakeManifest.read(lake);
        assertEquals(2, m.exports().size());
        for (LakeManifest.Table t : once.tables()) {
            assertEquals(2 * t.rows(), m.table(t.name()).rows(), t.name());
        }
        try (Connection c = duckdb(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(DISTINCT import_id), count(*) FROM read_parquet('"
                    + twice + "/imports/*.parquet')")) {
                rs.next();
                assertEquals(rs.getLong(2), rs.getLong(1), "import ids stay unique");
            }
            try (ResultSet rs = s.executeQuery("SELECT count(DISTINCT span_row), count(*) FROM read_parquet('"
                    + twice + "/spans/*/*/*.parquet')")) {
                rs.next();
                assertEquals(rs.getLong(2), rs.getLong(1), "span rows stay unique");
            }
        }
        assertEquals(0, run("query", "-w", twice.toString(), "SELECT count(*) FROM traces"), err);
        assertTrue(out.contains(String.format("%d", 2 * once.table("traces").rows())), out);
        // a lake is not a workspace to import into
        assertEquals(2, run("import", "-w", twice.toString(), data.evals().toString()));
        assertTrue(err.contains("is a trace lake") && err.contains("import --lake"), err);
    }

    static void deleteTree(Path root) throws java.io.IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static Map<Path, Long> sizes(Path root) throws Exception {
        Map<Path, Long> m = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".parquet")).toList()) {
                m.put(p, Files.size(p));
            }
        }
        return m;
    }

    @Test
    void aNewerLakeIsRefusedAnOlderOneReadWithItsMissingColumnsEmpty() throws Exception {
        Path newer = dir.resolve("newer");
        assertEquals(0, run("export", "lake", "-w", ws.toString(), "--out", newer.toString()), err);
        Path manifest = newer.resolve(LakeManifest.FILE_NAME);
        int current = dev.tracebench.core.store.Workspace.SCHEMA_VERSION;
        Files.writeString(manifest, Files.readString(manifest).replace("\"schema_version\" : " + current,
                "\"schema_version\" : " + (current + 1)));
        assertEquals(2, run("traces", "-w", newer.toString()));
        assertTrue(err.contains("newer Tracebench"), err);

        // a lake of schema 3: its traces have no root_error (added in 4)
        Path older = dir.resolve("older");
        assertEquals(0, run("export", "lake", "-w", ws.toString(), "--out", older.toString()), err);
        try (Connection c = duckdb(); Statement s = c.createStatement()) {
            Path traces = older.resolve("traces");
            Path copy = dir.resolve("traces-v3.parquet");
            s.execute("COPY (SELECT * EXCLUDE (root_error) FROM read_parquet('" + traces + "/*/*/*.parquet')) TO '"
                    + copy + "' (FORMAT PARQUET)");
            deleteTree(traces);
            Files.createDirectories(traces.resolve("date=2026-01-01/service=x"));
            Files.move(copy, traces.resolve("date=2026-01-01/service=x/part-0.parquet"));
        }
        Path om = older.resolve(LakeManifest.FILE_NAME);
        Files.writeString(om, Files.readString(om).replace("\"schema_version\" : " + current,
                "\"schema_version\" : 3"));
        assertEquals(0, run("traces", "-w", older.toString(), "--limit", "5"), err);
        assertTrue(err.contains("traces.root_error"), err);
        assertEquals(0, run("breakdown", "-w", ws.toString()), err);
        String onWorkspace = out;
        assertEquals(0, run("breakdown", "-w", older.toString()), err);
        assertEquals(normalise(onWorkspace), normalise(out));
        // the same lake claiming the current version is damaged, and says where
        Files.writeString(om, Files.readString(om).replace("\"schema_version\" : 3",
                "\"schema_version\" : " + current));
        assertNotEquals(0, run("traces", "-w", older.toString()));
        assertTrue(err.contains("no column root_error"), err);
    }
}
