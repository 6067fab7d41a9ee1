package dev.tracebench.core.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanDimsTest {

    @Test
    void theUsualKeysGiveEachDimension() {
        SpanDims d = SpanDims.of(List.of(Attribute.of("http.route", "/chat/{id}"), Attribute.of("app.tenant.id", "acme"),
                Attribute.of("gen_ai.prompt.version", "v7"), Attribute.of("app.attempt", 2L),
                Attribute.of("db.vector.query.result_count", 8L)), false);
        assertEquals(new SpanDims("/chat/{id}", "acme", "v7", 2, 8), d);
    }

    @Test
    void aServerSpansUrlPathIsItsRouteWithoutTheQuery() {
        List<Attribute> attrs = List.of(Attribute.of("url.path", "/v1/answer?q=1"));
        assertEquals("/v1/answer", SpanDims.of(attrs, true).route());
        assertNull(SpanDims.of(attrs, false).route(), "a client span's path is not a route of this service");
    }

    @Test
    void retriesCountFromTheResendCount() {
        assertEquals(3, SpanDims.of(List.of(Attribute.of("http.request.resend_count", 2L)), false).attempt());
    }

    @Test
    void documentsAreCountedFromAJsonArrayInAStringFromAnArrayOrFromIndexedKeys() {
        String json = "[{\"id\":\"a\",\"content\":\"x [not] {an} element\"},{\"id\":\"b\",\"metadata\":{\"k\":[1,2]}},"
                + " \"c\"]";
        assertEquals(3, SpanDims.of(List.of(Attribute.of("gen_ai.retrieval.documents", json)), false).docCount());
        assertEquals(0, SpanDims.of(List.of(Attribute.of("gen_ai.retrieval.documents", " [] ")), false).docCount());
        assertEquals(2, SpanDims.of(List.of(new Attribute("gen_ai.retrieval.documents", new AttributeValue.Array(
                List.of(new AttributeValue.Str("a"), new AttributeValue.Str("b"))))), false).docCount());
        // not a list, or not JSON at all: no count
        for (String notAList : List.of("{\"id\":\"a\"}", "[1, 2", "[1] trailing", "plain text")) {
            assertNull(SpanDims.of(List.of(Attribute.of("gen_ai.retrieval.documents", notAList)), false).docCount(),
                    notAList);
        }
        // OpenInference's flattened documents: index 10 is the eleventh
        assertEquals(11, SpanDims.of(List.of(Attribute.of("retrieval.documents.9.document.id", "d9"),
                Attribute.of("retrieval.documents.10.document.id", "d10"),
                Attribute.of("retrieval.documents.2.document.id", "d2")), false).docCount());
    }

    @Test
    void aSpanWithoutAnyOfThemSharesTheEmptyValue() {
        assertSame(SpanDims.NONE, SpanDims.of(List.of(Attribute.of("http.method", "GET")), true));
    }
}
