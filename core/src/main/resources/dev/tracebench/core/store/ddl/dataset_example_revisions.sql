-- dataset_example_revisions: every distinct content an example of a dataset has had, stored once. `revision` is the
-- first 128 bits of the SHA-256 of all the example's fields (id and provenance included), so a new version that
-- changes a few examples adds only those rows; the others are shared through dataset_version_examples.
CREATE TABLE dataset_example_revisions (
    dataset_id      INTEGER NOT NULL,      -- datasets.dataset_id
    revision        UUID NOT NULL,         -- content hash, unique within the dataset
    example_id      VARCHAR NOT NULL,      -- the example's id, stable across versions (what diffs match on)
    input           VARCHAR NOT NULL,      -- the question (for a chat input: the last user message)
    messages        VARCHAR,               -- the chat input, a JSON array of {role, content, name}; NULL: none
    context         VARCHAR[] NOT NULL,    -- retrieved or reference passages, in order
    expected_output VARCHAR NOT NULL,
    actual_output   VARCHAR NOT NULL,
    metadata        VARCHAR,               -- a JSON object of texts, in the example's order; NULL: none
    tags            VARCHAR[] NOT NULL,
    split           VARCHAR NOT NULL,      -- '' | 'train' | 'dev' | 'test'
    difficulty      VARCHAR NOT NULL,
    notes           VARCHAR NOT NULL,
    -- provenance: where the example came from ('' / 0 / NULL when it does not apply)
    prov_workspace  VARCHAR NOT NULL,
    prov_trace_id   VARCHAR NOT NULL,
    prov_span_id    BIGINT NOT NULL,
    prov_added_at   TIMESTAMPTZ,
    prov_source     VARCHAR NOT NULL
);
