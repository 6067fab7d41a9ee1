-- Datasets with their latest version: name, description, latest version, its example count, when the dataset was
-- created, when its latest version was saved, the accepted eval run (0: none). $1: one dataset's name, or NULL: all.
SELECT d.name, d.description, v.version, v.example_count, d.created_at, v.created_at, coalesce(d.accepted_run, 0)
FROM datasets d
JOIN (SELECT dataset_id, max(version) AS version FROM dataset_versions GROUP BY ALL) latest USING (dataset_id)
JOIN dataset_versions v ON v.dataset_id = latest.dataset_id AND v.version = latest.version
WHERE $1::VARCHAR IS NULL OR d.name = $1::VARCHAR
ORDER BY d.name;
