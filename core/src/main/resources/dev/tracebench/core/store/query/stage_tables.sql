-- Staging tables of one import, private to its connection (TEMP lives in memory and vanishes with the connection).
-- Rows are appended here with the Appender, then moved into the workspace tables in large batches by
-- INSERT ... SELECT with an anti-join (idempotent re-import). Appending into an in-memory table and moving batches
-- is the fast path measured in ../shared/design/ingest-measurements.md (4c); it is also what lets one import skip
-- span ids the workspace already holds, which an Appender (no conflict handling) cannot do by itself.
-- seq numbers spans in file order; events and links point at their span's seq.
CREATE TEMP TABLE stg_spans (
    seq                      BIGINT NOT NULL,
    source                   VARCHAR,
    trace_id                 UUID NOT NULL,
    span_id                  BIGINT NOT NULL,
    parent_span_id           BIGINT,
    name                     VARCHAR NOT NULL,
    kind                     TINYINT NOT NULL,
    start_ns                 BIGINT NOT NULL,
    end_ns                   BIGINT NOT NULL,
    status_code              TINYINT NOT NULL,
    status_message           VARCHAR,
    trace_state              VARCHAR,
    flags                    INTEGER NOT NULL,
    service_name             VARCHAR NOT NULL,
    resource_id              BIGINT NOT NULL,
    scope_id                 BIGINT NOT NULL,
    attributes               VARCHAR NOT NULL,
    dropped_attributes_count INTEGER NOT NULL,
    dropped_events_count     INTEGER NOT NULL,
    dropped_links_count      INTEGER NOT NULL,
    event_count              INTEGER NOT NULL,
    link_count               INTEGER NOT NULL,
    stage                    VARCHAR,
    operation                VARCHAR,
    provider                 VARCHAR,
    request_model            VARCHAR,
    response_model           VARCHAR,
    input_tokens             BIGINT,
    output_tokens            BIGINT,
    cached_tokens            BIGINT,
    reasoning_tokens         BIGINT,
    cost                     DOUBLE,
    cost_source              VARCHAR,
    finish_reason            VARCHAR,
    cache_hit                BOOLEAN,
    ttft_ns                  BIGINT,
    norm_sources             VARCHAR,
    norm_conflicts           INTEGER NOT NULL
);

CREATE TEMP TABLE stg_events (
    seq                      BIGINT NOT NULL,
    ev_seq                   INTEGER NOT NULL,
    time_ns                  BIGINT NOT NULL,
    name                     VARCHAR NOT NULL,
    attributes               VARCHAR NOT NULL,
    dropped_attributes_count INTEGER NOT NULL
);

CREATE TEMP TABLE stg_links (
    seq                      BIGINT NOT NULL,
    link_seq                 INTEGER NOT NULL,
    linked_trace_id          UUID NOT NULL,
    linked_span_id           BIGINT NOT NULL,
    trace_state              VARCHAR,
    flags                    INTEGER NOT NULL,
    attributes               VARCHAR NOT NULL,
    dropped_attributes_count INTEGER NOT NULL
);

-- every trace this import added spans to: the rollup is rebuilt for exactly these
CREATE TEMP TABLE stg_import_traces (
    trace_id UUID NOT NULL
);

CREATE OR REPLACE TEMP TABLE stg_new (seq BIGINT);
