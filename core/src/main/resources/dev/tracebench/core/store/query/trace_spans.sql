-- All spans of one trace, in start order (parameter: trace id as UUID text).
SELECT span_id, parent_span_id, name, kind, start_ns, end_ns, status_code, status_message, trace_state, flags,
       service_name, resource_id, scope_id, attributes, dropped_attributes_count, dropped_events_count,
       dropped_links_count, event_count, link_count, stage, operation, provider, request_model, response_model,
       input_tokens, output_tokens, cached_tokens, reasoning_tokens, cost, cost_source, finish_reason, cache_hit,
       ttft_ns, norm_sources, norm_conflicts
FROM spans
WHERE trace_id = ?::UUID
ORDER BY start_ns, span_id;
