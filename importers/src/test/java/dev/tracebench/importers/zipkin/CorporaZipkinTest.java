package dev.tracebench.importers.zipkin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.Problem;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import dev.tracebench.core.model.Ids;
import dev.tracebench.core.model.SpanEventData;
import dev.tracebench.core.model.SpanKind;
import dev.tracebench.core.model.StatusCode;
import dev.tracebench.core.query.SpanDetail;
import dev.tracebench.core.query.TraceDetail;
import dev.tracebench.core.query.TraceFilter;
import dev.tracebench.core.query.TraceSort;
import dev.tracebench.core.query.TraceSummary;
import dev.tracebench.importers.ImporterTestBase;
import dev.tracebench.importers.TraceFormat;
import dev.tracebench.importers.TraceFormats;
import dev.tracebench.importers.common.IdResolver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every Zipkin v2 file of the shared corpora: counts, ids, the tree with shared spans, times, kinds and tags. */
class CorporaZipkinTest extends ImporterTestBase {
    static final Set<String> ZIPKIN_FILES = Set.of("zipkin-testdata/envoy.json", "zipkin-testdata/messaging-kafka.json",
            "zipkin-testdata/simple-db-p6.json", "zipkin-testdata/skew.json",
            "zipkin-testdata/smartthings-oauth-authorization.json", "zipkin-testdata/yelp.json",
            "zipkin-testdata/zipkin2-chinese.json", "zipkin-testdata/zipkin2-client.json");

    static AttributeValue attr(SpanDetail s, String key) {
        return s.attributes().stream().filter(a -> a.key().equals(key)).map(Attribute::value).findFirst()
                .orElse(null);
    }

    private TraceSummary onlyTrace() {
        List<TraceSummary> all = ws.traces().traces(TraceFilter.ALL, TraceSort.NEWEST_FIRST, 0, 10);
        assertEquals(1, all.size());
        return all.get(0);
    }

    private ImportReport importClean(String file, int spans) {
        ImportReport r = importFile(corpus(file));
        assertEquals(ImportReport.Status.IMPORTED, r.status(), r.message());
        assertEquals("zipkin-json", r.format());
        assertEquals(spans, r.spansRead());
        assertEquals(spans, r.spansAdded(), r.problems().toString());
        assertEquals(0, r.rejected());
        return r;
    }

