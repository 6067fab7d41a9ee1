-- Automated check "cache": traces that report cache hits or misses; hits and the median duration with and without a
-- hit, and the hit rate in the first and the last quarter of the time range (with their counts).
WITH t AS (SELECT start_ns, duration_ns, cache_hits > 0 AS hit FROM traces WHERE cache_hits + cache_misses > 0),
r AS (SELECT min(start_ns) a, max(start_ns) b FROM t)
SELECT count(*) FILTER (WHERE hit), count(*), median(duration_ns) FILTER (WHERE hit),
       median(duration_ns) FILTER (WHERE NOT hit),
       avg(hit::INT) FILTER (WHERE start_ns < a + (b - a) / 4),
       avg(hit::INT) FILTER (WHERE start_ns >= b - (b - a) / 4),
       count(*) FILTER (WHERE start_ns < a + (b - a) / 4), count(*) FILTER (WHERE start_ns >= b - (b - a) / 4)
FROM t, r
