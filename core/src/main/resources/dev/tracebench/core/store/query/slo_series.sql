-- An SLO's events per step, steps counted since the epoch. DuckDbSloService fills in the step (nanoseconds), the
-- FROM clause (traces t, or eval_results e joined to the traces t they judged), the condition for an event to count
-- (the SLI's, and the SLO's filter, checked by UserSql to be one expression) and the condition for a valid event to
-- be good. Only numbers and quoted literals are spliced in besides the checked expressions.
SELECT t.start_ns // {step} AS step_index,
       count(*) AS total,
       count(*) FILTER (WHERE {good}) AS good
FROM {events}
WHERE {valid}
GROUP BY step_index
ORDER BY step_index;
