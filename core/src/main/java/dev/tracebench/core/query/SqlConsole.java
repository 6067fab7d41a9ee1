package dev.tracebench.core.query;

/** Runs user-typed SQL against a workspace, refusing anything that would change it. */
public interface SqlConsole {

    /**
     * Runs one read-only statement and returns up to {@code maxRows} rows.
     *
     * @throws QueryRefusedException if the statement would change the workspace, or is more than one statement
     * @throws dev.tracebench.core.store.WorkspaceException if DuckDB reports an error (syntax, unknown column, ...)
     */
    QueryResult run(String sql, int maxRows);
}
