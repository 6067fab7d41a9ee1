-- Eval results with their run's name. A result is linked when its trace is in the workspace: then linked_trace,
-- its span and how it was linked, else NULL. The caller appends WHERE and ORDER BY over e (eval_results),
-- r (eval_runs) and t (traces).
SELECT e.result_id, e.run_id, r.name, t.trace_id AS linked_trace,
       CASE WHEN t.trace_id IS NOT NULL THEN e.span_id END AS span_id,
       CASE WHEN t.trace_id IS NOT NULL THEN e.linked_by END AS linked_by, e.response_id,
       e.example_id, e.evaluator, e.score, e.label, e.passed, e.threshold, e.explanation, e.judge_model,
       e.judge_cost, e.judge_input_tokens, e.judge_output_tokens, e.judged_at,
       coalesce(trace_hex(e.trace_id), e.example_id, e.input, '#' || (e.seq + 1)) AS example_key,
       e.input, e.output, e.expected, e.contexts, e.metadata
FROM eval_results e
JOIN eval_runs r USING (run_id)
LEFT JOIN traces t ON t.trace_id = e.trace_id
