-- scopes: instrumentation scopes (libraries), deduplicated by content like resources.
CREATE TABLE scopes (
    scope_id                 BIGINT PRIMARY KEY,
    name                     VARCHAR NOT NULL,
    version                  VARCHAR NOT NULL,
    attributes               JSON NOT NULL,
    schema_url               VARCHAR,
    dropped_attributes_count INTEGER NOT NULL
);
