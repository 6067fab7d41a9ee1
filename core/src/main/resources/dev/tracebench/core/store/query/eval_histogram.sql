-- Score histogram per metric of run $1: $2 equal bins between the metric's least and greatest score (the greatest
-- falls in the last bin; a metric with one distinct score has all of them in the first).
WITH s AS (
    SELECT evaluator, score,
           min(score) OVER (PARTITION BY evaluator) AS lo,
           max(score) OVER (PARTITION BY evaluator) AS hi
    FROM eval_results
    WHERE run_id = $1 AND score IS NOT NULL AND NOT isnan(score)
)
SELECT evaluator,
       CASE WHEN hi = lo THEN 0 ELSE least(CAST(floor((score - lo) / (hi - lo) * $2) AS INTEGER), $2 - 1) END AS bin,
       count(*) AS n
FROM s
GROUP BY ALL
ORDER BY evaluator, bin;
