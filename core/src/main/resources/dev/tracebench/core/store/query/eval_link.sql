-- Links eval results that name a span, a model response or a dataset example but no trace (or no span) to the trace
-- and span they are about. Run at the end of an import that brought eval results or spans, only when such rows exist
-- (eval_unlinked.sql): a result whose trace is imported later gets linked then. Results that name the trace id itself
-- need nothing here: trace_id holds it from the start, and "linked" means that trace is in `traces`.
-- $1: the import whose spans are searched (after a trace import: only its new spans), or 0 for all spans.
-- Statements are run one by one (each ends with a semicolon at the end of a line).

-- 1. A span id alone: the trace of the one stored span with that id (an id two traces share links nothing).
UPDATE eval_results r SET trace_id = m.trace_id, linked_by = 'span_id'
FROM (SELECT span_id, min(trace_id) AS trace_id
      FROM spans
      WHERE ($1 = 0 OR import_id = $1) AND span_id IN (SELECT span_id FROM eval_results WHERE trace_id IS NULL AND span_id IS NOT NULL)
      GROUP BY span_id
      HAVING count(DISTINCT trace_id) = 1) m
WHERE r.trace_id IS NULL AND r.span_id = m.span_id;

-- 2. gen_ai.response.id: the span whose attribute holds it (spans have no column for it: only the attributes of spans
-- whose JSON text contains the key are parsed, then joined by value); of several such spans the model call (stage
-- inference), then the first to start. A result that names its trace only takes a span of that trace.
UPDATE eval_results r SET trace_id = m.trace_id, span_id = m.span_id,
    linked_by = CASE WHEN r.trace_id IS NULL THEN 'response_id' ELSE r.linked_by END
FROM (SELECT w.response_id,
             arg_min(s.trace_id, (s.stage IS DISTINCT FROM 'inference', s.start_ns, s.span_id)) AS trace_id,
             arg_min(s.span_id, (s.stage IS DISTINCT FROM 'inference', s.start_ns, s.span_id)) AS span_id
      FROM (SELECT DISTINCT response_id FROM eval_results WHERE span_id IS NULL AND response_id IS NOT NULL) w
      JOIN (SELECT trace_id, span_id, stage, start_ns,
                   json_extract_string(attributes, '$."gen_ai.response.id"') AS response_id
            FROM spans
            WHERE ($1 = 0 OR import_id = $1) AND contains(attributes, '"gen_ai.response.id"')) s
          ON s.response_id = w.response_id
      GROUP BY w.response_id) m
WHERE r.span_id IS NULL AND r.response_id = m.response_id AND (r.trace_id IS NULL OR r.trace_id = m.trace_id);

-- 3. A dataset example id that is a trace id (32 or 16 hex digits, or a UUID) of a trace in the workspace.
UPDATE eval_results r SET trace_id = t.trace_id, linked_by = 'example'
FROM traces t
WHERE r.trace_id IS NULL AND r.example_id IS NOT NULL
  AND t.trace_id = TRY_CAST(CASE WHEN regexp_full_match(r.example_id, '[0-9a-fA-F]{16}')
                                 THEN '0000000000000000' || r.example_id ELSE r.example_id END AS UUID);
