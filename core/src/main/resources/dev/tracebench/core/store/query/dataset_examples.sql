-- The examples of version $2 of dataset $1, in their order: each member revision's fields. Lists come as JSON text
-- and the time as microseconds: a few large cells read faster through JDBC than arrays and timestamps.
SELECT r.example_id, r.input, r.messages, to_json(r.context)::VARCHAR, r.expected_output, r.actual_output,
       r.metadata, to_json(r.tags)::VARCHAR, r.split, r.difficulty, r.notes, r.prov_workspace, r.prov_trace_id,
       r.prov_span_id, epoch_us(r.prov_added_at), r.prov_source
FROM dataset_version_examples m
JOIN dataset_example_revisions r ON r.dataset_id = m.dataset_id AND r.revision = m.revision
WHERE m.dataset_id = $1 AND m.version = $2
ORDER BY m.position;
