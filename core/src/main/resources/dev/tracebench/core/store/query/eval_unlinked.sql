-- Whether any eval result could still be linked by eval_link.sql (it names a span, response or example, and lacks the
-- trace or the span that would give): a cheap check before a trace import looks for them.
SELECT EXISTS (
    SELECT 1 FROM eval_results
    WHERE (trace_id IS NULL AND (span_id IS NOT NULL OR response_id IS NOT NULL OR example_id IS NOT NULL))
       OR (span_id IS NULL AND response_id IS NOT NULL)
);
