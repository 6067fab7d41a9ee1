-- Recommendations, retraining trigger: per evaluator, its results on requests that started before and after the
-- middle of the window (parameter): results with a verdict, passed, and the scores' count, mean and sample variance.
WITH m AS (SELECT ?::BIGINT AS mid),
r AS (
    SELECT e.evaluator, t.start_ns >= m.mid AS late,
           coalesce(e.passed, CASE WHEN NOT isnan(e.score) THEN e.score >= e.threshold END) AS verdict,
           CASE WHEN NOT isnan(e.score) THEN e.score END AS score
    FROM eval_results e JOIN traces t USING (trace_id), m
)
SELECT evaluator, late, count(verdict), count(*) FILTER (WHERE verdict), count(score), avg(score), var_samp(score)
FROM r GROUP BY evaluator, late ORDER BY evaluator, late
