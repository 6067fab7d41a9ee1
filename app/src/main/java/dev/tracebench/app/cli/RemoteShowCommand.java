package dev.tracebench.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracebench.core.analysis.Breakdown;
import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Dimension;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.remote.RemoteResult;
import dev.tracebench.core.remote.RemoteResultException;
import dev.tracebench.core.report.BreakdownTable;
import dev.tracebench.core.report.FindingsWriter;
import dev.tracebench.core.report.Table;
import dev.tracebench.core.report.TableWriter;
import dev.tracebench.core.slo.SloConfigException;
import dev.tracebench.core.slo.SloFile;
import dev.tracebench.core.slo.SloProblem;
import dev.tracebench.core.slo.SloReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tracebench remote show DIR}: a Spark result folder's breakdown, root-cause findings and SLO status, written by
 * the writers of {@code breakdown}, {@code explain} and {@code slo check}.
 */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show a Spark result folder (LakeAnalysis --out DIR): what was analysed, the breakdown by "
            + "stage (and group), the root-cause findings over its counts (trace dimensions only) and the SLO status "
            + "of the SLIs it counted. Exit code 0; 2 for a folder that is not a result, a damaged table or an SLO "
            + "the result cannot answer.")
final class RemoteShowCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The result folder (it holds _tracebench_spark.json).")
    Path dir;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json or markdown (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--slo", paramLabel = "FILE", description = "SLO file (the YAML of slo check) whose latency and "
            + "availability SLOs to evaluate over the result's series. Default: each series the job counted at an "
            + "objective of 99%.")
    Path slo;

    @Override
    public Integer call() throws IOException {
        String f = format.strip().toLowerCase(Locale.ROOT);
        if (!List.of("text", "json", "markdown", "md").contains(f)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--format: unknown format '" + format
                    + "' (text, json or markdown)");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RemoteResult r;
        SloReport slos;
        try {
            r = RemoteResult.open(dir);
            slos = r.sloReport(sloFile(r));
        } catch (RemoteResultException e) {
            err.println("error: " + e.getMessage());
            return TracebenchCli.UNUSABLE;
        } catch (SloConfigException e) {
            for (SloProblem p : e.problems()) {
                err.println("error: " + p);
            }
            return TracebenchCli.UNUSABLE;
        }
        List<Finding> findings = r.findings(CheckSettings.DEFAULTS);
        switch (f) {
            case "json" -> json(r, findings, slos, out);
            case "text" -> text(r, findings, slos, out);
            default -> markdown(r, findings, slos, out);
        }
        out.flush();
        return TracebenchCli.OK;
    }

    private SloFile sloFile(RemoteResult r) {
        return slo == null ? r.defaultSlos() : SloRun.load(slo);
    }

    private static final String NO_OPERATIONS = "(per-operation lists are not in Spark's output)";

    private static void text(RemoteResult r, List<Finding> findings, SloReport slos, PrintWriter out)
            throws IOException {
        out.println("Read-only remote result (Spark): " + r.dir());
        r.facts().forEach((k, v) -> out.println("  " + k + ": " + v));
        out.println();
        Breakdown b = r.breakdown();
        out.println("Breakdown of all traces" + (grouped(b) ? " by " + b.groupBy().label() : "") + " " + NO_OPERATIONS);
        for (Table t : tables(b)) {
            TableWriter.TABLE.write(t, out);
            out.println();
        }
        FindingsWriter.TEXT.write(r.findingsTitle(), findings, out);
        out.println();
        slos.write(SloReport.Format.TEXT, out);
    }

    private static void markdown(RemoteResult r, List<Finding> findings, SloReport slos, PrintWriter out)
            throws IOException {
        out.println("# Read-only remote result (Spark)\n");
        r.facts().forEach((k, v) -> out.println("- **" + k + "**: " + v));
        Breakdown b = r.breakdown();
        out.println("\n## Breakdown of all traces" + (grouped(b) ? " by " + b.groupBy().label() : "") + "\n\n"
                + NO_OPERATIONS + "\n");
        for (Table t : tables(b)) {
            out.println("```");
            TableWriter.TABLE.write(t, out);
            out.println("```\n");
        }
        FindingsWriter.MARKDOWN.write(r.findingsTitle(), findings, out);
        out.println();
        slos.write(SloReport.Format.MARKDOWN, out);
    }

    /** One JSON object: the result's facts, and the breakdown, findings and SLO documents of their own writers. */
    private static void json(RemoteResult r, List<Finding> findings, SloReport slos, PrintWriter out)
            throws IOException {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("kind", "remote-result");
        root.put("read_only", true);
        ObjectNode facts = root.putObject("result");
        facts.put("dir", r.dir().toAbsolutePath().toString());
        facts.put("lake", r.manifest().lake());
        facts.put("traces", r.manifest().traces());
        facts.put("group_by", r.manifest().groupBy());
        facts.put("cohort", r.manifest().cohort());
        facts.put("percentiles", r.manifest().percentiles());
        facts.put("created_at", r.manifest().createdAt().toString());
        facts.put("spark_version", r.manifest().sparkVersion());
        Breakdown b = r.breakdown();
        List<Table> tables = tables(b);
        if (grouped(b)) {
            root.set("groups", m.readTree(TableWriter.JSON.render(tables.get(0))));
        }
        root.set("stages", m.readTree(TableWriter.JSON.render(tables.get(tables.size() - 1))));
        StringWriter fw = new StringWriter();
        FindingsWriter.JSON.write(r.findingsTitle(), findings, fw);
        root.set("findings", m.readTree(fw.toString()));
        StringWriter sw = new StringWriter();
        slos.write(SloReport.Format.JSON, sw);
        root.set("slos", m.readTree(sw.toString()));
        out.println(m.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }

    private static boolean grouped(Breakdown b) {
        return b.groupBy().dimension() != Dimension.NONE;
    }

    /** As {@code breakdown}: with a grouping the groups, then the stages of each. */
    private static List<Table> tables(Breakdown b) {
        return grouped(b) ? List.of(BreakdownTable.groups(b), BreakdownTable.stages(b, false))
                : List.of(BreakdownTable.stages(b, false));
    }
}
