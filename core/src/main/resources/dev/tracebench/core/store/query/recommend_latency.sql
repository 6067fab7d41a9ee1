-- Recommendations, scale-up: per root service, the requests that started in the last quarter of the window
-- (parameter: its start), how many took longer than the bound (parameter, ns) and their p95 duration.
SELECT service_name, count(*), count(*) FILTER (WHERE duration_ns > ?), CAST(quantile_cont(duration_ns, 0.95) AS BIGINT)
FROM traces WHERE start_ns >= ?
GROUP BY service_name ORDER BY service_name
