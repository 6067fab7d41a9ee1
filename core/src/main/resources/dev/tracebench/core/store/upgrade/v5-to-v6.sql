-- Schema 5 -> 6: golden datasets, their versions and example revisions. New tables only; nothing existing changes.
-- Frozen: a copy of the DDL as it was at version 6 (later DDL changes get their own step).

CREATE SEQUENCE dataset_id_seq START 1;

CREATE TABLE datasets (
    dataset_id   INTEGER PRIMARY KEY,
    name         VARCHAR NOT NULL UNIQUE,
    description  VARCHAR NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    accepted_run BIGINT
);

CREATE TABLE dataset_example_revisions (
    dataset_id      INTEGER NOT NULL,
    revision        UUID NOT NULL,
    example_id      VARCHAR NOT NULL,
    input           VARCHAR NOT NULL,
    messages        VARCHAR,
    context         VARCHAR[] NOT NULL,
    expected_output VARCHAR NOT NULL,
    actual_output   VARCHAR NOT NULL,
    metadata        VARCHAR,
    tags            VARCHAR[] NOT NULL,
    split           VARCHAR NOT NULL,
    difficulty      VARCHAR NOT NULL,
    notes           VARCHAR NOT NULL,
    prov_workspace  VARCHAR NOT NULL,
    prov_trace_id   VARCHAR NOT NULL,
    prov_span_id    BIGINT NOT NULL,
    prov_added_at   TIMESTAMPTZ,
    prov_source     VARCHAR NOT NULL
);

CREATE TABLE dataset_versions (
    dataset_id    INTEGER NOT NULL,
    version       INTEGER NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    message       VARCHAR NOT NULL,
    example_count INTEGER NOT NULL
);

CREATE TABLE dataset_version_examples (
    dataset_id INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    position   INTEGER NOT NULL,
    revision   UUID NOT NULL
);