    @Test
    void yelpSharedServerSpansHangUnderTheirClients() {
        ImportReport r = importClean("zipkin-testdata/yelp.json", 16);
        assertEquals(0, r.warnings(), r.problems().toString());
        TraceDetail t = trace("0000000000000000a03ee8fff1dcd9b9");

        // the root is a shared server span whose client is not in the file: it keeps its id
        SpanDetail routing = span(t, "2e8cfb154b59a41f");
        assertNull(routing.parentSpanId());
        assertEquals("post /location/update/v4", routing.name());
        assertEquals(SpanKind.SERVER, routing.kind());
        assertEquals("routing", routing.serviceName());
        assertEquals(1_571_896_375_237_354_000L, routing.startNs());
        assertEquals(131_848_000L, routing.durationNs());
        assertEquals(new AttributeValue.Bool(true), attr(routing, "zipkin.shared"));
        assertNull(attr(routing, IdResolver.ORIGINAL_SPAN_ID));

        // client f5f268651b2a2b34 in yelp-main, and the mobile_api server that shares its id
        SpanDetail client = span(t, "f5f268651b2a2b34");
        assertEquals(SpanKind.CLIENT, client.kind());
        assertEquals("yelp-main", client.serviceName());
        assertEquals(routing.spanId(), client.parentSpanId());
        assertEquals(new AttributeValue.Str("mobile_api"), attr(client, "peer.service"));
        assertEquals(new AttributeValue.Int(31049), attr(client, "network.peer.port"));
        // sha256("span:f5f268651b2a2b34:shared:mobile_api:1571896375297103000"), worked out with python3
        SpanDetail server = span(t, "9269833d26707825");
        assertEquals(IdResolver.mappedSpanId("f5f268651b2a2b34:shared:mobile_api:1571896375297103000"),
                server.spanId());
        assertEquals(client.spanId(), server.parentSpanId());
        assertEquals(SpanKind.SERVER, server.kind());
        assertEquals("mobile_api", server.serviceName());
        assertEquals(new AttributeValue.Str("f5f268651b2a2b34"), attr(server, IdResolver.ORIGINAL_SPAN_ID));
        assertEquals(new AttributeValue.Bool(true), attr(server, "zipkin.shared"));
        assertEquals(new AttributeValue.Int(31049), attr(server, "network.local.port"));
        assertEquals(new AttributeValue.Str("6535284b1699df0a766384a648dc95c462a7313d"), attr(server, "version_SHA"));
        // mobile_api's own calls (parentId f5f268651b2a2b34) run under the mobile_api server span
        for (String child : List.of("15fc03927f0f68df", "7a778764a0d0b594", "6a65182ea4f684c3",
                "cb4d73f31cd90cae")) {
            assertEquals(server.spanId(), span(t, child).parentSpanId(), child);
            assertEquals("mobile_api", span(t, child).serviceName(), child);
        }
        SpanDetail spectre = span(t, "b4e2e81da9ba8835");
        assertEquals(Ids.parseSpanId("7a778764a0d0b594"), spectre.parentSpanId());
        assertEquals("spectre", spectre.serviceName());
        assertEquals(1_490_000L, spectre.durationNs());

        // api_proxy shares 668ed78ad94b35a1 with a client in service "unknown"; yelp-main's spans under that id are
        // not in the server's service, so they stay under the client (as Zipkin's tree builder puts them)
        SpanDetail proxy = span(t, "b439bea9218a246c");
        assertEquals(Ids.parseSpanId("668ed78ad94b35a1"), proxy.parentSpanId());
        assertEquals("yelp_main/api_proxy", proxy.serviceName());
        assertEquals(List.of(new SpanEventData(1_571_896_375_355_436_000L, "py_zipkin.logging_end", List.of(), 0)),
                proxy.events());
        assertEquals(new AttributeValue.Str("False"), attr(proxy, "logged_in"), "tags stay strings");
        assertEquals(Ids.parseSpanId("668ed78ad94b35a1"), span(t, "241cea1aa4cb2884").parentSpanId());
        assertEquals(SpanKind.INTERNAL, span(t, "241cea1aa4cb2884").kind(), "no kind: a local span");
        assertEquals(Ids.parseSpanId("241cea1aa4cb2884"), span(t, "b593cd7513dc736e").parentSpanId());
        assertEquals(new AttributeValue.Str("memcache"), attr(span(t, "e7d1a2d5a788ac81"), "peer.service"));

        TraceSummary sum = onlyTrace();
        assertTrue(sum.hasRoot());
        assertEquals(0, sum.orphanCount());
        assertEquals(16, sum.spanCount());
        assertEquals("post /location/update/v4", sum.rootName());
        assertEquals(6, sum.serviceCount());
        assertEquals(List.of("mobile_api", "routing", "spectre", "unknown", "yelp-main", "yelp_main/api_proxy"),
                ws.traces().services());
    }

    @Test
    void skewSharedSpanAndItsChildInTheServersService() {
        importClean("zipkin-testdata/skew.json", 4);
        TraceDetail t = trace("00000000000000001e223ff1f80f1c69");
        SpanDetail root = span(t, "bf396325699c84bf");
        assertNull(root.parentSpanId());
        assertEquals("servicea", root.serviceName());
        assertEquals(1_470_150_004_071_068_000L, root.startNs());
        assertEquals(99_411_000L, root.durationNs());
        assertEquals(new AttributeValue.Str("127.0.0.0"), attr(root, "network.local.address"));
        SpanDetail client = span(t, "74280ae0c10d8062");
        assertEquals(SpanKind.CLIENT, client.kind());
        assertEquals(root.spanId(), client.parentSpanId());
        SpanDetail server = span(t, "ca030b82afd88814");
        assertEquals(client.spanId(), server.parentSpanId());
        assertEquals(SpanKind.SERVER, server.kind());
        assertEquals("serviceb", server.serviceName());
        assertEquals(1_470_150_004_008_761_000L, server.startNs(), "skewed before its client, kept as is");
        SpanDetail async = span(t, "43210ae0c10d1234");
        assertEquals(server.spanId(), async.parentSpanId());
        assertEquals(SpanKind.INTERNAL, async.kind());
        assertEquals(65_000_000L, async.durationNs());
        TraceSummary sum = onlyTrace();
        assertTrue(sum.hasRoot());
        assertEquals(0, sum.orphanCount());
    }

