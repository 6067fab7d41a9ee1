package dev.tracebench.app.cli;

import dev.tracebench.core.slo.SliSeries;
import dev.tracebench.core.slo.Slo;
import dev.tracebench.core.slo.SloConfigException;
import dev.tracebench.core.slo.SloEngine;
import dev.tracebench.core.slo.SloFile;
import dev.tracebench.core.slo.SloParser;
import dev.tracebench.core.slo.SloProblem;
import dev.tracebench.core.slo.SloReport;
import dev.tracebench.core.slo.SloService;
import dev.tracebench.core.slo.SloStatus;
import dev.tracebench.core.store.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What {@code slo check}, {@code gate} and {@code slo timeline} share: the --config and --at options, reading and
 * checking the file against the workspace (every problem, by file, line and field: exit 2), and computing each SLO.
 */
abstract class SloRun extends WorkspaceCommand {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", required = true,
            description = "The SLO file (YAML; format: docs/slo.md).")
    Path config;

    @Option(names = "--at", paramLabel = "TIME", description = "Evaluate at this moment (ISO-8601, e.g. "
            + "2026-11-20T14:00:00Z; rounded down to the step, a minute). Default: the end of the imported data.")
    String at;

    /** The file's SLOs checked against the workspace; throws {@link SloConfigException} with every problem. */
    static SloFile checked(Path config, Workspace ws) {
        return checked(load(config), ws);
    }

    /** The SLO file read and parsed; a missing one is a problem naming it (also for {@code remote show --slo}). */
    static SloFile load(Path config) {
        if (!Files.isRegularFile(config)) {
            throw new SloConfigException(List.of(new SloProblem(String.valueOf(config.getFileName()), 0, "",
                    "no such file: " + config.toAbsolutePath())));
        }
        return SloParser.load(config);
    }

    /** The store's checks of a parsed file's SLOs, every problem by line and field. */
    static SloFile checked(SloFile f, Workspace ws) {
        List<SloProblem> problems = new ArrayList<>();
        SloService service = ws.slos();
        for (Slo s : f.slos()) {
            for (SloService.FieldProblem p : service.check(s)) {
                problems.add(new SloProblem(f.name(), s.line(p.field()), "slos[" + s.index() + "]." + p.field(),
                        p.message()));
            }
        }
        if (!problems.isEmpty()) {
            throw new SloConfigException(problems);
        }
        return f;
    }

    /** Each SLO computed at --at (default: the end of the latest series), with the time its computation took. */
    SloReport report(SloFile f, Workspace ws) {
        List<SliSeries> series = new ArrayList<>();
        List<Duration> took = new ArrayList<>();
        for (Slo s : f.slos()) {
            long t0 = System.nanoTime();
            series.add(ws.slos().series(s));
            took.add(Duration.ofNanos(System.nanoTime() - t0));
        }
        Instant when = moment(series);
        List<SloReport.Result> results = new ArrayList<>();
        for (int i = 0; i < f.slos().size(); i++) {
            long t0 = System.nanoTime();
            SloStatus st = SloEngine.evaluate(f.slos().get(i), series.get(i), when);
            results.add(new SloReport.Result(st, took.get(i).plusNanos(System.nanoTime() - t0)));
        }
        return new SloReport(f.name(), ws.path().getFileName().toString(), results);
    }

    private Instant moment(List<SliSeries> series) {
        if (at != null) {
            try {
                return Instant.parse(at);
            } catch (DateTimeParseException e) {
                try {
                    return LocalDateTime.parse(at).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException e2) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--at: not an ISO-8601 time: " + at
                            + " (e.g. 2026-11-20T14:00:00Z)");
                }
            }
        }
        Instant end = null;
        for (SliSeries s : series) {
            if (!s.isEmpty() && (end == null || s.end().isAfter(end))) {
                end = s.end();
            }
        }
        return end;
    }

    /** Prints a bad file's problems, one a line, and returns the exit code for it. */
    int badConfig(SloConfigException e) {
        for (SloProblem p : e.problems()) {
            err().println("error: " + p);
        }
        err().flush();
        return TracebenchCli.UNUSABLE;
    }
}
