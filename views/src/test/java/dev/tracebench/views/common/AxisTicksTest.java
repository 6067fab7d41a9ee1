package dev.tracebench.views.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class AxisTicksTest {

    @Test
    void zoomedTicksNeverRepeatALabel() {
        // zoomed to a span 2.38 s into the trace, a few ms wide
        long step = AxisTicks.niceStep(6_000_000L, 6);
        assertEquals(1_000_000L, step);
        assertEquals("2.380 s", AxisTicks.label(2_380_000_000L, step));
        assertEquals("2.381 s", AxisTicks.label(2_381_000_000L, step));
        for (long t = 2_380_000_000L; t < 2_386_000_000L; t += step) {
            assertNotEquals(AxisTicks.label(t, step), AxisTicks.label(t + step, step));
        }
        // a microsecond step deep into a trace
        assertEquals("2.380002 s", AxisTicks.label(2_380_002_000L, 2_000L));
    }

    @Test
    void wholeTraceTicksStayShort() {
        assertEquals("0 ms", AxisTicks.label(0, 200_000_000L));
        assertEquals("200 ms", AxisTicks.label(200_000_000L, 200_000_000L));
        assertEquals("1.4 s", AxisTicks.label(1_400_000_000L, 200_000_000L));
        assertEquals("5 s", AxisTicks.label(5_000_000_000L, 5_000_000_000L));
        assertEquals("250 µs", AxisTicks.label(250_000L, 50_000L));
        assertEquals("0 ns", AxisTicks.label(0, 1));
    }
}
