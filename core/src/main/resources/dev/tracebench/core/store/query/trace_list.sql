-- One page of the trace list from the per-trace rollup. The FROM, WHERE and ORDER BY placeholders below are filled
-- from fixed fragments in DuckDbTraceService and CohortSql (never from user text, except a cohort's own SQL filter);
-- every user value of the trace search is a bound parameter. (No placeholder in this comment: a filled-in fragment
-- spans lines, and its second line would be outside the comment.)
SELECT t.trace_id, t.root_span_id, t.root_name, t.service_name, t.start_ns, t.duration_ns, t.span_count,
       t.error_count, t.service_count, t.orphan_count, t.has_root, t.input_tokens, t.output_tokens, t.total_tokens
FROM {from}
{where}
ORDER BY {order}, t.start_ns DESC, t.trace_id
LIMIT ? OFFSET ?;
