-- Recommendations, scale-up: per service and operation of the spans that queue (name contains "queue", as
-- TraceAnalyzer counts queue time) started in the last quarter (parameter: its start): waits, waits longer than the
-- bound (parameter, ns), p95 wait, and the mean and largest queue depth the spans report (app.queue.depth).
SELECT service_name, name, count(*), count(*) FILTER (WHERE end_ns - start_ns > ?),
       CAST(quantile_cont(end_ns - start_ns, 0.95) AS BIGINT),
       avg(TRY_CAST(json_extract_string(attributes, '$."app.queue.depth"') AS DOUBLE)),
       max(TRY_CAST(json_extract_string(attributes, '$."app.queue.depth"') AS DOUBLE))
FROM spans WHERE lower(name) LIKE '%queue%' AND start_ns >= ?
GROUP BY ALL ORDER BY 1, 2
