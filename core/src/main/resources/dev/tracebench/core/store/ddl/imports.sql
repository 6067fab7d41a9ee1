-- imports: one row per file import that committed. A file's spans, events, links, rollups and this row are written
-- in one transaction, so a row here means the whole file landed; a cancelled or crashed import leaves no row and no
-- spans. sha256 is of the file's bytes as read from disk (compressed if it was compressed).
CREATE SEQUENCE import_id_seq START 1;

CREATE TABLE imports (
    import_id       INTEGER PRIMARY KEY,
    file            VARCHAR NOT NULL,
    format          VARCHAR NOT NULL,
    sha256          VARCHAR NOT NULL,
    bytes           BIGINT NOT NULL,
    spans_read      BIGINT NOT NULL,   -- spans parsed from the file
    spans_added     BIGINT NOT NULL,   -- new spans stored
    duplicates      BIGINT NOT NULL,   -- span ids repeated within the file (first kept)
    already_present BIGINT NOT NULL,   -- spans the workspace already held (idempotent re-import)
    rejected        BIGINT NOT NULL,   -- records skipped as unusable (see import_problems)
    warnings        BIGINT NOT NULL,
    started_at      TIMESTAMPTZ NOT NULL,
    duration_ms     BIGINT NOT NULL
);

-- The first problems of each import (capped per import), with where they are in the file and why.
CREATE TABLE import_problems (
    import_id INTEGER NOT NULL,
    seq       INTEGER NOT NULL,
    severity  VARCHAR NOT NULL,        -- 'rejected' | 'warning'
    location  VARCHAR NOT NULL,        -- e.g. 'line 12, resourceSpans[0].scopeSpans[0].spans[3]'
    reason    VARCHAR NOT NULL
);
