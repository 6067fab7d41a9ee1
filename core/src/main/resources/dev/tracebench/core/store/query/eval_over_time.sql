-- Quality over time: results of every run ($1: of this evaluator; NULL: every result with a verdict) placed at their
-- trace's start, else when they were judged, in $2 equal buckets between the first and the last; per bucket the
-- count, the pass rate of those with a verdict and the mean score.
WITH r AS (
    SELECT coalesce(t.start_ns, epoch_ns(e.judged_at)) AS at_ns, e.score,
           coalesce(e.passed, CASE WHEN NOT isnan(e.score) AND e.threshold IS NOT NULL
                                   THEN e.score >= e.threshold END) AS verdict
    FROM eval_results e
    LEFT JOIN traces t ON t.trace_id = e.trace_id
    WHERE $1 IS NULL OR e.evaluator = $1
),
placed AS (
    SELECT * FROM r WHERE at_ns IS NOT NULL AND ($1 IS NOT NULL OR verdict IS NOT NULL)
),
span AS (
    SELECT min(at_ns) AS lo, max(at_ns) + 1 AS hi FROM placed
)
SELECT least(CAST(floor((at_ns - lo) / ((hi - lo) / $2)) AS BIGINT), $2 - 1) AS bucket,
       span.lo, span.hi,
       count(*) AS n,
       avg(CASE WHEN verdict THEN 1.0 WHEN NOT verdict THEN 0.0 END) AS pass_rate,
       avg(score) FILTER (WHERE NOT isnan(score)) AS mean
FROM placed, span
GROUP BY ALL
ORDER BY bucket;
