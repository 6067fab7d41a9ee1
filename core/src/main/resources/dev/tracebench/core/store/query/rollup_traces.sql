-- Rebuilds the per-trace rollup rows of the traces this import touched (stg_import_traces), from all their spans
-- (including spans earlier imports stored). The caller deletes the old rows first, in the same transaction.
-- Root choice: a span without parent, else a span whose parent is missing (orphan), else (a parent cycle) the
-- earliest span; ties go to the earliest start.
-- Tokens and cost: only the innermost spans that report tokens count. An application's chat span and the gateway
-- span below it that made the provider call both report the same usage, and agent or chain spans often report the
-- sum of their model calls: adding them all would count the same tokens two or three times. A token span that has
-- another token span below it is a container and is left out.
INSERT INTO traces
WITH RECURSIVE s AS MATERIALIZED (
    SELECT trace_id, span_id, parent_span_id, name, service_name, start_ns, end_ns, status_code, input_tokens,
           output_tokens, cost
    FROM spans WHERE trace_id IN (SELECT trace_id FROM stg_import_traces)
),
parents AS (
    SELECT trace_id, span_id, start_ns FROM s
),
flagged AS (
    SELECT s.*,
           (s.parent_span_id IS NOT NULL AND p.span_id IS NULL) AS orphan,
           (s.end_ns < s.start_ns OR s.start_ns < p.start_ns - 1000000) AS skew
    FROM s LEFT JOIN parents p ON p.trace_id = s.trace_id AND p.span_id = s.parent_span_id
),
token_spans AS (
    SELECT trace_id, span_id, parent_span_id FROM s WHERE input_tokens IS NOT NULL OR output_tokens IS NOT NULL
),
containers(trace_id, span_id, depth) AS (
    SELECT trace_id, parent_span_id, 1 FROM token_spans WHERE parent_span_id IS NOT NULL
    UNION
    SELECT c.trace_id, s.parent_span_id, c.depth + 1
    FROM containers c JOIN s ON s.trace_id = c.trace_id AND s.span_id = c.span_id
    WHERE s.parent_span_id IS NOT NULL AND c.depth < 64
),
root AS (
    SELECT trace_id, span_id, name, service_name, start_ns, end_ns, parent_span_id IS NULL AS true_root
    FROM flagged
    QUALIFY row_number() OVER (PARTITION BY trace_id
                               ORDER BY parent_span_id IS NULL DESC, orphan DESC, start_ns, span_id) = 1
),
counted AS (
    SELECT f.trace_id, f.input_tokens, f.output_tokens, f.cost
    FROM flagged f
    WHERE (f.input_tokens IS NOT NULL OR f.output_tokens IS NOT NULL OR f.cost IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM containers c WHERE c.trace_id = f.trace_id AND c.span_id = f.span_id)
),
tokens AS (
    SELECT trace_id, coalesce(sum(input_tokens), 0) AS input_tokens, coalesce(sum(output_tokens), 0) AS output_tokens,
           sum(cost) AS cost
    FROM counted GROUP BY trace_id
),
agg AS (
    SELECT trace_id,
           min(start_ns) AS start_ns,
           max(end_ns) AS end_ns,
           count(*) AS span_count,
           count(*) FILTER (WHERE status_code = 2) AS error_count,
           count(DISTINCT service_name) AS service_count,
           count(*) FILTER (WHERE orphan) AS orphan_count,
           count(*) FILTER (WHERE skew) AS skew_count
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
       coalesce(t.input_tokens, 0),
       coalesce(t.output_tokens, 0),
       coalesce(t.input_tokens, 0) + coalesce(t.output_tokens, 0),
       t.cost,
       a.skew_count
FROM agg a JOIN root r USING (trace_id) LEFT JOIN tokens t USING (trace_id);
