-- Moves the events of the new staged spans.
INSERT INTO span_events
SELECT s.trace_id, s.span_id, e.ev_seq, e.time_ns, e.name, e.attributes, e.dropped_attributes_count
FROM stg_events e
JOIN stg_spans s ON s.seq = e.seq
SEMI JOIN stg_new n ON e.seq = n.seq;
