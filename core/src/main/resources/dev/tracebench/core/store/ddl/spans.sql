-- spans: one row per span, unique on (trace_id, span_id). The importer enforces uniqueness itself at the end of each
-- file (import_repeats.sql) instead of a PRIMARY KEY, because an ART index maintained during bulk appends slowed
-- ingest and costs ~15% of the file (../shared/design/ingest-measurements.md §5).
--
-- Ids are stored compactly: trace_id as UUID (the 128 bits of the OTLP id; trace_hex() shows it as 32 hex digits),
-- span ids as BIGINT (the 64 bits, span_hex() shows 16 hex digits). Fixed-width keys make joins and trace lookups
-- cheaper than 32-character strings. parent_span_id is NULL for a root.
--
-- All attributes are kept, typed, as one JSON object (see AttributeJson for the encoding), compressed with ZSTD:
-- on a million generated spans ZSTD made the import 29% faster and the file 28% smaller than DuckDB's default
-- string compression (measured with DuckDB 2.0.0.1). The LLM fields below are promoted to real columns by the
-- normaliser because filtering on a real column is ~35x faster than on JSON text.
CREATE TABLE spans (
    trace_id                 UUID NOT NULL,
    span_id                  BIGINT NOT NULL,
    parent_span_id           BIGINT,
    name                     VARCHAR NOT NULL,
    kind                     TINYINT NOT NULL,   -- OTLP SpanKind number: 0 unspecified .. 5 consumer
    start_ns                 BIGINT NOT NULL,    -- Unix epoch nanoseconds
    end_ns                   BIGINT NOT NULL,
    status_code              TINYINT NOT NULL,   -- 0 unset, 1 ok, 2 error
    status_message           VARCHAR,
    trace_state              VARCHAR,
    flags                    INTEGER NOT NULL,
    service_name             VARCHAR NOT NULL,   -- denormalised from the resource: the hottest filter
    resource_id              BIGINT NOT NULL,
    scope_id                 BIGINT NOT NULL,
    attributes               JSON USING COMPRESSION zstd NOT NULL,
    dropped_attributes_count INTEGER NOT NULL,
    dropped_events_count     INTEGER NOT NULL,
    dropped_links_count      INTEGER NOT NULL,
    event_count              INTEGER NOT NULL,
    link_count               INTEGER NOT NULL,
    -- normalised LLM fields (NULL when the span carries none); see SpanNormalizer for where each comes from
    stage                    VARCHAR,            -- prompt | retrieval | rerank | inference | tool | agent | chain | guardrail | postprocess | other
    operation                VARCHAR,            -- e.g. chat, embeddings, execute_tool, vector_search
    provider                 VARCHAR,            -- e.g. openai, anthropic, gcp.vertex_ai
    request_model            VARCHAR,
    response_model           VARCHAR,
    input_tokens             BIGINT,
    output_tokens            BIGINT,
    cached_tokens            BIGINT,
    reasoning_tokens         BIGINT,
    cost                     DOUBLE,             -- USD
    cost_source              VARCHAR,            -- 'reported' by the instrumentation, or 'computed' from the price table
    finish_reason            VARCHAR,
    cache_hit                BOOLEAN,
    ttft_ns                  BIGINT,             -- time to first token, from the span start
    norm_sources             VARCHAR,            -- the conventions that decided the fields, e.g. 'otel-genai,generic'
    norm_conflicts           INTEGER NOT NULL,   -- fields on which two conventions disagreed
    -- dimensions analysis groups and explains by (DimensionExtractor: the first of several conventional keys)
    route                    VARCHAR,            -- http.route, else the path of url.path / http.target
    tenant                   VARCHAR,            -- app.tenant.id, tenant.id, ...
    prompt_version           VARCHAR,            -- gen_ai.prompt.version, app.prompt.template.version, ...
    attempt                  INTEGER,            -- 1 for a first try, 2 for the first retry (app.attempt, ...)
    doc_count                INTEGER,            -- documents a retrieval returned
    import_id                INTEGER NOT NULL,
    span_seq                 BIGINT NOT NULL     -- position of the span in its import's file (ties events and links
                                                 -- to their span copy when a repeated span id is removed)
);
