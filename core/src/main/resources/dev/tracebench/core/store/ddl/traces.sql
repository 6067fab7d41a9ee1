-- traces: the per-trace rollup the trace table pages through, rebuilt for every trace an import touches (in the
-- import's transaction), so listing a million traces never aggregates spans.
-- The root is the span without a parent (the earliest if there are several); a trace whose root never arrived uses
-- its earliest span whose parent is missing, and has_root is false. duration_ns is the root's duration when there is
-- a root, else the extent of all spans.
CREATE TABLE traces (
    trace_id       UUID NOT NULL,
    root_span_id   BIGINT NOT NULL,
    root_name      VARCHAR NOT NULL,
    service_name   VARCHAR NOT NULL,
    start_ns       BIGINT NOT NULL,
    end_ns         BIGINT NOT NULL,
    duration_ns    BIGINT NOT NULL,
    span_count     INTEGER NOT NULL,
    error_count    INTEGER NOT NULL,
    service_count  INTEGER NOT NULL,
    orphan_count   INTEGER NOT NULL,           -- spans whose parent is not in the trace
    has_root       BOOLEAN NOT NULL,
    input_tokens   BIGINT NOT NULL,            -- tokens of the innermost spans that report tokens (TraceAnalyzer)
    output_tokens  BIGINT NOT NULL,
    total_tokens   BIGINT NOT NULL,
    cost           DOUBLE,                     -- USD, of the same spans
    skew_count     INTEGER NOT NULL,           -- spans that end before they start, or start before their parent
    -- computed by TraceAnalyzer at import from the trace's critical path and its spans' normalised fields
    route          VARCHAR,                    -- the root span's route
    model          VARCHAR,                    -- request model of the model call with the most critical-path time
    model_version  VARCHAR,                    -- that call's response model (the exact version served)
    prompt_version VARCHAR,
    tenant         VARCHAR,
    llm_calls      INTEGER NOT NULL,           -- spans of stage inference
    tool_calls     INTEGER NOT NULL,
    retries        INTEGER NOT NULL,           -- spans that are a second or later attempt
    docs           INTEGER,                    -- documents retrieved (sum over retrieval spans that say)
    cache_hits     INTEGER NOT NULL,           -- spans reporting a cache hit / a miss
    cache_misses   INTEGER NOT NULL,
    queue_ns       BIGINT NOT NULL,            -- critical-path time in spans that queue (name contains "queue")
    ttft_ns        BIGINT,                     -- time to first token of the model call with the most path time
    -- critical-path time per stage; the eleven add up to duration_ns exactly
    prompt_ns      BIGINT NOT NULL,
    retrieval_ns   BIGINT NOT NULL,
    rerank_ns      BIGINT NOT NULL,
    inference_ns   BIGINT NOT NULL,
    tool_ns        BIGINT NOT NULL,
    agent_ns       BIGINT NOT NULL,
    chain_ns       BIGINT NOT NULL,
    guardrail_ns   BIGINT NOT NULL,
    postprocess_ns BIGINT NOT NULL,
    other_ns       BIGINT NOT NULL,
    unattributed_ns BIGINT NOT NULL,           -- time no span explains (before or after the root span)
    -- the root span failed (status ERROR): a failed request. error_count > 0 is a trace with an error (any span).
    root_error     BOOLEAN NOT NULL
);
