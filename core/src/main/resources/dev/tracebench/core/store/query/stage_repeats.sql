-- The staged spans that were not new, each classified (parameter: this import's id): 'file' when the same span id
-- came earlier in this file, 'workspace' when an earlier import already stored it. Counted in full, listed by the
-- caller up to a cap.
SELECT s.source, trace_hex(s.trace_id) AS trace_hex, span_hex(s.span_id) AS span_hex,
       CASE WHEN min(w.import_id) = ? THEN 'file' ELSE 'workspace' END AS kind
FROM stg_spans s
ANTI JOIN stg_new n ON s.seq = n.seq
JOIN spans w ON w.trace_id = s.trace_id AND w.span_id = s.span_id
GROUP BY s.seq, s.source, s.trace_id, s.span_id
ORDER BY s.seq;
