-- schema_meta: key/value facts about the workspace file itself.
-- 'schema_version' is read before anything else when a workspace is opened: an older one is upgraded (SchemaUpgrade,
-- which also records 'upgraded_from' and 'upgraded_at'), a newer one is refused with a message and never modified.
CREATE TABLE schema_meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
