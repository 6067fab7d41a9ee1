package dev.tracebench.core.store;

/**
 * The store's read and write queries that are more than a line, each in {@code query/<file>.sql}. A test checks
 * that every constant has its file and every file has its constant.
 */
enum Query {
    STAGE_TABLES("stage_tables.sql"),
    MOVE_STAGE_NEW("move_stage_new.sql"),
    MOVE_STAGE_SPANS("move_stage_spans.sql"),
    MOVE_STAGE_EVENTS("move_stage_events.sql"),
    MOVE_STAGE_LINKS("move_stage_links.sql"),
    STAGE_REPEATS("stage_repeats.sql"),
    ROLLUP_TRACES("rollup_traces.sql"),
    WORKSPACE_STATS("workspace_stats.sql"),
    TRACE_SPANS("trace_spans.sql"),
    TRACE_LIST("trace_list.sql");

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
