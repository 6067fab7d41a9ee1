-- Every eval run with its counts: results, results linked to a trace of the workspace, and its evaluators; newest
-- first (when the run was made, else when it was imported).
SELECT r.run_id, r.name, r.source_format, r.file, r.created_at, r.config, r.evaluator_version, r.import_id,
       count(e.result_id) AS results,
       count(t.trace_id) AS linked,
       list_sort(list(DISTINCT e.evaluator) FILTER (WHERE e.evaluator IS NOT NULL)) AS evaluators
FROM eval_runs r
JOIN imports i USING (import_id)
LEFT JOIN eval_results e USING (run_id)
LEFT JOIN traces t ON t.trace_id = e.trace_id
GROUP BY r.run_id, r.name, r.source_format, r.file, r.created_at, r.config, r.evaluator_version, r.import_id,
         i.started_at
ORDER BY coalesce(r.created_at, i.started_at) DESC, r.run_id DESC;
