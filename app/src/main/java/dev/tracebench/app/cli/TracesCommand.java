package dev.tracebench.app.cli;

import dev.tracebench.core.query.QueryRefusedException;
import dev.tracebench.core.query.TraceFilter;
import dev.tracebench.core.query.TraceSort;
import dev.tracebench.core.query.TraceSummary;
import dev.tracebench.core.report.Durations;
import dev.tracebench.core.report.Table;
import dev.tracebench.core.report.TableWriter;
import dev.tracebench.core.store.Workspace;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tracebench traces}: lists traces, like the desktop app's trace table. */
@Command(name = "traces", mixinStandardHelpOptions = true,
        description = "List the traces of a workspace, newest first (or --sort).")
final class TracesCommand extends WorkspaceCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    @Option(names = "--service", paramLabel = "NAME", description = "Only traces whose root service is NAME.")
    String service;

    @Option(names = "--min-duration", paramLabel = "D",
            description = "Only traces at least this long: 250ms, 1.5s, 2m (a bare number is ms).")
    String minDuration;

    @Option(names = "--errors", description = "Only traces with at least one error span.")
    boolean errors;

    @Option(names = "--text", paramLabel = "TEXT",
            description = "Only traces whose id starts with, or whose root operation, service or any span name "
                    + "contains, TEXT; words such as key=value, key!=value, key>N, key<=N are attribute conditions "
                    + "(a span of the trace, or its resource, has the attribute with such a value).")
    String text;

    @Option(names = "--cohort", paramLabel = "COHORT",
            description = "Only the traces of a cohort: " + CliArgs.COHORT_FORMS + ".")
    String cohort;

    @Option(names = "--sort", paramLabel = "COLUMN", defaultValue = "start",
            description = "start, duration, spans, errors, tokens, service or operation (default: ${DEFAULT-VALUE}).")
    String sort;

    @Option(names = "--asc", description = "Ascending order (default: descending).")
    boolean ascending;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
            description = "At most N traces (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() throws IOException {
        TableWriter writer = CliArgs.format(spec, format);
        long minNs = 0;
        if (minDuration != null) {
            try {
                minNs = Durations.parseNanos(minDuration);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--min-duration: " + e.getMessage());
            }
        }
        TraceSort order = new TraceSort(column(sort), ascending);
        if (limit < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be 0 or more");
        }
        TraceFilter filter = new TraceFilter(text, service == null || service.isBlank() ? List.of()
                : List.of(service), minNs, errors, cohort == null ? null : CliArgs.cohort(spec, cohort));
        try (Workspace ws = openForReading()) {
            List<TraceSummary> rows;
            try {
                rows = ws.traces().traces(filter, order, 0, limit);
            } catch (QueryRefusedException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--cohort: " + e.getMessage());
            }
            writer.write(table(rows), out());
            out().flush();
            if (writer == TableWriter.TABLE) {
                long total = ws.traces().countTraces(filter);
                err().printf("%,d of %,d matching traces%s%n", rows.size(), total, filter.cohort() == null ? ""
                        : " (" + filter.cohort().label() + ")");
            }
        }
        return TracebenchCli.OK;
    }

    private TraceSort.Column column(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "start", "time" -> TraceSort.Column.START;
            case "duration" -> TraceSort.Column.DURATION;
            case "spans" -> TraceSort.Column.SPANS;
            case "errors" -> TraceSort.Column.ERRORS;
            case "tokens" -> TraceSort.Column.TOKENS;
            case "service" -> TraceSort.Column.SERVICE;
            case "operation", "root" -> TraceSort.Column.ROOT_OPERATION;
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "--sort: unknown column '" + name
                    + "' (start, duration, spans, errors, tokens, service, operation)");
        };
    }

    static Table table(List<TraceSummary> rows) {
        List<List<Object>> out = new ArrayList<>(rows.size());
        for (TraceSummary t : rows) {
            List<Object> r = new ArrayList<>();
            r.add(t.traceId().hex());
            r.add(TIME.format(Instant.ofEpochSecond(0, t.startNs())));
            r.add(t.rootName());
            r.add(t.serviceName());
            r.add(Math.round(t.durationNs() / 1e3) / 1e3);
            r.add(t.spanCount());
            r.add(t.errorCount());
            r.add(t.totalTokens());
            out.add(r);
        }
        return new Table(List.of("trace_id", "start", "root_operation", "service", "duration_ms", "spans", "errors",
                "tokens"), out);
    }
}
