-- All spans of one trace, in start order (parameters: trace id as UUID text; the trace's time window from traces).
-- Every span of a trace starts inside [traces.start_ns, traces.end_ns] (TraceAnalyzer makes end_ns the latest start
-- or end of any span), so the window predicate never drops a span; it lets DuckDB skip the row groups of other times
-- with their zone maps instead of scanning every trace id (measured on 11.7M spans: 35 ms -> 4 ms).
SELECT span_id, parent_span_id, name, kind, start_ns, end_ns, status_code, status_message, trace_state, flags,
       service_name, resource_id, scope_id, attributes, dropped_attributes_count, dropped_events_count,
       dropped_links_count, event_count, link_count, stage, operation, provider, request_model, response_model,
       input_tokens, output_tokens, cached_tokens, reasoning_tokens, cost, cost_source, finish_reason, cache_hit,
       ttft_ns, norm_sources, norm_conflicts, import_id, span_seq
FROM spans
WHERE trace_id = ?::UUID AND start_ns BETWEEN ? AND ?
ORDER BY start_ns, span_id;
