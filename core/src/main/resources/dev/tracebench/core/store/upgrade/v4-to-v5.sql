-- Schema 4 -> 5: eval runs and results. New tables only; nothing existing changes. Frozen: a copy of the DDL as it
-- was at version 5 (later DDL changes get their own step).
CREATE SEQUENCE eval_run_id_seq START 1;

CREATE TABLE eval_runs (
    run_id            BIGINT PRIMARY KEY,
    import_id         INTEGER NOT NULL,
    name              VARCHAR NOT NULL,
    source_format     VARCHAR NOT NULL,
    file              VARCHAR NOT NULL,
    created_at        TIMESTAMPTZ,
    config            VARCHAR NOT NULL,
    evaluator_version VARCHAR
);

CREATE SEQUENCE eval_result_id_seq START 1;

CREATE TABLE eval_results (
    result_id           BIGINT NOT NULL,
    run_id              BIGINT NOT NULL,
    seq                 INTEGER NOT NULL,
    location            VARCHAR,
    source_trace_id     VARCHAR,
    source_span_id      VARCHAR,
    response_id         VARCHAR,
    example_id          VARCHAR,
    trace_id            UUID,
    span_id             BIGINT,
    linked_by           VARCHAR,
    evaluator           VARCHAR NOT NULL,
    score               DOUBLE,
    label               VARCHAR,
    passed              BOOLEAN,
    threshold           DOUBLE,
    explanation         VARCHAR,
    judge_model         VARCHAR,
    judge_cost          DOUBLE,
    judge_input_tokens  BIGINT,
    judge_output_tokens BIGINT,
    input               VARCHAR,
    output              VARCHAR,
    expected            VARCHAR,
    contexts            VARCHAR[],
    judged_at           TIMESTAMPTZ,
    metadata            VARCHAR
);
