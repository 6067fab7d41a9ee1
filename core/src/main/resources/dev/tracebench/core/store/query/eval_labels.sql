-- Labels per metric of run $1, most frequent first.
SELECT evaluator, label, count(*) AS n
FROM eval_results
WHERE run_id = $1 AND label IS NOT NULL
GROUP BY ALL
ORDER BY evaluator, n DESC, label;
