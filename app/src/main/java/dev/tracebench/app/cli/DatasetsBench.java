package dev.tracebench.app.cli;

import dev.tracebench.app.SampleDatasets;
import dev.tracebench.core.dataset.DatasetDiff;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.Split;
import dev.tracebench.core.store.Workspace;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tracebench bench datasets}: how fast a large dataset saves, opens, filters and diffs. */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = "Dataset speed: builds a dataset of --examples examples shaped like the sample golden set "
            + "(deterministic), saves it into a new workspace, saves a second version with 5% of the examples "
            + "changed, 1% removed and 1% added, then times opening a version (reading all its examples), a text "
            + "filter over them in memory and the diff of the two versions. Prints milliseconds: the first run and "
            + "the median of the others.")
final class DatasetsBench implements Callable<Integer> {
    static final String NAME = "bench";
    /** What the filter looks for (a word of some golden questions and answers). */
    static final String FILTER = "retention";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--examples", paramLabel = "N", defaultValue = "10000",
            description = "Examples in the first version (default: ${DEFAULT-VALUE}).")
    int examples;

    @Option(names = "--runs", paramLabel = "R", defaultValue = "5",
            description = "Times each step is measured (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to put the workspace (default: the system temp "
            + "folder); it is deleted at the end.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        if (examples < 100 || runs < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--examples must be 100 or more and --runs "
                    + "1 or more");
        }
        PrintWriter out = spec.commandLine().getOut();
        List<DatasetExample> first = generate(examples);
        List<DatasetExample> second = edit(first);
        Path base = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(base);
        Path file = Files.createTempFile(base, "bench-datasets-", ".duckdb");
        Files.delete(file);
        out.printf(Locale.ROOT, "%,d examples, then %,d (%,d changed, %,d removed, %,d added); JVM %s, %d cores, "
                + "load average %.1f%n", first.size(), second.size(), examples / 20, examples / 100, examples / 100,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        try (Workspace ws = Workspace.open(file)) {
            long t0 = System.nanoTime();
            ws.datasets().save(NAME, "generated", first);
            long saveFirst = System.nanoTime() - t0;
            t0 = System.nanoTime();
            ws.datasets().save(NAME, "edited", second);
            long saveSecond = System.nanoTime() - t0;
            out.printf(Locale.ROOT, "save version 1: %,.0f ms; version 2: %,.0f ms; workspace %,d KB%n",
                    saveFirst / 1e6, saveSecond / 1e6, Files.size(file) >> 10);

            long[] open = new long[runs];
            long[] openCpu = new long[runs];
            long[] filter = new long[runs];
            long[] diff = new long[runs];
            List<DatasetExample> loaded = null;
            int matches = 0;
            DatasetDiff d = null;
            for (int r = 0; r < runs; r++) {
                long cpu0 = processCpuNanos();
                t0 = System.nanoTime();
                loaded = ws.datasets().examples(NAME, 0);
                open[r] = System.nanoTime() - t0;
                openCpu[r] = processCpuNanos() - cpu0;
                t0 = System.nanoTime();
                matches = filter(loaded, FILTER).size();
                filter[r] = System.nanoTime() - t0;
                List<DatasetExample> old = ws.datasets().examples(NAME, 1);
                t0 = System.nanoTime();
                d = DatasetDiff.of(old, loaded);
                diff[r] = System.nanoTime() - t0;
            }
            out.printf(Locale.ROOT, "open (all %,d examples of version 2): %s; CPU time of the process (all its "
                    + "threads, DuckDB's included): %s%n", loaded.size(), ms(open), ms(openCpu));
            out.printf(Locale.ROOT, "filter \"%s\" in memory (%,d match): %s%n", FILTER, matches, ms(filter));
            out.printf(Locale.ROOT, "diff of versions 1 and 2 (%s): %s%n", d.summary(), ms(diff));
            if (!loaded.equals(second)) {
                out.println("error: version 2 read back differs from what was saved");
                return TracebenchCli.UNUSABLE;
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".wal"));
        }
        return TracebenchCli.OK;
    }

    /** CPU time of all the process's threads (this machine is shared: wall time depends on the others' load). */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    /** "first 412 ms, median of the other 4: 88 ms". */
    private static String ms(long[] ns) {
        if (ns.length == 1) {
            return String.format(Locale.ROOT, "%,.1f ms", ns[0] / 1e6);
        }
        long[] rest = Arrays.copyOfRange(ns, 1, ns.length);
        Arrays.sort(rest);
        return String.format(Locale.ROOT, "first %,.1f ms, median of the other %d: %,.1f ms", ns[0] / 1e6,
                rest.length, rest[rest.length / 2] / 1e6);
    }

    /** The examples holding {@code text} (any case) in any text field: what a search box over a dataset does. */
    static List<DatasetExample> filter(List<DatasetExample> examples, String text) {
        String needle = text.toLowerCase(Locale.ROOT);
        List<DatasetExample> out = new ArrayList<>();
        for (DatasetExample e : examples) {
            if (holds(e.input(), needle) || holds(e.expectedOutput(), needle) || holds(e.actualOutput(), needle)
                    || holds(e.notes(), needle) || e.context().stream().anyMatch(c -> holds(c, needle))
                    || e.tags().stream().anyMatch(t -> holds(t, needle))) {
                out.add(e);
            }
        }
        return out;
    }

    private static boolean holds(String s, String lowerNeedle) {
        return s.toLowerCase(Locale.ROOT).contains(lowerNeedle);
    }

    private static final String[] OPENINGS = {"", "Quick question: ", "Hi, ", "Could you tell me: ", "Sorry if this "
            + "was asked before. ", "For our team: ", "Urgent: "};

    /**
     * {@code n} examples from the sample golden set's 150, each reworded (an opening, a number), with an actual
     * output (the expected answer, now and then cut short), a split and the golden example's provenance.
     */
    static List<DatasetExample> generate(int n) {
        List<DatasetExample> golden = SampleDatasets.generated(Instant.parse("2026-11-20T08:00:00Z"));
        Random rnd = new Random(20261120);
        List<DatasetExample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(variant(golden.get(i % golden.size()), String.format(Locale.ROOT, "ex-%06d", i + 1), rnd));
        }
        return out;
    }

    private static DatasetExample variant(DatasetExample g, String id, Random rnd) {
        String answer = g.expectedOutput();
        String actual = rnd.nextInt(10) == 0 ? answer.substring(0, answer.length() / 2) : answer;
        Split split = switch (rnd.nextInt(10)) {
            case 0 -> Split.TEST;
            case 1 -> Split.DEV;
            default -> Split.TRAIN;
        };
        return new DatasetExample(id, OPENINGS[rnd.nextInt(OPENINGS.length)] + g.input() + " (#" + rnd.nextInt(1000)
                + ")", g.messages(), g.context(), answer, actual, g.metadata(), g.tags(), split, g.difficulty(), "",
                g.provenance());
    }

    /** Version 2: every 20th example changed (expected output or tags), every 100th removed, n/100 added. */
    static List<DatasetExample> edit(List<DatasetExample> first) {
        List<DatasetExample> out = new ArrayList<>(first.size());
        for (int i = 0; i < first.size(); i++) {
            DatasetExample e = first.get(i);
            if (i % 100 == 7) {
                continue;
            }
            if (i % 20 == 3) {
                e = i % 40 == 3 ? e.withExpectedOutput(e.expectedOutput() + " (Checked against the docs.)")
                        : e.withTags(List.of("reviewed")).withNotes("retagged");
            }
            out.add(e);
        }
        List<DatasetExample> more = generate(first.size() / 100 + 1);
        for (int i = 0; i < first.size() / 100; i++) {
            out.add(more.get(i + 1).withId(String.format(Locale.ROOT, "new-%06d", i + 1)));
        }
        return out;
    }
}
