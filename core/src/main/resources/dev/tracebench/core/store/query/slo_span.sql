-- The first and last start of an SLO's events (filled in as in slo_series.sql), to choose its step.
SELECT min(t.start_ns), max(t.start_ns)
FROM {events}
WHERE {valid};
