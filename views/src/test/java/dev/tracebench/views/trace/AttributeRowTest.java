package dev.tracebench.views.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AttributeRowTest {

    @Test
    void secretsAreMaskedUntilRevealed() {
        AttributeRow key = AttributeRow.of("http.request.header.authorization", "string", "Bearer abc.def.ghi-123456");
        assertEquals("Bearer [masked]", key.value());
        assertTrue(key.secret());
        assertFalse(key.revealed());
        assertFalse(key.matches("abc.def"), "a search must not find the hidden value");
        AttributeRow shown = key.reveal();
        assertEquals("Bearer abc.def.ghi-123456", shown.value());
        assertTrue(shown.revealed());
        assertEquals(key, shown.hide());

        // a secret-shaped value under an ordinary key
        AttributeRow shaped = AttributeRow.of("app.note", "string", "retry with sk-proj-abcdefghijklmnop1234 later");
        assertEquals("retry with sk-[masked] later", shaped.value());
        assertTrue(shaped.secret());
    }

    @Test
    void ordinaryValuesAreShownAsTheyAre() {
        AttributeRow r = AttributeRow.of("gen_ai.usage.input_tokens", "int", "512");
        assertEquals("512", r.value());
        assertFalse(r.secret());
        assertFalse(r.revealed());
    }

    @Test
    void theCsvExportMasksEvenRevealedValues() throws Exception {
        AttributeRow revealed = AttributeRow.of("openai.api_key", "string", "sk-proj-Zq81hVf0c2Lm4NwX7rT9aB3k").reveal();
        String csv = dev.tracebench.core.report.TableWriter.CSV.render(SpanDetailsView.attributeTable(
                java.util.List.of(revealed, AttributeRow.of("http.method", "string", "POST"))));
        assertEquals("key,type,value\r\nopenai.api_key,string,[masked]\r\nhttp.method,string,POST\r\n", csv);
    }
}
