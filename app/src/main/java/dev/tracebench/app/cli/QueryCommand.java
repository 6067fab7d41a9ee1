package dev.tracebench.app.cli;

import dev.tracebench.core.query.QueryRefusedException;
import dev.tracebench.core.query.QueryResult;
import dev.tracebench.core.report.Table;
import dev.tracebench.core.report.TableWriter;
import dev.tracebench.core.store.Workspace;
import dev.tracebench.core.store.WorkspaceException;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tracebench query SQL}: read-only SQL over a workspace. */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = "Run one read-only SQL statement (DuckDB dialect) against a workspace. "
            + "Statements that would change the workspace are refused. Tables: traces, spans, span_events, "
            + "span_links, resources, scopes, imports, import_problems. Helpers: attr(attributes, 'key'), "
            + "trace_hex(trace_id), span_hex(span_id).",
        footer = {"", "Example:", "  tracebench query \"SELECT request_model, count(*), avg(output_tokens) FROM spans "
                + "WHERE stage = 'inference' GROUP BY 1\""})
final class QueryCommand extends WorkspaceCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SQL", description = "The statement.")
    String sql;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--max-rows", paramLabel = "N", defaultValue = "10000",
            description = "Print at most N rows (default: ${DEFAULT-VALUE}).")
    int maxRows;

    @Option(names = "--reveal-secrets",
            description = "Print values that look like credentials (API keys, bearer tokens, passwords, columns "
                    + "named like authorization or api_key) as they are; by default they are masked.")
    boolean revealSecrets;

    @Override
    public Integer call() throws IOException {
        TableWriter writer = CliArgs.format(spec, format);
        try (Workspace ws = openForReading()) {
            QueryResult r = ws.console().run(sql, maxRows);
            if (!revealSecrets) {
                r = r.masked();
            }
            writer.write(new Table(r.columns(), r.rows()), out());
            out().flush();
            if (r.truncated()) {
                err().printf("(stopped after %,d rows; use --max-rows)%n", maxRows);
            } else if (writer == TableWriter.TABLE) {
                err().printf("(%,d row%s)%n", r.rows().size(), r.rows().size() == 1 ? "" : "s");
            }
            return TracebenchCli.OK;
        } catch (QueryRefusedException e) {
            err().println("error: " + e.getMessage());
            return TracebenchCli.UNUSABLE;
        } catch (WorkspaceException e) {
            err().println("error: " + e.getMessage());
            return TracebenchCli.UNUSABLE;
        }
    }
}
