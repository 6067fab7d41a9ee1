-- One page of the examples of run $1: an example is what its results are about (the trace, else the dataset example,
-- else the input text, else the result itself). $2: only examples with a result of this evaluator (NULL: all);
-- $3: failing examples (a verdict of fail) first; then in the order of the source. $4 LIMIT, $5 OFFSET.
WITH r AS (
    SELECT coalesce(trace_hex(trace_id), example_id, input, '#' || (seq + 1)) AS example_key, seq, evaluator,
           coalesce(passed, CASE WHEN NOT isnan(score) AND threshold IS NOT NULL THEN score >= threshold END) AS verdict
    FROM eval_results
    WHERE run_id = $1
)
SELECT example_key
FROM r
GROUP BY example_key
HAVING $2 IS NULL OR bool_or(evaluator = $2)
ORDER BY CASE WHEN $3 AND coalesce(bool_or(NOT verdict), false) THEN 0 ELSE 1 END, min(seq)
LIMIT $4 OFFSET $5;
