-- Automated check "cache": the service version (resource attribute service.version) whose spans hit the cache
-- least, with its service, its hit rate and the hit rate of the service's other versions.
WITH v AS (
    SELECT s.trace_id, r.service_name svc, json_extract_string(r.attributes, '$."service.version"') ver
    FROM spans s JOIN resources r USING (resource_id) WHERE s.cache_hit IS NOT NULL GROUP BY ALL
),
t AS (
    SELECT v.svc, v.ver, avg(s.cache_hit::INT) rate, count(*) n
    FROM v JOIN spans s USING (trace_id) WHERE s.cache_hit IS NOT NULL AND v.ver IS NOT NULL
    GROUP BY ALL HAVING count(*) >= 20
)
SELECT a.svc, a.ver, a.rate, (SELECT sum(b.rate * b.n) / sum(b.n) FROM t b WHERE b.svc = a.svc AND b.ver <> a.ver)
FROM t a ORDER BY a.rate LIMIT 1
