-- Recommendations, cache findings: the lookups of each cache (rec_lookups) and their hits per service version (of
-- the looking-up span's resource), prompt version and tenant (of its request), over the whole window, for values with
-- at least 20 lookups. The rule compares each value with the other values of the same dimension.
WITH l AS (
    SELECT l.*, json_extract_string(r.attributes, '$."service.version"') AS version
    FROM rec_lookups l JOIN resources r USING (resource_id)
),
d AS (
    SELECT service_name, cache, 'service.version' AS dim, version AS value, hit FROM l WHERE version IS NOT NULL
    UNION ALL SELECT service_name, cache, 'prompt version', prompt_version, hit FROM l WHERE prompt_version IS NOT NULL
    UNION ALL SELECT service_name, cache, 'tenant', tenant, hit FROM l WHERE tenant IS NOT NULL
)
SELECT service_name, cache, dim, value, count(*), count(*) FILTER (WHERE hit) FROM d
GROUP BY ALL HAVING count(*) >= 20
ORDER BY service_name, cache, dim, value
