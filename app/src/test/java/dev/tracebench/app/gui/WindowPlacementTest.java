package dev.tracebench.app.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import javafx.geometry.Rectangle2D;
import org.junit.jupiter.api.Test;

class WindowPlacementTest {
    private static final Rectangle2D SCREEN = new Rectangle2D(0, 0, 1280, 800);

    @Test
    void defaultIsCentredAndFitsTheScreen() {
        // the default 1400x880 is larger than 1280x800: the screen's size, at its origin
        assertEquals(new WindowPlacement.Place(0, 0, 1280, 800, false), WindowPlacement.clamp(null, SCREEN));
        Rectangle2D big = new Rectangle2D(0, 0, 2000, 1200);
        assertEquals(new WindowPlacement.Place(300, 160, 1400, 880, false), WindowPlacement.clamp(null, big));
    }

    @Test
    void rememberedPlaceIsKeptInsideTheScreenAndAboveTheMinimum() {
        // a tiny window grows to the minimum; one left on an unplugged monitor comes back
        assertEquals(new WindowPlacement.Place(10, 20, 960, 600, false),
                WindowPlacement.clamp(new WindowPlacement.Place(10, 20, 200, 215, false), SCREEN));
        assertEquals(new WindowPlacement.Place(320, 200, 960, 600, true),
                WindowPlacement.clamp(new WindowPlacement.Place(2500, 900, 960, 600, true), SCREEN));
    }
}
