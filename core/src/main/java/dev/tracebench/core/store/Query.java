package dev.tracebench.core.store;

/**
 * The store's read and write queries that are more than a line, each in {@code query/<file>.sql}. A test checks
 * that every constant has its file and every file has its constant.
 */
enum Query {
    IMPORT_REPEATS("import_repeats.sql"),
    WORKSPACE_STATS("workspace_stats.sql"),
    WORKSPACE_OBJECTS("workspace_objects.sql"),
    TRACE_SPANS("trace_spans.sql"),
    TRACE_LIST("trace_list.sql"),
    ATTRIBUTE_KEYS("attribute_keys.sql"),
    CHECK_CACHE("check_cache.sql"),
    CHECK_CACHE_CULPRIT("check_cache_culprit.sql"),
    CHECK_QUEUEING("check_queueing.sql"),
    CHECK_ERROR_HOTSPOTS("check_error_hotspots.sql"),
    CHECK_TOKEN_OUTLIERS("check_token_outliers.sql"),
    CHECK_PROMPT_TOKENS("check_prompt_tokens.sql"),
    RECOMMEND_MODEL_CALLS("recommend_model_calls.sql"),
    RECOMMEND_MODEL_STATS("recommend_model_stats.sql"),
    RECOMMEND_LATENCY("recommend_latency.sql"),
    RECOMMEND_QUEUES("recommend_queues.sql"),
    RECOMMEND_CACHES("recommend_caches.sql"),
    RECOMMEND_CACHE_STATS("recommend_cache_stats.sql"),
    RECOMMEND_CACHE_MISSERS("recommend_cache_missers.sql"),
    RECOMMEND_QUALITY("recommend_quality.sql"),
    RECOMMEND_OVERHEAD("recommend_overhead.sql"),
    EVAL_LINK("eval_link.sql"),
    EVAL_UNLINKED("eval_unlinked.sql"),
    EVAL_RUNS("eval_runs.sql"),
    EVAL_METRICS("eval_metrics.sql"),
    EVAL_HISTOGRAM("eval_histogram.sql"),
    EVAL_LABELS("eval_labels.sql"),
    EVAL_RESULT_ROWS("eval_result_rows.sql"),
    EVAL_EXAMPLE_KEYS("eval_example_keys.sql"),
    EVAL_EXAMPLE_SCORES("eval_example_scores.sql"),
    EVAL_OVER_TIME("eval_over_time.sql"),
    EVAL_TRACE_SPANS("eval_trace_spans.sql"),
    EVAL_TRACE_EVENTS("eval_trace_events.sql"),
    DATASET_LIST("dataset_list.sql"),
    DATASET_EXAMPLES("dataset_examples.sql"),
    SLO_SERIES("slo_series.sql"),
    SLO_PERCENTILE_SERIES("slo_percentile_series.sql"),
    SLO_SPAN("slo_span.sql"),
    SLO_SERVICES("slo_services.sql"),
    SLO_EVALUATORS("slo_evaluators.sql"),
    METRICS_REQUESTS("metrics_requests.sql"),
    METRICS_EVALS("metrics_evals.sql");

    private final String file;

    Query(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    String sql() {
        return ResourceText.load("query/" + file);
    }
}
