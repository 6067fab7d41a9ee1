-- schema_meta: key/value facts about the workspace file itself.
-- 'schema_version' is read before anything else when a workspace is opened; a file whose version differs from the
-- one this build writes is refused with a message and never modified (there is no migration machinery yet).
CREATE TABLE schema_meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
