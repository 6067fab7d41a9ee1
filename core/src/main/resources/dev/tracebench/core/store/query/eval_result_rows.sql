-- Eval results with their run's name; linked_trace is the trace when it is in the workspace (else NULL). The caller
-- appends WHERE and ORDER BY over e (eval_results), r (eval_runs) and t (traces).
SELECT e.result_id, e.run_id, r.name, t.trace_id AS linked_trace, e.span_id, e.linked_by, e.response_id,
       e.example_id, e.evaluator, e.score, e.label, e.passed, e.threshold, e.explanation, e.judge_model,
       e.judge_cost, e.judge_input_tokens, e.judge_output_tokens, e.judged_at,
       coalesce(trace_hex(e.trace_id), e.example_id, e.input, '#' || (e.seq + 1)) AS example_key,
       e.input, e.output, e.expected, e.contexts, e.metadata
FROM eval_results e
JOIN eval_runs r USING (run_id)
LEFT JOIN traces t ON t.trace_id = e.trace_id
