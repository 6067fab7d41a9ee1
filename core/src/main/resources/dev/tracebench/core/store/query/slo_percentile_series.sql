-- A percentile latency SLO's events per step (a time-slice SLI, the SRE Workbook's "windows-based" one): each step
-- with requests is one valid event, good when the step's percentile duration is at most the bound. Filled in as
-- slo_series.sql, except that {good} is the condition on the step's aggregate, e.g.
-- quantile_cont(t.duration_ns, 0.95) <= 500000000.
SELECT t.start_ns // {step} AS step_index,
       1 AS total,
       CASE WHEN {good} THEN 1 ELSE 0 END AS good
FROM {events}
WHERE {valid}
GROUP BY step_index
ORDER BY step_index;
