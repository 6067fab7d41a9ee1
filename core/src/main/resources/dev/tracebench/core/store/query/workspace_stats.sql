-- Status-bar counts: everything comes from the small tables (rollup, resources, imports), never from a span scan.
SELECT (SELECT count(*) FROM traces)                               AS traces,
       (SELECT coalesce(sum(span_count), 0) FROM traces)           AS spans,
       (SELECT count(DISTINCT service_name) FROM resources)        AS services,
       (SELECT count(*) FROM imports)                              AS imports,
       (SELECT coalesce(min(start_ns), 0) FROM traces)             AS first_start_ns,
       (SELECT coalesce(max(end_ns), 0) FROM traces)               AS last_end_ns;
