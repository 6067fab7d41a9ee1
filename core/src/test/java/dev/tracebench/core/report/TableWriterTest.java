package dev.tracebench.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableWriterTest {
    private final Table table = new Table(List.of("name", "n", "note"), List.of(
            Arrays.asList("a,b", 3L, "say \"hi\""),
            Arrays.asList("plain", 12L, null)));

    @Test
    void csvQuotesPerRfc4180() {
        assertEquals("name,n,note\r\n\"a,b\",3,\"say \"\"hi\"\"\"\r\nplain,12,\r\n", TableWriter.CSV.render(table));
    }

    @Test
    void jsonKeepsNumbersAndNulls() {
        String json = TableWriter.JSON.render(table).replaceAll("\\s+", "");
        assertEquals("[{\"name\":\"a,b\",\"n\":3,\"note\":\"say\\\"hi\\\"\"},{\"name\":\"plain\",\"n\":12,\"note\":null}]",
                json);
    }

    @Test
    void tableAlignsNumbersRight() {
        String[] lines = TableWriter.TABLE.render(table).split("\n");
        assertEquals("name    n  note", lines[0]);
        assertEquals("a,b     3  say \"hi\"", lines[2]);
        assertEquals("plain  12", lines[3].stripTrailing());
    }
}
