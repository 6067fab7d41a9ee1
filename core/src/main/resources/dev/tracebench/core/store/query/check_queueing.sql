-- Automated check "queueing": per minute with at least 5 queued requests, the p95 queue time; the mean of it in the
-- busiest quarter of minutes and in the quietest, and how many minutes there were.
WITH m AS (
    SELECT start_ns // 60000000000 AS minute, count(*) n, quantile_cont(queue_ns, 0.95) q
    FROM traces WHERE queue_ns > 0 GROUP BY minute HAVING count(*) >= 5
),
r AS (SELECT quantile_cont(n, 0.25) lo, quantile_cont(n, 0.75) hi FROM m)
SELECT avg(q) FILTER (WHERE n >= hi), avg(q) FILTER (WHERE n <= lo), count(*) FROM m, r
