package dev.tracebench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.app.AppHome;
import dev.tracebench.app.WorkspaceOpener;
import dev.tracebench.core.store.UserSqlSecurityTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks of core's {@link UserSqlSecurityTest} through the command line: {@code query}, and {@code explain} and
 * {@code breakdown} with a SQL cohort. Each is refused (exit 2, a message), the workspace stays byte-for-byte the same
 * and no file is written.
 */
class CliSecurityTest {
    @TempDir
    Path dir;
    String out;
    String err;

    private int run(WorkspaceOpener opener, String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = TracebenchCli.run(opener, new PrintWriter(o), new PrintWriter(e), args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    @Test
    void userSqlThroughTheCommandLineCannotReachOutsideOrChangeTheWorkspace() throws Exception {
        WorkspaceOpener opener = new WorkspaceOpener(new AppHome(dir.resolve("home")));
        Path traces = dir.resolve("t.jsonl");
        Files.writeString(traces, CliTest.otlp("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", "POST /chat",
                1000, 2500, 0) + CliTest.otlp("1af7651916cd43dd8448eb211c80319c", "c7ad6b7169203331", "GET /x", 2000,
                3, 2), StandardCharsets.UTF_8);
        Path ws = dir.resolve("ws.duckdb");
        assertEquals(0, run(opener, "import", "-q", "-w", ws.toString(), traces.toString()), err);
        Path canary = Files.writeString(dir.resolve("canary.csv"), "trace_id\nsecret-content\n");
        String sha = sha(ws);
        TreeSet<String> before = files();
        List<String> leaks = new ArrayList<>();
        for (String attack : UserSqlSecurityTest.CONSOLE_ATTACKS) {
            String sql = UserSqlSecurityTest.fill(attack, dir, canary);
            int code = run(opener, "query", "-w", ws.toString(), sql);
            if (code != TracebenchCli.UNUSABLE || !err.startsWith("error: ") || out.contains("secret-content")
                    || err.contains("secret-content")) {
                leaks.add("query " + sql + " -> exit " + code + ", out: " + out + ", err: " + err);
            }
        }
        for (String attack : UserSqlSecurityTest.FILTER_ATTACKS) {
            String expr = UserSqlSecurityTest.fill(attack, dir, canary);
            for (String command : List.of("explain", "breakdown")) {
                int code = run(opener, command, "-w", ws.toString(), "--cohort", expr);
                if (code != TracebenchCli.UNUSABLE || out.contains("secret-content") || err.contains("secret-content")) {
                    leaks.add(command + " --cohort " + expr + " -> exit " + code + ", out: " + out + ", err: " + err);
                }
            }
        }
        assertEquals(List.of(), leaks);
        assertEquals(sha, sha(ws), "the workspace is byte-for-byte unchanged");
        assertEquals(before, files(), "no file was written");
        // and the ordinary uses still work
        assertEquals(0, run(opener, "query", "-w", ws.toString(), "--format", "csv",
                "-- spans per service\nSELECT service_name, count(*) AS n FROM spans GROUP BY 1"), err);
        assertEquals("service_name,n\r\ncli-svc,2\r\n", out);
        assertEquals(0, run(opener, "breakdown", "-w", ws.toString(), "--cohort", "root_name = 'a;b' OR "
                + "root_name = 'GET /x'", "--format", "csv"), err);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("(request)") || l.contains(",1,")), out);
    }

    private TreeSet<String> files() throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            TreeSet<String> names = new TreeSet<>();
            s.filter(p -> !p.startsWith(dir.resolve("home"))).forEach(p -> names.add(dir.relativize(p).toString()));
            return names;
        }
    }

    private static String sha(Path file) throws Exception {
        assertFalse(Files.exists(file.resolveSibling(file.getFileName() + ".wal")), "no WAL left");
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
