package dev.tracebench.views.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.live.LiveConfig;
import org.junit.jupiter.api.Test;

/** The Receive Live Traces form's fields as a configuration, and what it says about bad ones. */
class LiveFormTest {

    @Test
    void goodFieldsGiveTheConfigurationWithTheDefaultLimits() {
        LiveConfig c = LiveReceiveDialog.config(" 0.0.0.0 ", "4318", "4317");
        assertEquals("0.0.0.0", c.bindAddress());
        assertEquals(4318, c.httpPort());
        assertEquals(4317, c.grpcPort());
        assertEquals(LiveConfig.defaults().maxQueuedBytes(), c.maxQueuedBytes());
        assertEquals(LiveConfig.defaults().commitInterval(), c.commitInterval());
        LiveConfig httpOnly = LiveReceiveDialog.config("localhost", "0", "");
        assertEquals(0, httpOnly.httpPort(), "0: a free port");
        assertEquals(-1, httpOnly.grpcPort(), "empty: none");
        assertEquals("::1", LiveReceiveDialog.config("::1", "", "4317").bindAddress());
    }

    @Test
    void badFieldsAreRefusedNamingTheField() {
        assertTrue(message("", "4318", "4317").startsWith("Give the address"));
        assertEquals("'my host' is not a host name or IP address.", message("my host", "4318", "4317"));
        assertEquals("The OTLP/HTTP port must be a number from 0 to 65535 (or empty for none), not '70000'.",
                message("127.0.0.1", "70000", "4317"));
        assertEquals("The OTLP/gRPC port must be a number from 0 to 65535 (or empty for none), not 'grpc'.",
                message("127.0.0.1", "4318", "grpc"));
        assertEquals("Give at least one port (OTLP/HTTP or OTLP/gRPC).", message("127.0.0.1", " ", ""));
        assertEquals("The OTLP/HTTP and OTLP/gRPC ports must differ (both are 4318).",
                message("127.0.0.1", "4318", "4318"));
    }

    private static String message(String bind, String http, String grpc) {
        return assertThrows(IllegalArgumentException.class, () -> LiveReceiveDialog.config(bind, http, grpc))
                .getMessage();
    }
}
