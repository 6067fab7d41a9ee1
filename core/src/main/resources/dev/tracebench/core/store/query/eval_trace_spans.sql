-- The spans of the traces $1 (trace ids as text) with their attributes, for the texts an eval judged (question,
-- retrieved passages, answer); spans without attributes cannot hold any and are left out.
SELECT trace_id, span_id, start_ns, end_ns, attributes
FROM spans
WHERE trace_id IN (SELECT CAST(unnest($1) AS UUID)) AND attributes <> '{}'
ORDER BY trace_id, start_ns, span_id;
