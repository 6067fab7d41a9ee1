-- eval_runs: one row per eval run, imported from an eval file (promptfoo, OpenAI evals, DeepEval, JSONL/CSV, ...) or
-- computed by the built-in evaluators. A run lands in the same transaction as its results and its imports row.
CREATE SEQUENCE eval_run_id_seq START 1;

CREATE TABLE eval_runs (
    run_id            BIGINT PRIMARY KEY,
    import_id         INTEGER NOT NULL,   -- the import (or evaluator run) that stored it: imports.import_id
    name              VARCHAR NOT NULL,   -- the eval's or run's own name, else the file's
    source_format     VARCHAR NOT NULL,   -- e.g. 'promptfoo-json', 'openai-evals-log', 'tracebench-evaluators'
    file              VARCHAR NOT NULL,   -- the source file ('' when computed in the app)
    created_at        TIMESTAMPTZ,        -- when the run was made, if the source says
    config            VARCHAR NOT NULL,   -- evaluator configuration, a JSON object
    evaluator_version VARCHAR             -- version of the tool or evaluators that produced it
);
