package dev.tracebench.views.slo;

import dev.tracebench.core.slo.AlertRule;
import dev.tracebench.core.slo.SliSeries;
import dev.tracebench.core.slo.Slo;
import dev.tracebench.core.slo.SloAlert;
import dev.tracebench.core.slo.SloConfigException;
import dev.tracebench.core.slo.SloEngine;
import dev.tracebench.core.slo.SloFile;
import dev.tracebench.core.slo.SloParser;
import dev.tracebench.core.slo.SloProblem;
import dev.tracebench.core.slo.SloService;
import dev.tracebench.core.slo.SloStarter;
import dev.tracebench.core.slo.SloStatus;
import dev.tracebench.views.common.BackgroundTasks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The SLOs area's state: the SLO file (its text, as the editor holds it), its problems by line and field, and each
 * SLO computed over the workspace with the same core code as {@code tracebench slo check} (parse, the store's checks,
 * the series, {@link SloEngine#evaluate} at the end of the data). All work runs as background tasks; results arrive
 * on the FX thread, and a load started later wins over one still running. After a reload, alerts firing at the end
 * of the data that were not firing before are handed to {@link #setOnNewAlerts} (the area pops a notification).
 */
public final class SloViewModel {
    /** At most this many points per chart line: a 100,000-step series is drawn from every k-th step. */
    static final int MAX_POINTS = 1500;
    /** Segments of a card's sparkline. */
    static final int SPARK_POINTS = 60;

    private final SloService service;
    private final BackgroundTasks tasks;
    private final String workspaceName;
    private final ObjectProperty<Path> file = new SimpleObjectProperty<>();
    private final StringProperty text = new SimpleStringProperty("");
    private final BooleanProperty fileMissing = new SimpleBooleanProperty();
    private final BooleanProperty loading = new SimpleBooleanProperty();
    private final StringProperty message = new SimpleStringProperty("");
    private final ObservableList<SloProblem> problems = FXCollections.observableArrayList();
    private final ObservableList<Result> results = FXCollections.observableArrayList();
    private Consumer<List<SloAlert>> onNewAlerts = a -> { };
    private Set<String> firing;
    private long generation;

    /** One SLO computed: its series, its status at the end of the data, and what its charts draw. */
    public record Result(Slo slo, SliSeries series, SloStatus status, Curves curves) {
        /** The alert timeline as incidents: each firing with its resolving (null while it fires). */
        public List<Incident> incidents() {
            List<Incident> out = new ArrayList<>();
            List<SloAlert> t = status.timeline();
            for (int i = 0; i < t.size(); i++) {
                SloAlert a = t.get(i);
                if (!a.firing()) {
                    continue;
                }
                SloAlert resolved = null;
                for (int j = i + 1; j < t.size() && resolved == null; j++) {
                    if (!t.get(j).firing() && t.get(j).rule().equals(a.rule())) {
                        resolved = t.get(j);
                    }
                }
                out.add(new Incident(slo, a, resolved, status.at()));
            }
            return out;
        }
    }

    /**
     * One alert incident. Its bad period, what drill-down lists, is the rule's long window before it fired up to its
     * resolving (or the end of the data): the events whose burn made it fire.
     */
    public record Incident(Slo slo, SloAlert fired, SloAlert resolved, Instant dataEnd) {
        public Instant from() {
            return fired.at().minus(fired.longWindow());
        }

        public Instant to() {
            return resolved == null ? dataEnd : resolved.at();
        }
    }

    /**
     * Chart lines, x in epoch milliseconds at the end of each step drawn: the share of the budget left over the SLO
     * window ending there, each rule's long-window burn rate, and the sparkline's SLI per segment (NaN without events).
     */
    public record Curves(double[] x, double[] budgetLeft, double[][] burn, double[] sparkX, double[] sparkSli) {
    }

    public SloViewModel(SloService service, BackgroundTasks tasks, Path defaultFile, String workspaceName) {
        this.service = service;
        this.tasks = tasks;
        this.workspaceName = workspaceName;
        file.set(defaultFile);
    }

    public ObjectProperty<Path> fileProperty() {
        return file;
    }

    /** The file's text as the editor holds it. */
    public StringProperty textProperty() {
        return text;
    }

    public BooleanProperty fileMissingProperty() {
        return fileMissing;
    }

    public BooleanProperty loadingProperty() {
        return loading;
    }

    /** What the area says above the cards: "3 SLOs · 1 breached", a failure, or why there is nothing. */
    public StringProperty messageProperty() {
        return message;
    }

    public ObservableList<SloProblem> problems() {
        return problems;
    }

    public ObservableList<Result> results() {
        return results;
    }

    /** Called on the FX thread with the alerts that began firing since the previous load (not on the first). */
    public void setOnNewAlerts(Consumer<List<SloAlert>> onNewAlerts) {
        this.onNewAlerts = onNewAlerts;
    }

    /** Reads the file again and computes every SLO (the workspace or the file changed). */
    public void reload() {
        Path p = file.get();
        long gen = ++generation;
        loading.set(true);
        tasks.run("Computing SLOs", progress -> {
            if (!Files.isRegularFile(p)) {
                return Loaded.absent();
            }
            String yaml = Files.readString(p, StandardCharsets.UTF_8);
            return compute(yaml, p.getFileName().toString(), progress);
        }, l -> {
            if (gen != generation) {
                return;
            }
            loading.set(false);
            fileMissing.set(l.missing);
            text.set(l.yaml == null ? "" : l.yaml);
            show(l);
        });
    }

    /** Checks the editor's text (without saving it) and computes it, so the cards show what it would give. */
    public void validate() {
        String yaml = text.get();
        String name = file.get().getFileName().toString();
        long gen = ++generation;
        loading.set(true);
        tasks.run("Validating " + name, progress -> compute(yaml, name, progress), l -> {
            if (gen == generation) {
                loading.set(false);
                show(l);
            }
        });
    }

    /** Writes the editor's text to the file (atomically: a reader never sees half a file), then reloads it. */
    public void save() {
        String yaml = text.get();
        Path p = file.get();
        tasks.run("Saving " + p.getFileName(), () -> {
            writeAtomically(p, yaml);
            return p;
        }, saved -> {
            if (saved.equals(file.get())) {
                reload();
            }
        });
    }

    /** Writes what {@code tracebench slo init} writes, from what the workspace holds, unless the file exists. */
    public void createStarter() {
        Path p = file.get();
        tasks.run("Writing a starter SLO file", () -> {
            if (Files.exists(p)) {
                throw new IOException(p + " exists; it was not overwritten");
            }
            String yaml = SloStarter.yaml(service.inventory(), workspaceName);
            SloParser.parse(yaml, "starter"); // what we write must read back
            writeAtomically(p, yaml);
            return p;
        }, saved -> reload());
    }

    private static void writeAtomically(Path p, String yaml) throws IOException {
        Path dir = p.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, p.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, yaml, StandardCharsets.UTF_8);
            Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void show(Loaded l) {
        problems.setAll(l.problems);
        results.setAll(l.results);
        int breached = 0;
        int burning = 0;
        for (Result r : l.results) {
            breached += r.status.state() == SloStatus.State.BREACHED ? 1 : 0;
            burning += r.status.state() == SloStatus.State.BURNING ? 1 : 0;
        }
        message.set(l.missing ? "No SLO file at " + file.get() + "."
                : !l.problems.isEmpty() ? l.problems.size() + " problem" + (l.problems.size() == 1 ? "" : "s")
                        + " in " + file.get().getFileName() + ": fix them in the editor."
                : l.results.isEmpty() ? "The file defines no SLO."
                : l.results.size() + " SLO" + (l.results.size() == 1 ? "" : "s") + " · " + breached + " breached · "
                        + burning + " burning");
        Set<String> now = new HashSet<>();
        List<SloAlert> fresh = new ArrayList<>();
        for (Result r : l.results) {
            for (SloAlert a : r.status.firing()) {
                String key = a.slo() + "/" + a.rule();
                now.add(key);
                if (firing != null && !firing.contains(key)) {
                    fresh.add(a);
                }
            }
        }
        if (l.problems.isEmpty() && !l.missing) {
            firing = now;
        }
        if (!fresh.isEmpty()) {
            onNewAlerts.accept(fresh);
        }
    }

    /** What a load found: the file is missing, it has problems, or each SLO computed. */
    private record Loaded(boolean missing, String yaml, List<SloProblem> problems, List<Result> results) {
        static Loaded absent() {
            return new Loaded(true, null, List.of(), List.of());
        }
    }

    /** Parses, checks against the workspace (every problem, by line and field) and computes each SLO. */
    private Loaded compute(String yaml, String name, BackgroundTasks.Progress progress) {
        SloFile f;
        try {
            f = SloParser.parse(yaml, name);
        } catch (SloConfigException e) {
            return new Loaded(false, yaml, e.problems(), List.of());
        }
        List<SloProblem> problems = new ArrayList<>();
        for (Slo s : f.slos()) {
            for (SloService.FieldProblem p : service.check(s)) {
                problems.add(new SloProblem(f.name(), s.line(p.field()), "slos[" + s.index() + "]." + p.field(),
                        p.message()));
            }
        }
        if (!problems.isEmpty()) {
            return new Loaded(false, yaml, problems, List.of());
        }
        List<SliSeries> series = new ArrayList<>();
        for (int i = 0; i < f.slos().size() && !progress.cancelled(); i++) {
            progress.update(f.slos().get(i).name(), i / (double) f.slos().size());
            series.add(service.series(f.slos().get(i)));
        }
        // every SLO at the same moment, the end of the latest series, as slo check evaluates them
        Instant end = null;
        for (SliSeries s : series) {
            if (!s.isEmpty() && (end == null || s.end().isAfter(end))) {
                end = s.end();
            }
        }
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            Slo slo = f.slos().get(i);
            SliSeries s = series.get(i);
            results.add(new Result(slo, s, SloEngine.evaluate(slo, s, end), curves(slo, s)));
        }
        return new Loaded(false, yaml, List.of(), results);
    }

    /** The chart lines of a series, from prefix sums: each point is one window's two subtractions. */
    static Curves curves(Slo slo, SliSeries s) {
        int n = s.buckets();
        long[] total = new long[n + 1];
        long[] bad = new long[n + 1];
        for (int i = 0; i < n; i++) {
            total[i + 1] = total[i] + s.total()[i];
            bad[i + 1] = bad[i] + s.total()[i] - s.good()[i];
        }
        long stepNs = s.step().toNanos();
        long originMs = s.origin().toEpochMilli();
        int every = Math.max(1, (n + MAX_POINTS - 1) / MAX_POINTS);
        int points = n == 0 ? 0 : (n - 1) / every + 1;
        double[] x = new double[points];
        double[] budget = new double[points];
        List<AlertRule> rules = slo.alerts();
        double[][] burn = new double[rules.size()][points];
        for (int p = 0; p < points; p++) {
            int k = Math.min(n, (p + 1) * every); // steps ended
            Instant end = s.origin().plus(s.step().multipliedBy(k));
            x[p] = end.toEpochMilli();
            Instant start = slo.window().start(end);
            int from = (int) Math.max(0, Math.min(k, ceilDiv(
                    java.time.Duration.between(s.origin(), start).toNanos(), stepNs)));
            budget[p] = 1 - SloEngine.budgetConsumed(bad[k] - bad[from], total[k] - total[from], slo.objective());
            for (int r = 0; r < rules.size(); r++) {
                int w = (int) Math.max(1, ceilDiv(rules.get(r).longWindow().toNanos(), stepNs));
                int f = Math.max(0, k - w);
                burn[r][p] = SloEngine.burnRate(bad[k] - bad[f], total[k] - total[f], slo.objective());
            }
        }
        int seg = Math.max(1, (n + SPARK_POINTS - 1) / SPARK_POINTS);
        int sparks = n == 0 ? 0 : (n - 1) / seg + 1;
        double[] sx = new double[sparks];
        double[] sy = new double[sparks];
        for (int p = 0; p < sparks; p++) {
            int a = p * seg;
            int b = Math.min(n, a + seg);
            long t = total[b] - total[a];
            sx[p] = originMs + (double) b * stepNs / 1e6;
            sy[p] = t == 0 ? Double.NaN : 1 - (bad[b] - bad[a]) / (double) t;
        }
        return new Curves(x, budget, burn, sx, sy);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
