-- Recommendations, traffic weights: the model calls of the workspace, each with its group and served model. A model call
-- is a span of stage inference with no inference span below it within three levels (an application's chat span
-- wraps the gateway's provider call: only the innermost counts). The group is the requested model; the served model
-- is the response model, else the routing attribute app.gateway.model of the call or of its parent (a failed call
-- rarely records a response model), else, when the group has one known version, that version. Calls whose version
-- stays unknown are left out.
CREATE OR REPLACE TEMP TABLE rec_calls AS
WITH inf AS (SELECT trace_id, span_id, parent_span_id FROM spans WHERE stage = 'inference'),
p1 AS (SELECT trace_id, parent_span_id AS anc FROM inf WHERE parent_span_id IS NOT NULL),
p2 AS (SELECT p.trace_id, s.parent_span_id AS anc FROM p1 p JOIN spans s ON s.trace_id = p.trace_id
       AND s.span_id = p.anc WHERE s.parent_span_id IS NOT NULL),
p3 AS (SELECT p.trace_id, s.parent_span_id AS anc FROM p2 p JOIN spans s ON s.trace_id = p.trace_id
       AND s.span_id = p.anc WHERE s.parent_span_id IS NOT NULL),
wrappers AS (SELECT DISTINCT trace_id, anc FROM (SELECT * FROM p1 UNION ALL SELECT * FROM p2 UNION ALL SELECT * FROM p3)),
calls AS (
    SELECT s.trace_id, s.span_id, s.start_ns, s.end_ns - s.start_ns AS dur_ns, s.status_code = 2 AS failed,
           s.provider, coalesce(s.request_model, s.response_model) AS grp,
           coalesce(s.response_model, json_extract_string(s.attributes, '$."app.gateway.model"'),
                    json_extract_string(p.attributes, '$."app.gateway.model"')) AS served
    FROM spans s LEFT JOIN spans p ON p.trace_id = s.trace_id AND p.span_id = s.parent_span_id
    WHERE s.stage = 'inference' AND coalesce(s.request_model, s.response_model) IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM wrappers w WHERE w.trace_id = s.trace_id AND w.anc = s.span_id)
),
one_version AS (SELECT grp, min(served) AS served FROM calls WHERE served IS NOT NULL GROUP BY grp
         HAVING count(DISTINCT served) = 1)
SELECT c.trace_id, c.span_id, c.start_ns, c.dur_ns, c.failed, c.provider, c.grp,
       coalesce(c.served, o.served) AS served
FROM calls c LEFT JOIN one_version o USING (grp)
WHERE coalesce(c.served, o.served) IS NOT NULL
