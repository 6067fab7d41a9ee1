-- Per evaluator, for a starter SLO file: results linked to a trace here, their labels, and whether they carry scores
-- and pass/fail verdicts (as stored, else score >= threshold).
SELECT e.evaluator,
       count(*) AS linked,
       list(DISTINCT e.label ORDER BY e.label) FILTER (WHERE e.label IS NOT NULL) AS labels,
       count(*) FILTER (WHERE NOT isnan(e.score)) > 0 AS scores,
       count(coalesce(e.passed, CASE WHEN NOT isnan(e.score) THEN e.score >= e.threshold END)) > 0 AS verdicts
FROM eval_results e
JOIN traces t ON t.trace_id = e.trace_id
GROUP BY e.evaluator
ORDER BY linked DESC, e.evaluator;
