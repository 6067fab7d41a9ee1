-- Which staged spans are new: the first occurrence of each (trace_id, span_id) in the stage that the workspace does
-- not hold yet (spans includes the rows this import already moved, so repeats across stages are caught too).
-- The span-level anti-join is only needed for traces the workspace or this import already knows; for a fresh import
-- into new traces the cheap trace-level test decides.
CREATE OR REPLACE TEMP TABLE stg_new AS
WITH firsts AS (
    SELECT seq, trace_id, span_id
    FROM stg_spans
    QUALIFY row_number() OVER (PARTITION BY trace_id, span_id ORDER BY seq) = 1
),
known AS (
    SELECT DISTINCT f.trace_id
    FROM firsts f
    WHERE f.trace_id IN (SELECT trace_id FROM traces)
       OR f.trace_id IN (SELECT trace_id FROM stg_import_traces)
)
SELECT f.seq
FROM firsts f
WHERE f.trace_id NOT IN (SELECT trace_id FROM known)
   OR NOT EXISTS (
        SELECT 1 FROM spans s
        WHERE s.trace_id = f.trace_id AND s.span_id = f.span_id
          AND s.trace_id IN (SELECT trace_id FROM known));
