package dev.tracebench.core.lake;

import java.util.List;

/**
 * The workspace tables a lake holds, and how each is partitioned. Spans are partitioned by their own start date (UTC)
 * and service; the tables that belong to a trace (its facts, stage times, and its spans' events and links) by the
 * trace's start date and root service, so one trace's rows of those tables are in one partition. The small tables
 * (resources, scopes, imports, eval runs and results) are not partitioned.
 */
public enum LakeTable {
    SPANS("spans", Partitioning.SPAN),
    SPAN_EVENTS("span_events", Partitioning.TRACE),
    SPAN_LINKS("span_links", Partitioning.TRACE),
    TRACES("traces", Partitioning.SPAN),
    TRACE_STAGES("trace_stages", Partitioning.TRACE),
    RESOURCES("resources", Partitioning.NONE),
    SCOPES("scopes", Partitioning.NONE),
    IMPORTS("imports", Partitioning.NONE),
    IMPORT_PROBLEMS("import_problems", Partitioning.NONE),
    EVAL_RUNS("eval_runs", Partitioning.NONE),
    EVAL_RESULTS("eval_results", Partitioning.NONE);

    /** The Hive partition keys of the partitioned tables, in folder order. */
    public static final List<String> PARTITION_KEYS = List.of("date", "service");

    /**
     * How a table's rows are placed: SPAN: by the row's own {@code start_ns} and {@code service_name} (spans,
     * traces); TRACE: by its trace's; NONE: one folder.
     */
    public enum Partitioning { SPAN, TRACE, NONE }

    private final String table;
    private final Partitioning partitioning;

    LakeTable(String table, Partitioning partitioning) {
        this.table = table;
        this.partitioning = partitioning;
    }

    /** The table's name, in the workspace and as the lake's folder. */
    public String table() {
        return table;
    }

    public Partitioning partitioning() {
        return partitioning;
    }

    public boolean partitioned() {
        return partitioning != Partitioning.NONE;
    }
}
