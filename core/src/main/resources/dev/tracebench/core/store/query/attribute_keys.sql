-- Every attribute key of the spans and of their resources, for completing a trace search (key=value). Top-level keys
-- only: those are what a search condition reads.
SELECT k FROM (
    SELECT unnest(json_keys(attributes)) AS k FROM spans
    UNION
    SELECT unnest(json_keys(attributes)) AS k FROM resources
)
ORDER BY k;
