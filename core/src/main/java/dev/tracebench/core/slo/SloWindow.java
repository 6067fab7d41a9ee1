package dev.tracebench.core.slo;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * The period an SLO's objective is measured over: a rolling number of days (or hours) ending now, or the calendar
 * month (UTC) so far.
 *
 * @param rolling the length of a rolling window, or null for the calendar month
 */
public record SloWindow(Duration rolling) {
    public static final SloWindow CALENDAR_MONTH = new SloWindow(null);
    public static final SloWindow THIRTY_DAYS = new SloWindow(Duration.ofDays(30));

    public boolean calendarMonth() {
        return rolling == null;
    }

    /** Where the window ending at {@code end} begins. */
    public Instant start(Instant end) {
        if (rolling != null) {
            return end.minus(rolling);
        }
        // the month the last moment before `end` falls in (an end exactly at midnight on the 1st closes the old month)
        ZonedDateTime last = end.minusNanos(1).atZone(ZoneOffset.UTC);
        return last.withDayOfMonth(1).toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The length of the period the budget is set for: the rolling window, or the calendar month holding {@code end}. */
    public Duration length(Instant end) {
        if (rolling != null) {
            return rolling;
        }
        Instant start = start(end);
        return Duration.between(start, start.atZone(ZoneOffset.UTC).plusMonths(1).toInstant());
    }

    /** "30-day", "calendar-month", "12-hour". */
    public String label() {
        if (rolling == null) {
            return "calendar-month";
        }
        return rolling.toHours() % 24 == 0 ? rolling.toDays() + "-day" : rolling.toHours() + "-hour";
    }

    /** As written in a file: "30d", "12h", "calendar-month". */
    public String text() {
        if (rolling == null) {
            return "calendar-month";
        }
        return rolling.toHours() % 24 == 0 ? rolling.toDays() + "d" : rolling.toHours() + "h";
    }
}
