-- eval_results: one evaluator's (or metric's) verdict on one example. A result is linked to a trace by the ids its
-- source gives (trace id, span id, gen_ai.response.id, dataset example id); trace_id/span_id hold the link, which may
-- point to a trace imported later. A result that links to nothing is kept (trace_id NULL) and shown as unlinked.
CREATE SEQUENCE eval_result_id_seq START 1;

CREATE TABLE eval_results (
    result_id           BIGINT NOT NULL,
    run_id              BIGINT NOT NULL,      -- eval_runs.run_id
    seq                 INTEGER NOT NULL,     -- order within the run, as in the source
    location            VARCHAR,              -- where it is in the source ('line 12')
    -- the ids as the source wrote them
    source_trace_id     VARCHAR,
    source_span_id      VARCHAR,
    response_id         VARCHAR,              -- gen_ai.response.id of the judged model call
    example_id          VARCHAR,              -- dataset example / test case id
    -- the link: the trace (and span) it is about; NULL if the source names none that parses
    trace_id            UUID,
    span_id             BIGINT,
    linked_by           VARCHAR,              -- 'trace_id' | 'span_id' | 'response_id' | 'example' | NULL
    evaluator           VARCHAR NOT NULL,     -- evaluator or metric name
    score               DOUBLE,
    label               VARCHAR,
    passed              BOOLEAN,
    threshold           DOUBLE,
    explanation         VARCHAR,
    judge_model         VARCHAR,
    judge_cost          DOUBLE,               -- USD
    judge_input_tokens  BIGINT,
    judge_output_tokens BIGINT,
    -- the example's texts when the source carries them (else they are read from the linked trace)
    input               VARCHAR,
    output              VARCHAR,
    expected            VARCHAR,
    contexts            VARCHAR[],
    judged_at           TIMESTAMPTZ,
    metadata            VARCHAR                -- anything else the source said, a JSON object
);
