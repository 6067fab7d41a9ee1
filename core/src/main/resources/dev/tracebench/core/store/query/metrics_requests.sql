-- /metrics: per (service, route, model), the requests that started up to the scrape's end (? 1) and, of those, the
-- ones in its window (start after ? 2). Durations and queue times in nanoseconds; quantiles interpolated
-- (quantile_cont, as the percentile SLOs rank them). route: the root's http.route, else the root operation; model:
-- the served (response) model of the critical-path call, else the requested one.
WITH p AS (SELECT CAST(? AS BIGINT) AS hi, CAST(? AS BIGINT) AS lo),
r AS (
    SELECT t.service_name AS service,
           coalesce(t.route, t.root_name) AS route,
           coalesce(t.model_version, t.model, '') AS model,
           t.root_error, CAST(t.duration_ns AS DOUBLE) AS duration_ns, CAST(t.queue_ns AS DOUBLE) AS queue_ns,
           t.cache_hits, t.cache_misses, t.input_tokens, t.output_tokens, t.cost,
           t.start_ns > p.lo AS w
    FROM traces t, p
    WHERE t.start_ns <= p.hi
)
SELECT service, route, model,
       count(*) AS requests,
       count(*) FILTER (WHERE root_error) AS errors,
       sum(duration_ns) AS duration_ns,
       count(*) FILTER (WHERE queue_ns > 0) AS queued,
       sum(queue_ns) AS queue_ns,
       sum(cache_hits) AS cache_hits,
       sum(cache_misses) AS cache_misses,
       sum(input_tokens) AS input_tokens,
       sum(output_tokens) AS output_tokens,
       sum(cost) AS cost,
       count(*) FILTER (WHERE w) AS w_requests,
       count(*) FILTER (WHERE w AND root_error) AS w_errors,
       quantile_cont(duration_ns, [0.5, 0.95, 0.99]) FILTER (WHERE w) AS w_duration,
       count(*) FILTER (WHERE w AND queue_ns > 0) AS w_queued,
       quantile_cont(queue_ns, [0.5, 0.95, 0.99]) FILTER (WHERE w AND queue_ns > 0) AS w_queue,
       coalesce(sum(cache_hits) FILTER (WHERE w), 0) AS w_cache_hits,
       coalesce(sum(cache_misses) FILTER (WHERE w), 0) AS w_cache_misses
FROM r
GROUP BY service, route, model
ORDER BY service, route, model;
