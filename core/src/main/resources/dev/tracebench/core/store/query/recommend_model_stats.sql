-- Recommendations, traffic weights: per (group, served model) of rec_calls: calls, failures, p95 duration, calls in
-- the last quarter (parameter: its start), the provider, and the eval verdicts of the requests whose main model call
-- (traces.model_version) it served.
WITH v AS (
    SELECT t.model_version AS served, count(*) AS judged, count(*) FILTER (WHERE verdict) AS passed
    FROM (SELECT e.trace_id, coalesce(e.passed, CASE WHEN NOT isnan(e.score) THEN e.score >= e.threshold END) AS verdict
          FROM eval_results e) r
    JOIN traces t USING (trace_id)
    WHERE r.verdict IS NOT NULL AND t.model_version IS NOT NULL
    GROUP BY ALL
)
SELECT c.grp, c.served, max(c.provider), count(*), count(*) FILTER (WHERE c.failed),
       CAST(quantile_cont(c.dur_ns, 0.95) AS BIGINT), count(*) FILTER (WHERE c.start_ns >= ?),
       coalesce(any_value(v.judged), 0), coalesce(any_value(v.passed), 0)
FROM rec_calls c LEFT JOIN v USING (served)
GROUP BY c.grp, c.served
ORDER BY c.grp, count(*) DESC, c.served
