package dev.tracebench.core.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Notifications#post}: one JSON document that is not an alert (the retraining trigger) to a webhook. */
class DocumentPostTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void postsTheDocumentAsItIsToTheUrlOfTheVariable() throws Exception {
        ObjectNode doc = JSON.createObjectNode().put("type", "tracebench.retrain").put("triggered", true);
        try (Receiver r = new Receiver(Receiver.Answer.of(202, ""), Clock.systemUTC())) {
            Delivery d = Notifications.post("TB_HOOK", "tracebench-retrain", doc,
                    Map.of("TB_HOOK", r.url("/hooks/T0k3nSecret99"))::get);
            assertTrue(d.delivered());
            assertEquals(202, d.status());
            assertEquals(1, r.requests.size());
            assertEquals("POST", r.requests.get(0).method());
            assertEquals(doc, JSON.readTree(r.requests.get(0).body()));
            assertEquals("application/json", r.requests.get(0).header("Content-Type"));
        }
    }

    @Test
    void aRefusalIsReportedWithoutTheUrlAndNotRetried() throws Exception {
        try (Receiver r = new Receiver(Receiver.Answer.of(404, "no hook at /hooks/T0k3nSecret99"),
                Clock.systemUTC())) {
            Delivery d = Notifications.post("TB_HOOK", "k", JSON.createObjectNode(),
                    Map.of("TB_HOOK", r.url("/hooks/T0k3nSecret99"))::get);
            assertFalse(d.delivered());
            assertEquals(1, d.attempts());
            assertTrue(d.error().startsWith("HTTP 404"), d.error());
            assertFalse(d.error().contains("T0k3nSecret99"), d.error());
        }
    }

    @Test
    void anUnsetVariableIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Notifications.post("TB_NONE",
                "k", JSON.createObjectNode(), Map.<String, String>of()::get));
        assertTrue(e.getMessage().contains("TB_NONE is not set"), e.getMessage());
    }
}