    @Test
    void smartThingsRealTraceWithManySharedSpansAndMissingFields() {
        ImportReport r = importClean("zipkin-testdata/smartthings-oauth-authorization.json", 175);
        assertEquals(19, r.warnings(), "19 spans have no duration");
        assertTrue(r.problems().stream().allMatch(p -> p.reason().equals(
                "the span has no duration; it is kept with zero duration")), r.problems().toString());
        assertEquals("line 546, [23]", r.problems().get(0).location());
        TraceDetail t = trace("00000000000000008ce82b2e9ed820ba");
        assertEquals(175, t.spans().size());

        SpanDetail root = span(t, "8ce82b2e9ed820ba");
        assertNull(root.parentSpanId());
        assertEquals("get /oauth/authorize", root.name());
        assertEquals("datamgmt", root.serviceName());
        assertEquals(1_543_334_626_873_100_000L, root.startNs());
        assertEquals(1_429_000L, root.durationNs());
        assertEquals(new AttributeValue.Str("302"), attr(root, "http.status_code"));
        assertEquals(new AttributeValue.Str("23.0.0.0"), attr(root, "network.peer.address"));
        assertEquals(new AttributeValue.Int(23210), attr(root, "network.peer.port"));
        assertEquals(new AttributeValue.Str("10.0.0.234"), attr(root, "network.local.address"));
        assertEquals(new AttributeValue.Int(8080), attr(root, "network.local.port"));

        // every shared span has its client in the file: 45 derived ids, each under its client
        assertEquals(45, t.spans().stream().filter(s -> s.attributes().contains(Attribute.of("zipkin.shared", true)))
                .count());
        assertEquals(45, t.spans().stream().filter(s -> attr(s, IdResolver.ORIGINAL_SPAN_ID) != null).count());
        assertEquals(6, t.spans().stream().filter(s -> s.name().isEmpty()).count(), "six spans have no name");

        // one bouncer client (9d2d35b746db84f3), five pusher servers receiving it; each pusher child runs under the
        // receive on its host that started last before it
        long sent = Ids.parseSpanId("9d2d35b746db84f3");
        assertEquals(5, t.spans().stream().filter(s -> Long.valueOf(sent).equals(s.parentSpanId())).count());
        assertEquals(Ids.parseSpanId("e750552ca5544b51"), span(t, "d645461738ed0e17").parentSpanId());
        assertEquals(IdResolver.mappedSpanId("9d2d35b746db84f3:shared:pusher:1543334725564455000"),
                span(t, "d645461738ed0e17").parentSpanId());
        assertEquals(Ids.parseSpanId("ac2ba18503b51875"), span(t, "de67d452708a545a").parentSpanId());
        assertEquals(Ids.parseSpanId("97be5a0be6e275de"), span(t, "975e74022b72e1cd").parentSpanId());
        assertEquals(SpanKind.INTERNAL, span(t, "975e74022b72e1cd").kind());
        assertEquals(0, span(t, "e750552ca5544b51").durationNs(), "the receives have no duration");

        SpanDetail posted = span(t, "5f35e80a5a50fdca");
        assertEquals(List.of(
                new SpanEventData(1_543_334_725_567_000_000L, "Body Part Received", List.of(), 0),
                new SpanEventData(1_543_334_725_567_000_000L, "Headers Received", List.of(), 0),
                new SpanEventData(1_543_334_725_567_000_000L, "Status Received", List.of(), 0)), posted.events());
        assertEquals(List.of(Attribute.of("http.url", "http://archiver.st.internal/events"),
                Attribute.of("network.local.address", "10.0.0.187"), Attribute.of("network.local.port", 8197)),
                posted.attributes());

        // the failed login: the error tag is the status and its message, on both sides
        SpanDetail login = span(t, "c47bff7f7964b321");
        assertEquals(SpanKind.CLIENT, login.kind());
        assertEquals(StatusCode.ERROR, login.status());
        assertEquals("401", login.statusMessage());
        assertNull(attr(login, "error"));
        SpanDetail auth = span(t, "bcc04ac2e9dd7f21");
        assertEquals(login.spanId(), auth.parentSpanId());
        assertEquals(StatusCode.ERROR, auth.status());
        assertEquals("auth", auth.serviceName());

        TraceSummary sum = onlyTrace();
        assertTrue(sum.hasRoot());
        assertEquals(0, sum.orphanCount());
        assertEquals(2, sum.errorCount());
        assertEquals(8, sum.serviceCount());
        assertEquals(8, count("SELECT count(*) FROM resources"));
        assertEquals(73, count("SELECT count(*) FROM spans WHERE service_name = 'auth'"));
    }

