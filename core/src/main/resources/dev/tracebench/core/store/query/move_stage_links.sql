-- Moves the links of the new staged spans.
INSERT INTO span_links
SELECT s.trace_id, s.span_id, l.link_seq, l.linked_trace_id, l.linked_span_id, l.trace_state, l.flags,
       l.attributes, l.dropped_attributes_count
FROM stg_links l
JOIN stg_spans s ON s.seq = l.seq
SEMI JOIN stg_new n ON l.seq = n.seq;
