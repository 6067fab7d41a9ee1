-- One page of the trace list from the per-trace rollup. {where} and {order} are filled from fixed fragments in
-- DuckDbTraceService (never from user text); every user value is a bound parameter.
SELECT trace_id, root_span_id, root_name, service_name, start_ns, duration_ns, span_count, error_count,
       service_count, orphan_count, has_root, input_tokens, output_tokens, total_tokens
FROM traces t
{where}
ORDER BY {order}, t.start_ns DESC, t.trace_id
LIMIT ? OFFSET ?;
