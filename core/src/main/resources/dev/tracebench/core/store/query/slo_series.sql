-- An SLO's events per step: {step} nanoseconds, steps counted since the epoch. {events} is the FROM clause (traces t,
-- or eval_results e joined to the traces t they judged), {valid} the condition for an event to count (the SLI's, and
-- the SLO's filter, checked by UserSql to be one expression), {good} the condition for a valid event to be good.
-- Written by DuckDbSloService; only numbers and quoted literals are spliced in besides the checked expressions.
SELECT t.start_ns // {step} AS step_index,
       count(*) AS total,
       count(*) FILTER (WHERE {good}) AS good
FROM {events}
WHERE {valid}
GROUP BY step_index
ORDER BY step_index;
