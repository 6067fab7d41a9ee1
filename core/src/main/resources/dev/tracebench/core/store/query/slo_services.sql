-- Per service, for a starter SLO file: requests, failed requests (root span failed) and the p99 duration.
SELECT service_name,
       count(*) AS requests,
       count(*) FILTER (WHERE root_error) AS failed,
       CAST(quantile_cont(duration_ns, 0.99) AS BIGINT) AS p99_ns
FROM traces
GROUP BY service_name
ORDER BY requests DESC, service_name;
