-- Recommendations, tracing overhead: per service, stage (of the span itself, 'other' when it has none) and operation
-- (span name): spans, estimated OTLP protobuf bytes and attribute bytes, whether any is a root or failed, the 99th
-- percentile of the span's duration as a share of its trace's, and the largest share of a request's critical path the
-- operation ever held (trace_stages). Estimate per span: 64 bytes of ids, times, kind, flags and framing, the name and
-- status message, the attributes as stored (their JSON text, within ~10% of their protobuf size), 24 bytes plus name
-- and attributes per event and 48 per link.
WITH ev AS (
    SELECT trace_id, span_id, sum(24 + strlen(name) + strlen(CAST(attributes AS VARCHAR))) AS b
    FROM span_events GROUP BY ALL
),
path AS (SELECT trace_id, operation, max(path_ns) AS path_ns FROM trace_stages GROUP BY ALL),
s AS (
    SELECT s.service_name, coalesce(s.stage, 'other') AS stage, s.name,
           strlen(CAST(s.attributes AS VARCHAR)) AS attr_b,
           64 + strlen(s.name) + coalesce(strlen(s.status_message), 0)
              + strlen(CAST(s.attributes AS VARCHAR)) + coalesce(ev.b, 0) + 48 * s.link_count AS b,
           s.parent_span_id IS NULL AS root, s.status_code = 2 AS failed,
           (s.end_ns - s.start_ns) / greatest(t.duration_ns, 1) AS dur_share,
           coalesce(p.path_ns, 0) / greatest(t.duration_ns, 1) AS path_share
    FROM spans s JOIN traces t USING (trace_id)
    LEFT JOIN ev ON ev.trace_id = s.trace_id AND ev.span_id = s.span_id
    LEFT JOIN path p ON p.trace_id = s.trace_id AND p.operation = s.name
)
SELECT service_name, stage, name, count(*), sum(b), sum(attr_b), bool_or(root), count(*) FILTER (WHERE failed),
       quantile_cont(dur_share, 0.99), max(path_share)
FROM s GROUP BY ALL ORDER BY sum(b) DESC, service_name, stage, name
