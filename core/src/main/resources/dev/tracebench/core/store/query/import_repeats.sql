-- The spans of this import (parameter: the import id, four times) that must not stay, with why: 'file' when the same
-- span id came earlier in this file (the first is kept), 'workspace' when an earlier import already stored it
-- (re-importing adds nothing). Spans are appended straight into the workspace tables (no staging copy: measured
-- 1.8x faster), so repeats are found and removed once, at the end of the file, inside its transaction.
-- A fresh import costs one aggregation over its own rows: the span-level comparison with earlier imports only runs
-- for traces the workspace knew before this import.
CREATE OR REPLACE TEMP TABLE import_repeats AS
WITH mine AS MATERIALIZED (
    SELECT trace_id, span_id, span_seq FROM spans WHERE import_id = ?
),
repeated AS (
    SELECT trace_id, span_id, min(span_seq) AS first_seq
    FROM mine GROUP BY trace_id, span_id HAVING count(*) > 1
),
in_file AS (
    SELECT m.trace_id, m.span_id, m.span_seq
    FROM mine m JOIN repeated r ON r.trace_id = m.trace_id AND r.span_id = m.span_id
    WHERE m.span_seq > r.first_seq
),
known AS (
    SELECT DISTINCT trace_id FROM mine WHERE trace_id IN (SELECT trace_id FROM traces)
),
earlier AS (
    SELECT DISTINCT o.trace_id, o.span_id
    FROM spans o
    WHERE o.import_id <> ? AND o.trace_id IN (SELECT trace_id FROM known)
),
in_workspace AS (
    SELECT m.trace_id, m.span_id, m.span_seq
    FROM mine m JOIN earlier e ON e.trace_id = m.trace_id AND e.span_id = m.span_id
)
SELECT trace_id, span_id, span_seq, 'workspace' AS kind FROM in_workspace
UNION ALL
SELECT trace_id, span_id, span_seq, 'file' AS kind FROM in_file
WHERE span_seq NOT IN (SELECT span_seq FROM in_workspace);
