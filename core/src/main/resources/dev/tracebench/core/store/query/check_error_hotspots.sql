-- Automated check "error hotspots": model calls by the model asked for (a failed call often names no served
-- version): calls, failures, the failure rate of all other models, calls and failures in the first and the last
-- third of the time range, and the latest six failed calls as 'trace hex:span hex' (a retried call fails twice in
-- one trace). Models with at least 30
-- calls, most failing first.
WITH calls AS (
    SELECT request_model AS model, status_code = 2 AS failed, start_ns, trace_id, span_id
    FROM spans WHERE stage = 'inference' AND request_model IS NOT NULL
),
r AS (SELECT min(start_ns) a, max(start_ns) b FROM calls),
byModel AS (
    SELECT model, count(*) n, count(*) FILTER (WHERE failed) f,
           count(*) FILTER (WHERE start_ns < a + (b - a) / 3) en,
           count(*) FILTER (WHERE failed AND start_ns < a + (b - a) / 3) ef,
           count(*) FILTER (WHERE start_ns >= b - (b - a) / 3) ln,
           count(*) FILTER (WHERE failed AND start_ns >= b - (b - a) / 3) lf,
           max_by(trace_hex(trace_id) || ':' || span_hex(span_id), start_ns, 6) FILTER (WHERE failed) ex
    FROM calls, r GROUP BY model
),
tot AS (SELECT sum(n) n, sum(f) f FROM byModel)
SELECT model, b.n, b.f, (tot.f - b.f) / greatest(1, tot.n - b.n), b.en, b.ef, b.ln, b.lf, b.ex
FROM byModel b, tot WHERE b.n >= 30 ORDER BY b.f / b.n DESC, model
