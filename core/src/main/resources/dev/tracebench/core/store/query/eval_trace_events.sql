-- The span events of the traces $1 (trace ids as text): older GenAI instrumentations put the messages in events.
SELECT trace_id, span_id, time_ns, name, attributes, dropped_attributes_count
FROM span_events
WHERE trace_id IN (SELECT CAST(unnest($1) AS UUID))
ORDER BY trace_id, span_id, seq;
