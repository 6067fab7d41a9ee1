-- Recommendations, cache findings: where the second half's lookups (parameter: the middle of the window) of each
-- cache miss: per service version, prompt version, tenant and route, the lookups and hit rate, at least 20 lookups.
WITH l AS (
    SELECT l.*, json_extract_string(r.attributes, '$."service.version"') AS version
    FROM rec_lookups l JOIN resources r USING (resource_id) WHERE l.start_ns >= ?
),
d AS (
    SELECT service_name, cache, 'service.version = ' || version AS what, hit FROM l WHERE version IS NOT NULL
    UNION ALL SELECT service_name, cache, 'prompt version ' || prompt_version, hit FROM l WHERE prompt_version IS NOT NULL
    UNION ALL SELECT service_name, cache, 'tenant ' || tenant, hit FROM l WHERE tenant IS NOT NULL
    UNION ALL SELECT service_name, cache, 'route ' || route, hit FROM l WHERE route IS NOT NULL
)
SELECT service_name, cache, what, count(*), avg(hit::INT) FROM d
GROUP BY ALL HAVING count(*) >= 20
ORDER BY service_name, cache, avg(hit::INT), count(*) DESC, what
