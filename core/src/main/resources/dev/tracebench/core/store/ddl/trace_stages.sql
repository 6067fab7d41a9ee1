-- trace_stages: each trace's critical-path time per (stage, operation), written by TraceAnalyzer at import. operation
-- is the span name; a trace's path_ns add up to its duration_ns (time outside the root span is stage 'unattributed',
-- operation NULL). self_ns is the spans' own time (not covered by their children) whether on the path or not; spans
-- the number of spans of that (stage, operation) in the trace.
CREATE TABLE trace_stages (
    trace_id   UUID NOT NULL,
    stage      VARCHAR NOT NULL,
    operation  VARCHAR,
    path_ns    BIGINT NOT NULL,
    self_ns    BIGINT NOT NULL,
    spans      INTEGER NOT NULL
);
