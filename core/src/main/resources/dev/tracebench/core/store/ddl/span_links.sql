-- span_links: links in file order (seq) per span. The linked span may be in a trace that was never imported, so
-- linked ids are deliberately not foreign keys.
CREATE TABLE span_links (
    trace_id                 UUID NOT NULL,
    span_id                  BIGINT NOT NULL,
    seq                      INTEGER NOT NULL,
    linked_trace_id          UUID NOT NULL,
    linked_span_id           BIGINT NOT NULL,
    trace_state              VARCHAR,
    flags                    INTEGER NOT NULL,
    attributes               JSON USING COMPRESSION zstd NOT NULL,
    dropped_attributes_count INTEGER NOT NULL,
    import_id                INTEGER NOT NULL,
    span_seq                 BIGINT NOT NULL     -- the span copy this row belongs to (see spans.span_seq)
);
