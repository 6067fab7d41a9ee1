package dev.tracebench.views.analysis;

import dev.tracebench.core.analysis.AnalysisService;
import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Cohort;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.report.FindingsWriter;
import dev.tracebench.core.task.CancelledException;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.common.LatestLoads;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * "Why are these requests slow?": root-cause findings for a cohort (explain, which may take seconds and can be
 * cancelled), the automated checks over the whole workspace, the thresholds both use, and the Markdown export.
 */
public final class FindingsViewModel {
    private final AnalysisService service;
    private final Background background;
    private final LatestLoads explainLoads;
    private final LatestLoads checkLoads;

    private final ObjectProperty<CheckSettings> settings = new SimpleObjectProperty<>(this, "settings",
            CheckSettings.DEFAULTS);
    private final ObservableList<Finding> findings = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<Cohort> explained = new ReadOnlyObjectWrapper<>(this, "explained");
    private final ReadOnlyObjectWrapper<Cohort> running = new ReadOnlyObjectWrapper<>(this, "running");
    private final ReadOnlyBooleanWrapper explaining = new ReadOnlyBooleanWrapper(this, "explaining");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private final ObservableList<Finding> checks = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper checking = new ReadOnlyBooleanWrapper(this, "checking");
    private final ReadOnlyBooleanWrapper checksLoaded = new ReadOnlyBooleanWrapper(this, "checksLoaded");
    private final ReadOnlyStringWrapper checksStatus = new ReadOnlyStringWrapper(this, "checksStatus", "");
    private final ReadOnlyStringWrapper exportStatus = new ReadOnlyStringWrapper(this, "exportStatus", "");
    private long startedNanos;

    public FindingsViewModel(AnalysisService service, Background background) {
        this.service = service;
        this.background = background;
        this.explainLoads = new LatestLoads(background);
        this.checkLoads = new LatestLoads(background);
        settings.addListener((o, a, b) -> {
            if (b == null) {
                settings.set(CheckSettings.DEFAULTS);
                return;
            }
            if (checksLoaded.get() || checking.get()) {
                runChecks();
            }
            if (explained.get() != null && !explaining.get()) {
                status.set("The thresholds changed: Explain again to apply them to these findings.");
            }
        });
    }

    /** The thresholds of root cause and checks (never null). */
    public ObjectProperty<CheckSettings> settingsProperty() {
        return settings;
    }

    /** Findings of the last finished explain, most important first. */
    public ObservableList<Finding> findings() {
        return findings;
    }

    /** The cohort the findings are about (null before the first explain). */
    public ReadOnlyObjectProperty<Cohort> explainedProperty() {
        return explained.getReadOnlyProperty();
    }

    /** The cohort being explained now (null when idle). */
    public ReadOnlyObjectProperty<Cohort> runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty explainingProperty() {
        return explaining.getReadOnlyProperty();
    }

    /** What happened last ("6 findings in 2.3 s", "Cancelled."). */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** A failed explain, in the user's words; empty otherwise. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public ObservableList<Finding> checks() {
        return checks;
    }

    public ReadOnlyBooleanProperty checkingProperty() {
        return checking.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty checksLoadedProperty() {
        return checksLoaded.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty checksStatusProperty() {
        return checksStatus.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty exportStatusProperty() {
        return exportStatus.getReadOnlyProperty();
    }

    /** Seconds since the running explain started (0 when idle), for a progress line. */
    public double elapsedSeconds() {
        return explaining.get() ? (System.nanoTime() - startedNanos) / 1e9 : 0;
    }

    /** Explains the cohort in the background; a running explain is cancelled first. */
    public void explain(Cohort cohort) {
        LatestLoads.Ticket t = explainLoads.next();
        CheckSettings s = settings.get();
        startedNanos = System.nanoTime();
        running.set(cohort);
        explaining.set(true);
        problem.set("");
        status.set("Looking for what sets " + cohort.label() + " apart…");
        t.run(() -> service.explain(cohort, s, t.cancellation()), list -> {
            explaining.set(false);
            running.set(null);
            findings.setAll(list);
            explained.set(cohort);
            status.set(list.isEmpty() ? "Nothing stands out: no finding passed the thresholds."
                    : list.size() + " finding" + (list.size() == 1 ? "" : "s") + " in " + seconds(startedNanos));
        }, e -> {
            explaining.set(false);
            running.set(null);
            if (e instanceof CancelledException) {
                status.set("Cancelled.");
            } else {
                problem.set("Explain failed: " + Background.message(e));
                status.set("");
            }
        });
    }

    /** Stops the running explain (its result, should it still arrive, is dropped). */
    public void cancel() {
        if (!explaining.get()) {
            return;
        }
        explainLoads.cancel();
        explaining.set(false);
        running.set(null);
        status.set("Cancelled.");
    }

    /** Runs the automated checks over the whole workspace. */
    public void runChecks() {
        LatestLoads.Ticket t = checkLoads.next();
        CheckSettings s = settings.get();
        long started = System.nanoTime();
        checking.set(true);
        checksStatus.set("Running the checks…");
        t.run(() -> service.automatedChecks(s, t.cancellation()), list -> {
            checking.set(false);
            checksLoaded.set(true);
            checks.setAll(list);
            checksStatus.set((list.isEmpty() ? "All checks passed" : list.size() + " finding"
                    + (list.size() == 1 ? "" : "s")) + " · " + seconds(started));
        }, e -> {
            checking.set(false);
            checksStatus.set(e instanceof CancelledException ? "Cancelled." : "The checks failed: "
                    + Background.message(e));
        });
    }

    /** The title of an export of the current findings. */
    public String exportTitle() {
        Cohort c = explained.get();
        return c == null ? "Tracebench findings" : "Why are these requests slow? Findings for " + c.label();
    }

    /**
     * Writes the current findings (and the checks, if loaded) as Markdown to {@code file}, in the background; the
     * outcome shows in {@link #exportStatusProperty()}.
     */
    public void exportMarkdown(Path file) {
        List<Finding> f = List.copyOf(findings);
        List<Finding> c = checksLoaded.get() ? List.copyOf(checks) : List.of();
        String title = exportTitle();
        exportStatus.set("Writing " + file.getFileName() + "…");
        background.run(() -> {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".findings", ".md");
            try {
                try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    FindingsWriter.MARKDOWN.write(title, f, w);
                    if (!c.isEmpty()) {
                        w.write("\n");
                        FindingsWriter.MARKDOWN.write("Automated checks over the whole workspace", c, w);
                    }
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return file;
        }, p -> exportStatus.set("Saved " + f.size() + " finding" + (f.size() == 1 ? "" : "s") + " to " + p),
                e -> exportStatus.set("Not saved: " + Background.message(e)));
    }

    private static String seconds(long startedNanos) {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startedNanos) / 1e9);
    }
}
