package dev.tracebench.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void parsesUnitsAndBareMilliseconds() {
        assertEquals(250_000_000L, Durations.parseNanos("250ms"));
        assertEquals(1_500_000_000L, Durations.parseNanos("1.5s"));
        assertEquals(120_000_000_000L, Durations.parseNanos("2m"));
        assertEquals(500_000L, Durations.parseNanos("500us"));
        assertEquals(40_000_000L, Durations.parseNanos("40"));
        assertEquals(7L, Durations.parseNanos(" 7 ns "));
    }

    @Test
    void rejectsGarbageNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parseNanos("fast"));
        assertTrue(e.getMessage().contains("fast"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Durations.parseNanos("3 weeks"));
        assertTrue(e.getMessage().contains("unit"), e.getMessage());
    }

    @Test
    void formatsCompactly() {
        assertEquals("850 ns", Durations.format(850));
        assertEquals("12.3 ms", Durations.format(12_340_000));
        assertEquals("1.52 s", Durations.format(1_520_000_000L));
        assertEquals("2 m 05 s", Durations.format(125_000_000_000L));
    }
}
