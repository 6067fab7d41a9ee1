package dev.tracebench.core.metrics;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a scrape is computed.
 *
 * @param window  the period the window figures (rates, ratios, quantiles, burn rates aside) cover, ending at the anchor
 * @param anchor  where the window ends: now (the clock), at the newest request in the workspace, or at {@code at}
 * @param at      the fixed end when {@code anchor} is {@link Anchor#FIXED}, else null
 * @param sloFile the SLO file whose burn rates to expose (read again at each scrape), or null for none
 */
public record MetricsOptions(Duration window, Anchor anchor, Instant at, Path sloFile) {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|m|min|h|d)");

    public static final MetricsOptions DEFAULT = new MetricsOptions(Duration.ofMinutes(5), Anchor.NOW, null, null);

    public enum Anchor {
        NOW, LATEST, FIXED
    }

    public MetricsOptions {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(anchor, "anchor");
        if (window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("the window must be positive");
        }
        if ((anchor == Anchor.FIXED) != (at != null)) {
            throw new IllegalArgumentException("a fixed anchor needs its moment, and only it");
        }
    }

    public MetricsOptions withWindow(Duration w) {
        return new MetricsOptions(w, anchor, at, sloFile);
    }

    public MetricsOptions withSloFile(Path file) {
        return new MetricsOptions(window, anchor, at, file);
    }

    /** "now", "latest" or an ISO-8601 moment (UTC when it has no offset). */
    public MetricsOptions withAt(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("now")) {
            return new MetricsOptions(window, Anchor.NOW, null, sloFile);
        }
        if (t.equals("latest")) {
            return new MetricsOptions(window, Anchor.LATEST, null, sloFile);
        }
        try {
            return new MetricsOptions(window, Anchor.FIXED, Instant.parse(text.trim()), sloFile);
        } catch (DateTimeParseException e) {
            try {
                return new MetricsOptions(window, Anchor.FIXED, LocalDateTime.parse(text.trim())
                        .toInstant(ZoneOffset.UTC), sloFile);
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("not 'now', 'latest' or an ISO-8601 time: " + text
                        + " (e.g. 2026-11-20T14:00:00Z)");
            }
        }
    }

    /** A window as Prometheus writes durations: "30s", "5m", "1h", "1d" (also "5min"). */
    public static Duration parseWindow(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new IllegalArgumentException("not a window: " + text + " (a positive whole number of s, m, h or d, "
                    + "e.g. 5m)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofMinutes(n);
        };
    }

    /** A window as the {@code window} label writes it: "5m", "1h", "90s". */
    static String windowLabel(Duration d) {
        long s = d.toSeconds();
        return s % 86_400 == 0 ? s / 86_400 + "d" : s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m"
                : s + "s";
    }
}
