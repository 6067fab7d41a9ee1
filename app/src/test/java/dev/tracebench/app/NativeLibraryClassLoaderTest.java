package dev.tracebench.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.store.Workspace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tracebench started through its {@link Launcher} loads DuckDB's native library from the copy extracted once under its
 * home: nothing is extracted into the temp folder (where a killed process would leave 70 MB behind), concurrent first
 * runs end up with one copy, and later runs reuse it.
 */
class NativeLibraryClassLoaderTest {
    @TempDir
    Path dir;

    private Process start(Path home, Path tmp, Path workspace, String sql) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx128m", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + tmp, "-Dtracebench.home=" + home, "-cp", System.getProperty("java.class.path"),
                Launcher.class.getName(), "query", "--workspace", workspace.toString(), sql)
                .redirectErrorStream(true).redirectOutput(dir.resolve(workspace.getFileName() + ".out").toFile())
                .start();
    }

    private Path workspace(String name) {
        Path ws = dir.resolve(name);
        Workspace.open(ws).close();
        return ws;
    }

    private static List<Path> files(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }

    private static List<Path> duckDbLibraries(Path folder) throws IOException {
        return files(folder).stream().filter(f -> f.getFileName().toString().startsWith("libduckdb_java")).toList();
    }

    @Test
    void concurrentFirstRunsShareOneCopyUnderTheHomeAndLaterRunsReuseIt() throws Exception {
        Path home = dir.resolve("home");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        List<Process> runs = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path ws = workspace("ws" + i + ".duckdb");
            runs.add(start(home, tmp, ws, "SELECT 40 + " + i + " AS answer"));
            outputs.add(dir.resolve(ws.getFileName() + ".out"));
        }
        for (int i = 0; i < runs.size(); i++) {
            assertTrue(runs.get(i).waitFor(180, TimeUnit.SECONDS), "run " + i + " ended");
            String out = Files.readString(outputs.get(i), StandardCharsets.UTF_8);
            assertEquals(0, runs.get(i).exitValue(), out);
            assertTrue(out.contains(String.valueOf(40 + i)), out);
        }
        List<Path> copies = files(home.resolve("native"));
        assertEquals(1, copies.size(), "one copy, no partial files: " + copies);
        Path library = copies.get(0);
        assertEquals("libduckdb_java.so", library.getFileName().toString());
        assertTrue(library.getParent().getFileName().toString().startsWith("libduckdb_java.so_"), library.toString());
        assertEquals(List.of(), duckDbLibraries(tmp), "nothing extracted into the temp folder");

        FileTime extracted = Files.getLastModifiedTime(library);
        Process again = start(home, tmp, dir.resolve("ws0.duckdb"), "SELECT 1");
        assertTrue(again.waitFor(180, TimeUnit.SECONDS));
        assertEquals(0, again.exitValue(), Files.readString(dir.resolve("ws0.duckdb.out")));
        assertEquals(List.of(library), files(home.resolve("native")));
        assertEquals(extracted, Files.getLastModifiedTime(library), "the copy was reused, not written again");
    }

    @Test
    void aKilledRunLeavesNoLibraryInTheTempFolder() throws Exception {
        Path home = dir.resolve("home");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        // a query that runs until it is killed (the driver has loaded the library by then)
        Process p = start(home, tmp, workspace("ws.duckdb"), "SELECT sum(range) FROM range(1000000000000)");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (files(home.resolve("native")).isEmpty() && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(500); // the library is being loaded and the query started
            assertTrue(p.isAlive(), Files.readString(dir.resolve("ws.duckdb.out")));
        } finally {
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(1, duckDbLibraries(home.resolve("native")).size());
        assertEquals(List.of(), duckDbLibraries(tmp), "the killed process left no library in the temp folder");
    }
}
