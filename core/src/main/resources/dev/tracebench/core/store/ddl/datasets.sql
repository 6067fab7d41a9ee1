-- datasets: one row per golden dataset, by its unique name. Its versions are in dataset_versions (a dataset always has
-- at least one: it is created by the save of its first version, in the same transaction).
CREATE SEQUENCE dataset_id_seq START 1;

CREATE TABLE datasets (
    dataset_id   INTEGER PRIMARY KEY,
    name         VARCHAR NOT NULL UNIQUE,  -- case-sensitive
    description  VARCHAR NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    accepted_run BIGINT                    -- eval_runs.run_id accepted as the baseline of `dataset test`; NULL: none
);