    @Test
    void kafkaProducersConsumersAndErrorsWithAndWithoutMessage() {
        importClean("zipkin-testdata/messaging-kafka.json", 28);
        TraceDetail t = trace("00000000000000000562809467078eab");
        SpanDetail poll = span(t, "0562809467078eab");
        assertNull(poll.parentSpanId());
        assertEquals(SpanKind.CONSUMER, poll.kind());
        assertEquals(26_000L, poll.durationNs());
        assertEquals(List.of(Attribute.of("kafka.topic", "messages"), Attribute.of("peer.service", "kafka")),
                poll.attributes());
        SpanDetail send = span(t, "2e22a0564764943a");
        assertEquals(SpanKind.PRODUCER, send.kind());
        assertEquals(Ids.parseSpanId("09fdf808ef0d60c0"), send.parentSpanId());
        assertEquals(new AttributeValue.Str("e1b2f8b5-dd1e-11e8-93d1-0050568b53f5"), attr(send, "kafka.key"));
        SpanDetail consumed = span(t, "b4a2a87ee7f003bc");
        assertEquals(send.spanId(), consumed.parentSpanId());
        assertEquals("serviceb", consumed.serviceName());
        assertEquals(1_000L, consumed.durationNs());
        SpanDetail onMessage = span(t, "09fdf808ef0d60c0");
        assertEquals(SpanKind.INTERNAL, onMessage.kind());
        assertEquals(List.of(), onMessage.attributes(), "an empty remoteEndpoint adds nothing");
        assertEquals(12, t.spans().stream().filter(s -> s.kind() == SpanKind.INTERNAL).count());

        SpanDetail failed = span(t, "2f77d5b0b8e0de35");
        assertEquals(StatusCode.ERROR, failed.status());
        assertEquals("some error", failed.statusMessage());
        SpanDetail empty = span(t, "568b33e6af8a225a");
        assertEquals(StatusCode.ERROR, empty.status());
        assertNull(empty.statusMessage(), "an empty error tag is an error without message");
        TraceSummary sum = onlyTrace();
        assertEquals(3, sum.errorCount());
        assertEquals(0, sum.orphanCount());
        assertEquals(2, sum.serviceCount());
    }

    @Test
    void databaseClientsAndAnIpv6RemoteEndpoint() {
        importClean("zipkin-testdata/simple-db-p6.json", 5);
        TraceDetail t = trace("000000000000000019f84f102048e047");
        SpanDetail root = span(t, "19f84f102048e047");
        assertNull(root.parentSpanId());
        assertEquals("http:/book", root.name());
        assertEquals(SpanKind.SERVER, root.kind());
        assertEquals(1_541_485_537_291_342_000L, root.startNs());
        assertEquals(252_016_000L, root.durationNs());
        assertEquals(new AttributeValue.Str("::1"), attr(root, "network.peer.address"));
        assertEquals(new AttributeValue.Int(53367), attr(root, "network.peer.port"));
        assertNull(attr(root, "peer.service"));
        assertEquals(new AttributeValue.Str("postBook"), attr(root, "mvc.controller.method"));
        SpanDetail insert = span(t, "5d532ef6fed52445");
        assertEquals(root.spanId(), insert.parentSpanId());
        assertEquals(SpanKind.CLIENT, insert.kind());
        assertEquals(new AttributeValue.Str("app_db"), attr(insert, "peer.service"));
        assertEquals(new AttributeValue.Str("insert into revinfo (rev, revtstmp) values (null, 1541485537483)"),
                attr(insert, "sql.query"));
        assertEquals(2_033_000L, insert.durationNs());
        assertEquals(List.of("bootifulmeters"), ws.traces().services());
        assertEquals(1, count("SELECT count(*) FROM resources"));
    }

    @Test
    void envoySharedRootWithoutServiceName() {
        importClean("zipkin-testdata/envoy.json", 1);
        TraceDetail t = trace("0000000000000000978883983d506fa5");
        SpanDetail s = span(t, "978883983d506fa5");
        assertNull(s.parentSpanId());
        assertEquals("localhost:10000", s.name());
        assertEquals(SpanKind.SERVER, s.kind());
        assertEquals(1_570_523_661_059_232_000L, s.startNs());
        assertEquals(127_115_000L, s.durationNs());
        assertEquals("unknown_service", s.serviceName(), "the localEndpoint has only an address");
        assertEquals(new AttributeValue.Str("169.254.65.45"), attr(s, "network.local.address"));
        assertEquals(new AttributeValue.Str("200"), attr(s, "http.status_code"));
        assertEquals(new AttributeValue.Str("d709b78f-583e-988e-b581-25b72c63852d"), attr(s, "guid:x-request-id"));
        assertEquals(new AttributeValue.Bool(true), attr(s, "zipkin.shared"));
        assertEquals(14, s.attributes().size());
        assertTrue(onlyTrace().hasRoot());
    }

