package dev.tracebench.core.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TraceSearchTest {

    @Test
    void splitsConditionsFromFreeText() {
        TraceSearch s = TraceSearch.parse("checkout gen_ai.request.model=gpt-4o  http.status_code>=500 card");
        assertEquals(List.of(new TraceSearch.Condition("gen_ai.request.model", TraceSearch.Op.EQ, "gpt-4o", null),
                new TraceSearch.Condition("http.status_code", TraceSearch.Op.GE, "500", 500.0)), s.conditions());
        assertEquals("checkout card", s.text());
    }

    @Test
    void everyOperator() {
        for (String[] c : new String[][] {{"=", "EQ"}, {"!=", "NE"}, {">", "GT"}, {">=", "GE"}, {"<", "LT"},
            {"<=", "LE"}}) {
            TraceSearch.Condition x = TraceSearch.parse("a.b" + c[0] + "2.5").conditions().get(0);
            assertEquals(TraceSearch.Op.valueOf(c[1]), x.op());
            assertEquals(2.5, x.number());
        }
    }

    @Test
    void quotedValuesKeepTheirSpaces() {
        TraceSearch s = TraceSearch.parse("app.user=\"Ada Lovelace\" \"two words\"");
        assertEquals("Ada Lovelace", s.conditions().get(0).value());
        assertNull(s.conditions().get(0).number());
        assertEquals("two words", s.text());
    }

    @Test
    void comparisonsNeedNumbers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TraceSearch.parse("latency>fast"));
        assertTrue(e.getMessage().contains("'fast' is not a number"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TraceSearch.parse("model="));
        assertThrows(IllegalArgumentException.class, () -> TraceSearch.parse("tokens>1e3x"));
        assertEquals(1000.0, TraceSearch.parse("tokens>1e3").conditions().get(0).number());
    }

    @Test
    void wordsWithoutAKeyAreText() {
        // a trace id prefix, a URL: free text
        TraceSearch s = TraceSearch.parse("0af76519 /api?x=1");
        assertTrue(s.conditions().isEmpty());
        assertEquals("0af76519 /api?x=1", s.text());
        assertTrue(TraceSearch.parse("  ").isEmpty());
    }
}
