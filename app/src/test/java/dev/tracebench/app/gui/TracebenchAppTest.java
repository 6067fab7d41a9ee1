package dev.tracebench.app.gui;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TracebenchAppTest {

    @Test
    void aMissingToolkitLibraryGetsInstallAdvice() {
        // what JavaFX throws when Glass cannot load GTK
        String advice = TracebenchApp.toolkitAdvice(new RuntimeException("No toolkit found",
                new UnsatisfiedLinkError("libgtk-3.so.0: cannot open shared object file")));
        assertTrue(advice.contains("sudo apt-get install libgtk-3-0"), advice);
        assertTrue(advice.contains("./tracebench --help"), advice);
    }

    @Test
    void otherFailuresAreLeftAlone() {
        assertNull(TracebenchApp.toolkitAdvice(new IllegalStateException("workspace is locked")));
    }
}
