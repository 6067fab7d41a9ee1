-- Rebuilds the per-trace rollup rows of the traces this import touched (stg_import_traces), from all their spans
-- (including spans earlier imports stored). The caller deletes the old rows first, in the same transaction.
-- Root choice: a span without parent, else a span whose parent is missing (orphan), else (a parent cycle) the
-- earliest span; ties go to the earliest start.
INSERT INTO traces
WITH s AS MATERIALIZED (
    SELECT * FROM spans WHERE trace_id IN (SELECT trace_id FROM stg_import_traces)
),
parents AS (
    SELECT DISTINCT trace_id, span_id FROM s
),
flagged AS (
    SELECT s.*,
           (s.parent_span_id IS NOT NULL AND p.span_id IS NULL) AS orphan
    FROM s LEFT JOIN parents p ON p.trace_id = s.trace_id AND p.span_id = s.parent_span_id
),
root AS (
    SELECT trace_id, span_id, name, service_name, start_ns, end_ns, parent_span_id IS NULL AS true_root
    FROM flagged
    QUALIFY row_number() OVER (PARTITION BY trace_id
                               ORDER BY parent_span_id IS NULL DESC, orphan DESC, start_ns, span_id) = 1
),
agg AS (
    SELECT trace_id,
           min(start_ns) AS start_ns,
           max(end_ns) AS end_ns,
           count(*) AS span_count,
           count(*) FILTER (WHERE status_code = 2) AS error_count,
           count(DISTINCT service_name) AS service_count,
           count(*) FILTER (WHERE orphan) AS orphan_count,
           coalesce(sum(input_tokens), 0) AS input_tokens,
           coalesce(sum(output_tokens), 0) AS output_tokens,
           sum(cost) AS cost
    FROM flagged
    GROUP BY trace_id
)
SELECT a.trace_id,
       r.span_id,
       r.name,
       r.service_name,
       a.start_ns,
       a.end_ns,
       CASE WHEN r.true_root THEN r.end_ns - r.start_ns ELSE a.end_ns - a.start_ns END,
       a.span_count,
       a.error_count,
       a.service_count,
       a.orphan_count,
       r.true_root,
       a.input_tokens,
       a.output_tokens,
       a.input_tokens + a.output_tokens,
       a.cost
FROM agg a JOIN root r USING (trace_id);
