package dev.tracebench.views.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.analysis.Breakdown;
import dev.tracebench.core.analysis.StageStat;
import java.awt.Color;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.ui.RectangleEdge;
import org.junit.jupiter.api.Test;

/** How the Latency charts label their axes and names, and colour the heatmap (no toolkit needed). */
class ChartsTest {

    @Test
    void tickLabelsGetMorePreciseAsTheRangeShrinks() {
        assertEquals("0", Charts.tick(0), "an axis origin is 0, not 0 ns");
        assertEquals("2.38 s", Charts.tick(2_380_000_000L));
        assertEquals("250 ms", Charts.tick(250_000_000L));
        assertEquals("2.385 s", Charts.tick(2_385_000_000L, 5_000_000));
        assertEquals("2.39 s", Charts.tick(2_390_000_000L, 10_000_000));
        // a duration axis over 2.375 s – 2.395 s: no round duration (1, 2, 5 × 10^k) inside, evenly spaced ticks
        double lo = LogDurationAxis.value(2_375_000_000L);
        double hi = LogDurationAxis.value(2_395_000_000L);
        List<NumberTick> ticks = LogDurationAxis.linearTicks(lo, hi, 6, RectangleEdge.BOTTOM);
        assertTrue(ticks.size() >= 3, ticks.toString());
        Set<String> labels = new HashSet<>();
        for (NumberTick t : ticks) {
            assertTrue(labels.add(t.getText()), "repeated label " + t.getText() + " in " + labels);
            assertTrue(t.getValue() >= lo - 1e-9 && t.getValue() <= hi + 1e-9);
            // the label says the duration where the tick stands
            long ns = LogDurationAxis.nanos(t.getValue());
            assertEquals(Charts.tick(Math.round(ns / 5e6) * 5e6, 5e6), t.getText());
        }
        assertEquals(List.of("2.375 s", "2.38 s", "2.385 s", "2.39 s", "2.395 s"), ticks.stream()
                .map(NumberTick::getText).toList());
        assertEquals(2e6, LogDurationAxis.niceStep(1.3e6));
        assertEquals(5e6, LogDurationAxis.niceStep(4.1e6));
        assertEquals(1e7, LogDurationAxis.niceStep(1e7));
    }

    @Test
    void shortTimeRangesUseTheTickUnitsOwnFormatsLongOnesTheirs() {
        DateAxis a = Charts.timeAxis();
        long t0 = 1_748_822_400_000_000_000L;
        Charts.fitTimeFormat(a, t0, t0 + 4_000_000_000L);
        assertNull(a.getDateFormatOverride(), "seconds or milliseconds, whichever tick unit the axis picks");
        Charts.fitTimeFormat(a, t0, t0 + 6 * 3_600_000_000_000L);
        assertEquals("HH:mm", ((java.text.SimpleDateFormat) a.getDateFormatOverride()).toPattern());
        Charts.fitTimeFormat(a, t0, t0 + 3 * 86_400_000_000_000L);
        assertEquals("MM-dd HH:mm", ((java.text.SimpleDateFormat) a.getDateFormatOverride()).toPattern());
    }

    @Test
    void aCellOfOneRequestIsClearlyVisibleOnWhite() {
        HeatmapChart.CountScale scale = new HeatmapChart.CountScale(500);
        Color one = (Color) scale.getPaint(1);
        Color busiest = (Color) scale.getPaint(500);
        // distance from white: the palest ramp colour (#ffffcc) is 51; one request must stand out much more
        assertTrue(distanceFromWhite(one) > 90, one.toString());
        assertTrue(distanceFromWhite(busiest) > distanceFromWhite(one));
        assertEquals(0, ((Color) scale.getPaint(0)).getAlpha(), "an empty cell is not drawn");
        // the legend's ticks are whole counts, each once
        List<NumberTick> ticks = HeatmapChart.CountAxis.ticks(1, 500, 10, RectangleEdge.RIGHT);
        assertEquals(List.of("1", "2", "5", "10", "20", "50", "100", "200", "500"), ticks.stream()
                .map(NumberTick::getText).toList());
        assertEquals(List.of("1", "3", "10", "30", "100", "300"), HeatmapChart.CountAxis.ticks(1, 500, 6,
                RectangleEdge.RIGHT).stream().map(NumberTick::getText).toList(), "fewer where the strip is short");
        assertEquals(List.of("1", "2", "5", "10"), HeatmapChart.CountAxis.ticks(1, 11, 10, RectangleEdge.RIGHT)
                .stream().map(NumberTick::getText).toList());
    }

    private static double distanceFromWhite(Color c) {
        return Math.sqrt(Math.pow(255 - c.getRed(), 2) + Math.pow(255 - c.getGreen(), 2)
                + Math.pow(255 - c.getBlue(), 2));
    }

    @Test
    void namesThatLookAlikeAreToldApart() {
        assertEquals("gpt-4o", Charts.visible("gpt-4o"));
        assertNotEquals(Charts.visible("gpt-4o"), Charts.visible("gpt-4o "));
        assertEquals("\"gpt-4o \"", Charts.visible("gpt-4o "));
        assertEquals("\"a\\tb\"", Charts.visible("a\tb"));
        assertEquals("(empty)", Charts.visible(""));

        // an operation name under two stages says its stage; one under a single stage does not
        StageStat chatInference = stat("inference", "chat gpt-4o");
        StageStat chatOther = stat("other", "chat gpt-4o");
        StageStat embed = stat("retrieval", "embed");
        Breakdown.Group g = new Breakdown.Group(null, 3, 0, 0, 0, 0, List.of(), List.of(chatInference, chatOther,
                embed));
        Set<String> shared = BreakdownPane.sharedNames(g);
        assertEquals(Set.of("chat gpt-4o"), shared);
        String a = new BreakdownPane.Row(chatInference, true, shared.contains("chat gpt-4o")).label();
        String b = new BreakdownPane.Row(chatOther, true, shared.contains("chat gpt-4o")).label();
        assertEquals("chat gpt-4o (Inference)", a);
        assertEquals("chat gpt-4o (Other)", b);
        assertEquals("embed", new BreakdownPane.Row(embed, true, shared.contains("embed")).label());
    }

    private static StageStat stat(String stage, String op) {
        return new StageStat(stage, op, 1, 1, 1, 1, 1, 1, 1, 0.1);
    }
}
