package dev.tracebench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.app.AppHome;
import dev.tracebench.app.WorkspaceOpener;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tracebench serve}: endpoints, a request received, the totals after stopping; a port in use. */
class ServeCliTest {
    @TempDir
    Path dir;

    @Test
    void servesUntilStoppedThenCommitsAndPrintsTotals() throws Exception {
        WorkspaceOpener opener = new WorkspaceOpener(new AppHome(dir.resolve("home")));
        Path ws = dir.resolve("live.duckdb");
        ServeCommand serve = new ServeCommand();
        serve.opener = opener;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(serve);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int[] code = {-1};
        Thread t = new Thread(() -> code[0] = cl.execute("--workspace", ws.toString(), "--http-port", "0",
                "--grpc-port", "0"));
        t.start();
        Pattern http = Pattern.compile("listening: OTLP/HTTP (http://\\S+/v1/traces)");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Matcher m = http.matcher("");
        while (!(m = http.matcher(out.toString())).find()) {
            assertTrue(t.isAlive() && System.nanoTime() < until, "serve did not start: " + out + err);
            Thread.sleep(20);
        }
        assertTrue(out.toString().contains("listening: OTLP/gRPC 127.0.0.1:"), out.toString());
        String body = CliTest.otlp("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", "POST /chat", 1000, 2500,
                0);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(m.group(1)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        serve.stopRequested.countDown();
        t.join(60_000);
        assertEquals(TracebenchCli.OK, code[0], err.toString());
        assertTrue(out.toString().contains("stopped: 1 requests, 1 spans received, 1 stored in 1 traces, 0 rejected"),
                out.toString());

        StringWriter listed = new StringWriter();
        assertEquals(0, TracebenchCli.run(opener, new PrintWriter(listed), new PrintWriter(new StringWriter()),
                "traces", "--workspace", ws.toString()));
        assertTrue(listed.toString().contains("POST /chat"), listed.toString());
    }

    @Test
    void aPortInUseIsNamedAndExitsWithTwo() throws Exception {
        WorkspaceOpener opener = new WorkspaceOpener(new AppHome(dir.resolve("home")));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            StringWriter err = new StringWriter();
            int code = TracebenchCli.run(opener, new PrintWriter(new StringWriter()), new PrintWriter(err), "serve",
                    "--workspace", dir.resolve("w.duckdb").toString(), "--http-port",
                    Integer.toString(taken.getLocalPort()), "--grpc-port", "-1");
            assertEquals(TracebenchCli.UNUSABLE, code);
            assertTrue(err.toString().contains("OTLP/HTTP port " + taken.getLocalPort()), err.toString());
        }
    }
}
