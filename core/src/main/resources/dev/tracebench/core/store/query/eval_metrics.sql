-- Per metric of run $1: results, passed and failed (pass/fail as stored, else score >= threshold), the mean, least and
-- greatest score. A NaN score (the judge failed) counts as a result without a score.
SELECT evaluator,
       count(*) AS n,
       count(*) FILTER (WHERE verdict) AS passed,
       count(*) FILTER (WHERE NOT verdict) AS failed,
       avg(score) FILTER (WHERE NOT isnan(score)) AS mean,
       min(score) FILTER (WHERE NOT isnan(score)) AS lo,
       max(score) FILTER (WHERE NOT isnan(score)) AS hi
FROM (SELECT evaluator, score,
             coalesce(passed, CASE WHEN NOT isnan(score) AND threshold IS NOT NULL THEN score >= threshold END) AS verdict
      FROM eval_results WHERE run_id = $1)
GROUP BY evaluator
ORDER BY evaluator;
