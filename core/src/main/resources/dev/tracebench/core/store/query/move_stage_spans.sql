-- Moves the new staged spans into the workspace (parameter: this import's id), and remembers their traces so the
-- rollup can be rebuilt for exactly those traces at the end of the import.
INSERT INTO spans
SELECT s.trace_id, s.span_id, s.parent_span_id, s.name, s.kind, s.start_ns, s.end_ns, s.status_code,
       s.status_message, s.trace_state, s.flags, s.service_name, s.resource_id, s.scope_id, s.attributes,
       s.dropped_attributes_count, s.dropped_events_count, s.dropped_links_count, s.event_count, s.link_count,
       s.stage, s.operation, s.provider, s.request_model, s.response_model, s.input_tokens, s.output_tokens,
       s.cached_tokens, s.reasoning_tokens, s.cost, s.cost_source, s.finish_reason, s.cache_hit, s.ttft_ns,
       s.norm_sources, s.norm_conflicts, ?
FROM stg_spans s SEMI JOIN stg_new n ON s.seq = n.seq;