    @Test
    void singleSpanObjectsWith128BitIdsAndUnicode() {
        importClean("zipkin-testdata/zipkin2-chinese.json", 1);
        TraceDetail t = trace("4d1e00c0db9010db86154a4ba6e91385");
        SpanDetail s = span(t, "4d1e00c0db9010db");
        assertEquals(Ids.parseSpanId("86154a4ba6e91385"), s.parentSpanId());
        assertEquals("个人信息查询", s.name());
        assertEquals(SpanKind.CLIENT, s.kind());
        assertEquals(1_472_470_996_199_000_000L, s.startNs());
        assertEquals(207_000_000L, s.durationNs());
        assertEquals("订单维护服务", s.serviceName());
        assertEquals(StatusCode.ERROR, s.status());
        assertEquals("此用户没有操作权限", s.statusMessage());
        assertEquals(List.of(Attribute.of("http.path", "/person/profile/query"), Attribute.of("http.status_code", "403"),
                Attribute.of("network.local.address", "2001:db8::c001"), Attribute.of("peer.service", "个人信息服务"),
                Attribute.of("network.peer.address", "192.168.99.101"), Attribute.of("network.peer.port", 9000)),
                s.attributes());
        TraceSummary sum = onlyTrace();
        assertFalse(sum.hasRoot(), "its parent is not in the file");
        assertEquals(1, sum.orphanCount());
    }

    @Test
    void singleClientSpanWithAnnotations() {
        importClean("zipkin-testdata/zipkin2-client.json", 1);
        SpanDetail s = span(trace("4d1e00c0db9010db86154a4ba6e91385"), "4d1e00c0db9010db");
        assertEquals("get", s.name());
        assertEquals("frontend", s.serviceName());
        assertEquals(StatusCode.UNSET, s.status());
        assertEquals(List.of(new SpanEventData(1_472_470_996_238_000_000L, "foo", List.of(), 0),
                new SpanEventData(1_472_470_996_403_000_000L, "bar", List.of(), 0)), s.events());
        assertEquals(new AttributeValue.Str("6.45.0"), attr(s, "clnt/finagle.version"));
        assertEquals(new AttributeValue.Str("backend"), attr(s, "peer.service"));
    }

    @Test
    void reimportingAddsNothingEvenWithDerivedIds() {
        assertEquals(16, importFile(corpus("zipkin-testdata/yelp.json")).spansAdded());
        ImportReport again = importFile(corpus("zipkin-testdata/yelp.json"));
        assertEquals(ImportReport.Status.IMPORTED, again.status());
        assertEquals(0, again.spansAdded());
        assertEquals(16, again.alreadyPresent());
        // the same span (same trace and id) in two files is one span
        assertEquals(1, importFile(corpus("zipkin-testdata/zipkin2-chinese.json")).spansAdded());
        ImportReport client = importFile(corpus("zipkin-testdata/zipkin2-client.json"));
        assertEquals(0, client.spansAdded());
        assertEquals(1, client.alreadyPresent());
        assertEquals(17, ws.traces().stats().spans());
    }

    @Test
    void everyZipkinFileIsRecognisedWithoutFormat() {
        for (String f : ZIPKIN_FILES) {
            ImportReport r = importFile(corpus(f));
            assertEquals(ImportReport.Status.IMPORTED, r.status(), f + ": " + r.message());
            assertEquals("zipkin-json", r.format(), f);
            assertEquals(ZipkinJsonFormat.FORMAT, TraceFormats.detect(head(corpus(f))).id(), f);
        }
        List<Problem> none = List.of();
        assertEquals(none, importFile(corpus("zipkin-testdata/envoy.json")).problems());
    }

    @Test
    void noOtherCorpusFileIsClaimed() throws IOException {
        Path root = corpus("PROVENANCE.md").getParent();
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".md")).sorted()
                    .toList();
        }
        assertEquals(55, files.size());
        int claimed = 0;
        for (Path f : files) {
            String rel = root.relativize(f).toString().replace('\\', '/');
            TraceFormat.Head head = head(f);
            int score = new ZipkinJsonFormat().sniff(head);
            TraceFormat detected = TraceFormats.detect(head);
            if (ZIPKIN_FILES.contains(rel)) {
                claimed++;
                assertEquals(90, score, rel);
            } else {
                assertEquals(0, score, rel);
                assertNotEquals(ZipkinJsonFormat.FORMAT, detected == null ? null : detected.id(), rel);
            }
        }
        assertEquals(8, claimed);
    }

    /** The first 64 KB, as FileImportService looks at them. */
    static TraceFormat.Head head(Path f) {
        try (InputStream in = Files.newInputStream(f)) {
            byte[] b = in.readNBytes(1 << 16);
            return new TraceFormat.Head(b, new String(b, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
