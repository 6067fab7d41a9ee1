-- dataset_versions: every save of a dataset is a new, immutable version (numbered from 1); nothing is overwritten.
-- dataset_version_examples: which example revisions a version holds, in its order.
CREATE TABLE dataset_versions (
    dataset_id    INTEGER NOT NULL,        -- datasets.dataset_id
    version       INTEGER NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    message       VARCHAR NOT NULL,        -- what changed, as the curator or the tool wrote it
    example_count INTEGER NOT NULL
);

CREATE TABLE dataset_version_examples (
    dataset_id INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    position   INTEGER NOT NULL,           -- 0-based order within the version
    revision   UUID NOT NULL               -- dataset_example_revisions.revision of the same dataset
);
