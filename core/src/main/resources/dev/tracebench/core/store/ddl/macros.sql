-- Helpers for people who query the workspace with SQL (tracebench query).
--   attr(attributes, 'gen_ai.request.model')  -> the value as text (keys contain dots, so the path needs quoting)
--   trace_hex(trace_id) / span_hex(span_id)    -> ids as the lowercase hex the OTLP files use
CREATE MACRO attr(attrs, k) AS json_extract_string(attrs, '$."' || k || '"');
CREATE MACRO trace_hex(t) AS replace(CAST(t AS VARCHAR), '-', '');
CREATE MACRO span_hex(s) AS printf('%016x', s);
