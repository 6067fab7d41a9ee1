-- /metrics: each evaluator's verdicts on requests that started up to the scrape's end (? 1), and in its window (start
-- after ? 2). {verdict} is CohortSql.VERDICT (as stored, else score >= threshold); results without one are left out.
WITH p AS (SELECT CAST(? AS BIGINT) AS hi, CAST(? AS BIGINT) AS lo),
v AS (
    SELECT e.evaluator, {verdict} AS ok, t.start_ns > p.lo AS w
    FROM eval_results e JOIN traces t ON t.trace_id = e.trace_id, p
    WHERE t.start_ns <= p.hi
)
SELECT evaluator,
       count(*) FILTER (WHERE ok) AS passed,
       count(*) FILTER (WHERE NOT ok) AS failed,
       count(*) FILTER (WHERE w AND ok) AS w_passed,
       count(*) FILTER (WHERE w AND NOT ok) AS w_failed
FROM v
WHERE ok IS NOT NULL
GROUP BY evaluator
ORDER BY evaluator;
