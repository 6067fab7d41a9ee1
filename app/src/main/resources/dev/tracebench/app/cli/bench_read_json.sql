-- For `tracebench bench import --native` (NativeJsonBench): DuckDB's native read_json over OTLP/JSON Lines into a flat
-- span table, with the schema declared (no inference) and attributes turned into a JSON object.
CREATE TABLE spans AS
WITH rs AS (
    SELECT unnest(resourceSpans) AS r
    FROM read_json(?, format = 'newline_delimited', maximum_object_size = 1000000000,
        columns = {resourceSpans: 'STRUCT(resource STRUCT(attributes STRUCT(key VARCHAR, value JSON)[]),
                                          scopeSpans STRUCT(scope STRUCT(name VARCHAR, version VARCHAR),
                                                            spans STRUCT(traceId VARCHAR, spanId VARCHAR,
                                                                         parentSpanId VARCHAR, name VARCHAR,
                                                                         kind INTEGER, startTimeUnixNano VARCHAR,
                                                                         endTimeUnixNano VARCHAR,
                                                                         attributes STRUCT(key VARCHAR, value JSON)[],
                                                                         status STRUCT(code INTEGER, message VARCHAR)
                                                                        )[])[])[]'})
),
ss AS (
    SELECT r.resource AS resource, unnest(r.scopeSpans) AS s FROM rs
),
sp AS (
    SELECT resource, s.scope AS scope, unnest(s.spans) AS span FROM ss
)
SELECT span.traceId AS trace_id, span.spanId AS span_id, span.parentSpanId AS parent_span_id, span.name AS name,
       span.kind AS kind, CAST(span.startTimeUnixNano AS BIGINT) AS start_ns,
       CAST(span.endTimeUnixNano AS BIGINT) AS end_ns, span.status.code AS status_code,
       list_filter(resource.attributes, lambda a: a.key = 'service.name')[1].value ->> '$.stringValue' AS service,
       to_json(map_from_entries(list_transform(span.attributes, lambda a: {'key': a.key, 'value': a.value})))
           AS attributes
FROM sp;
