-- Per metric and example of run $1 (examples as in eval_example_keys.sql): the mean score, whether every verdict
-- passed (NULL without verdicts), a label, and the trace; for run comparisons.
SELECT evaluator,
       coalesce(trace_hex(trace_id), example_id, input, '#' || (seq + 1)) AS example_key,
       avg(score) FILTER (WHERE NOT isnan(score)) AS score,
       bool_and(coalesce(passed, CASE WHEN NOT isnan(score) AND threshold IS NOT NULL THEN score >= threshold END))
           AS verdict,
       min(label) AS label,
       min(trace_id) FILTER (WHERE trace_id IN (SELECT trace_id FROM traces)) AS trace_id
FROM eval_results
WHERE run_id = $1
GROUP BY ALL;
