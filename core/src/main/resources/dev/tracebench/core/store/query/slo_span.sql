-- The first and last start of an SLO's events (see slo_series.sql for the placeholders), to choose its step.
SELECT min(t.start_ns), max(t.start_ns)
FROM {events}
WHERE {valid};
