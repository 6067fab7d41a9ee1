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
    input_tokens   BIGINT NOT NULL,            -- tokens of the innermost spans that report tokens (see rollup_traces.sql)
    output_tokens  BIGINT NOT NULL,
    total_tokens   BIGINT NOT NULL,
    cost           DOUBLE,                     -- USD, of the same spans
    skew_count     INTEGER NOT NULL            -- spans that end before they start, or start before their parent
);
