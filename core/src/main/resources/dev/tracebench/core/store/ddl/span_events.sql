-- span_events: events in file order (seq) per span. No foreign key to spans: the row is written in the same
-- transaction as its span, and foreign keys would slow bulk loads for no gain.
CREATE TABLE span_events (
    trace_id                 UUID NOT NULL,
    span_id                  BIGINT NOT NULL,
    seq                      INTEGER NOT NULL,
    time_ns                  BIGINT NOT NULL,
    name                     VARCHAR NOT NULL,
    attributes               JSON USING COMPRESSION zstd NOT NULL,
    dropped_attributes_count INTEGER NOT NULL,
    import_id                INTEGER NOT NULL,
    span_seq                 BIGINT NOT NULL     -- the span copy this row belongs to (see spans.span_seq)
);
