package dev.tracebench.views.traces;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AttributeKeyCompletionTest {

    @Test
    void completesTheWordBeingTyped() {
        assertEquals("gen", AttributeKeyCompletion.lastWord("checkout gen"));
        assertEquals("checkout gen_ai.request.model=", AttributeKeyCompletion.complete("checkout gen",
                "gen_ai.request.model"));
        assertEquals("tenant=", AttributeKeyCompletion.complete("ten", "tenant"));
    }

    @Test
    void keysStartingWithTheWordComeFirst() {
        AttributeKeyCompletion.KeySource keys = new AttributeKeyCompletion.KeySource();
        keys.keys = List.of("app.model", "gen_ai.request.model", "model.version", "tenant");
        assertEquals(List.of("model.version", "app.model", "gen_ai.request.model"), keys.matching("Model"));
    }
}
