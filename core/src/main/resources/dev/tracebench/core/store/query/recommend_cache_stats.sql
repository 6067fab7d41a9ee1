-- Recommendations, cache findings: per (service, cache) of rec_lookups; parameter: the middle of the window.
WITH m AS (SELECT ?::BIGINT AS mid)
SELECT service_name, cache,
       count(*) FILTER (WHERE start_ns < mid), count(*) FILTER (WHERE start_ns < mid AND hit),
       count(*) FILTER (WHERE start_ns >= mid), count(*) FILTER (WHERE start_ns >= mid AND hit),
       CAST(median(dur_ns) FILTER (WHERE hit) AS BIGINT), CAST(median(dur_ns) FILTER (WHERE NOT hit) AS BIGINT),
       CAST(median(request_ns) FILTER (WHERE hit) AS BIGINT), CAST(median(request_ns) FILTER (WHERE NOT hit) AS BIGINT)
FROM rec_lookups, m
GROUP BY service_name, cache ORDER BY service_name, cache
