package dev.tracebench.views.common;

import javafx.scene.paint.Color;

/**
 * A colour per service name, the same in every trace of a session, from a palette chosen to stay distinguishable
 * next to the error red.
 */
public final class ServiceColors {
    private static final Color[] PALETTE = {
        Color.web("#4e79a7"), Color.web("#59a14f"), Color.web("#9c755f"), Color.web("#f28e2b"),
        Color.web("#76b7b2"), Color.web("#b07aa1"), Color.web("#edc948"), Color.web("#bab0ac"),
        Color.web("#2f6690"), Color.web("#8cd17d")
    };

    private ServiceColors() {
    }

    private static final java.util.Map<String, Color> ASSIGNED = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The service's colour: services get the palette's colours in the order they are first shown, so the first ten
     * services seen never share a colour; later ones cycle through the palette.
     */
    public static Color of(String service) {
        String key = service == null ? "" : service;
        return ASSIGNED.computeIfAbsent(key, k -> PALETTE[ASSIGNED.size() % PALETTE.length]);
    }

    /** CSS hex form, for inline styles. */
    public static String css(String service) {
        Color c = of(service);
        return String.format("#%02x%02x%02x", (int) Math.round(c.getRed() * 255),
                (int) Math.round(c.getGreen() * 255), (int) Math.round(c.getBlue() * 255));
    }
}
