-- Recommendations, cache findings: per service and cache (app.cache.name, else the span name) of the spans that
-- report a hit or a miss: lookups and hits before and after the middle of the window (parameter), the median lookup
-- duration with a hit and with a miss, and the median duration of the requests with a hit and with a miss.
CREATE OR REPLACE TEMP TABLE rec_lookups AS
SELECT s.trace_id, s.span_id, s.service_name, s.resource_id,
       coalesce(json_extract_string(s.attributes, '$."app.cache.name"'), s.name) AS cache, s.cache_hit AS hit,
       s.start_ns, s.end_ns - s.start_ns AS dur_ns, t.duration_ns AS request_ns, t.prompt_version, t.tenant, t.route
FROM spans s JOIN traces t USING (trace_id)
WHERE s.cache_hit IS NOT NULL
