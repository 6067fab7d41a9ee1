-- Automated check "error hotspots": model calls by the model asked for (a failed call often names no served
-- version): calls, failures, the failure rate of all other models, and calls and failures in the first and the
-- last third of the time range. Models with at least 30 calls, most failing first.
WITH calls AS (
    SELECT request_model AS model, status_code = 2 AS failed, start_ns
    FROM spans WHERE stage = 'inference' AND request_model IS NOT NULL
),
r AS (SELECT min(start_ns) a, max(start_ns) b FROM calls),
byModel AS (
    SELECT model, count(*) n, count(*) FILTER (WHERE failed) f,
           count(*) FILTER (WHERE start_ns < a + (b - a) / 3) en,
           count(*) FILTER (WHERE failed AND start_ns < a + (b - a) / 3) ef,
           count(*) FILTER (WHERE start_ns >= b - (b - a) / 3) ln,
           count(*) FILTER (WHERE failed AND start_ns >= b - (b - a) / 3) lf
    FROM calls, r GROUP BY model
),
tot AS (SELECT sum(n) n, sum(f) f FROM byModel)
SELECT model, b.n, b.f, (tot.f - b.f) / greatest(1, tot.n - b.n), b.en, b.ef, b.ln, b.lf
FROM byModel b, tot WHERE b.n >= 30 ORDER BY b.f / b.n DESC
