-- resources: deduplicated by content. resource_id is a 64-bit hash of the canonical attribute JSON and dropped count,
-- computed in Java at import so no id needs to be read back; thousands of batches from one process share one row.
-- The schema URL is not part of the identity: in OTLP/JSON it usually follows the spans, so it is filled in when it
-- arrives (first one wins).
CREATE TABLE resources (
    resource_id              BIGINT PRIMARY KEY,
    service_name             VARCHAR NOT NULL,
    attributes               JSON NOT NULL,
    schema_url               VARCHAR,
    dropped_attributes_count INTEGER NOT NULL
);
