package dev.tracebench.app.gui;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.ImportService;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.dataset.DatasetService;
import dev.tracebench.importers.DatasetImport;
import dev.tracebench.importers.FolderScan;
import dev.tracebench.importers.datasets.DatasetFileService;
import dev.tracebench.importers.evaltable.TablePreview;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * Runs imports one file after another on their own thread, with progress (bytes of the current file, and which
 * file of how many) and cancel; folders are looked through on that thread too. The FX thread only receives progress
 * values and the final outcome.
 */
final class ImportRunner {
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running", false);
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private volatile CancellationToken cancel;
    private final AtomicReference<double[]> pendingProgress = new AtomicReference<>();
    private final AtomicReference<String> pendingMessage = new AtomicReference<>();

    ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** 0..1 for the current file, or -1 while unknown. */
    ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    boolean isRunning() {
        return running.get();
    }

    /** Asks the running import to stop; its current file is rolled back. */
    void cancel() {
        CancellationToken c = cancel;
        if (c != null) {
            c.cancel();
            message.set("Cancelling…");
        }
    }

    /**
     * What an import run did: a report per imported file, the files skipped in folders (neither trace nor eval files),
     * with what they look like, and the files refused as tables whose columns the importer does not recognise (the
     * app offers a column mapping for them).
     */
    record Outcome(List<ImportReport> reports, List<FolderScan.Entry> skipped, List<Table> tables,
            List<DatasetImport.Result> datasets) {
    }

    /** A file refused as a table of unrecognised columns, with its columns and first rows. */
    record Table(Path file, TablePreview preview) {
    }

    /**
     * Imports {@code files}; a folder among them imports every trace file inside it (see {@link FolderScan}). {@code
     * done} gets the outcome on the FX thread.
     */
    void start(ImportService service, List<Path> files, Consumer<Outcome> done) {
        start(service, null, files, done);
    }

    /**
     * As {@link #start(ImportService, List, Consumer)}; with {@code datasets} not null, dataset files (OpenAI evals
     * samples, DeepEval goldens, promptfoo tests, ...), given or found in a folder, are saved as the next version of
     * the dataset named after the file instead of being refused as traces.
     */
    void start(ImportService service, DatasetService datasets, List<Path> files, Consumer<Outcome> done) {
        if (running.get()) {
            throw new IllegalStateException("an import is already running");
        }
        CancellationToken token = new CancellationToken();
        cancel = token;
        running.set(true);
        progress.set(-1);
        message.set("Importing…");
        Thread t = new Thread(() -> {
            List<ImportReport> reports = new ArrayList<>();
            List<FolderScan.Entry> skipped = new ArrayList<>();
            List<Table> tables = new ArrayList<>();
            List<DatasetImport.Result> imported = new ArrayList<>();
            List<Path> all = new ArrayList<>();
            List<FolderScan.Entry> datasetFiles = new ArrayList<>();
            for (Path f : files) {
                if (!Files.isDirectory(f)) {
                    FolderScan.Entry e = datasets == null ? null : FolderScan.recognise(f);
                    if (e != null && e.kind() == FolderScan.Kind.DATASETS) {
                        datasetFiles.add(e);
                    } else {
                        all.add(f);
                    }
                    continue;
                }
                post(-1, f.getFileName() + ": looking for trace files");
                try {
                    List<FolderScan.Entry> entries = FolderScan.scan(f);
                    for (FolderScan.Entry e : entries) {
                        if (e.skipped()) {
                            skipped.add(e);
                        } else if (e.kind() == FolderScan.Kind.DATASETS) {
                            if (datasets != null) {
                                datasetFiles.add(e);
                            } else {
                                skipped.add(e);
                            }
                        } else {
                            all.add(e.file());
                        }
                    }
                    if (entries.stream().allMatch(FolderScan.Entry::skipped)) {
                        reports.add(ImportReport.notImported(f.toString(), ImportReport.Status.UNUSABLE,
                                "no trace or eval file in this folder (" + entries.size() + " file(s) looked at, "
                                        + "none recognised)", 0));
                    }
                } catch (java.io.IOException e) {
                    reports.add(ImportReport.notImported(f.toString(), ImportReport.Status.UNUSABLE,
                            "the folder cannot be read: " + e.getMessage(), 0));
                }
            }
            for (int i = 0; i < all.size(); i++) {
                Path f = all.get(i);
                String prefix = (all.size() > 1 ? "(" + (i + 1) + "/" + all.size() + ") " : "") + f.getFileName()
                        + ": ";
                if (token.isCancelled()) {
                    reports.add(ImportReport.notImported(f.toString(), ImportReport.Status.CANCELLED,
                            "not started: the import was cancelled", 0));
                    continue;
                }
                post(-1, prefix + "starting");
                try {
                    ImportReport r = service.importFile(f, (doneBytes, total, msg) ->
                            post(total > 0 ? Math.min(1.0, doneBytes / (double) total) : -1, prefix + msg), token);
                    reports.add(r);
                    if (r.status() == ImportReport.Status.UNUSABLE) {
                        TablePreview table = TablePreview.of(f);
                        if (table != null && !table.recognised()) {
                            tables.add(new Table(f, table));
                        }
                    }
                } catch (java.io.IOException e) {
                    // the file could not be read again for a preview: its report already says what happened
                } catch (Throwable e) {
                    // imports report their failures; this is a failure outside one (the runner must still finish)
                    reports.add(ImportReport.notImported(f.toString(), ImportReport.Status.FAILED,
                            "the import failed: " + e + "; nothing from this file was stored", 0));
                }
            }
            for (FolderScan.Entry e : datasetFiles) {
                if (token.isCancelled()) {
                    break;
                }
                post(-1, e.file().getFileName() + ": reading the dataset");
                try {
                    imported.add(DatasetImport.run(e.file(), null, e.dataset(), java.util.Map.of(),
                            new DatasetFileService(), datasets));
                } catch (Exception x) {
                    reports.add(ImportReport.notImported(e.file().toString(), ImportReport.Status.UNUSABLE,
                            "not imported as a dataset: " + x.getMessage(), 0));
                }
            }
            Outcome outcome = new Outcome(reports, skipped, tables, imported);
            Platform.runLater(() -> {
                running.set(false);
                cancel = null;
                progress.set(0);
                message.set("");
                done.accept(outcome);
            });
        }, "tracebench-import");
        t.setDaemon(true);
        t.start();
    }

    /** Coalesces progress updates: at most one pending runLater at a time. */
    private void post(double p, String msg) {
        pendingMessage.set(msg);
        if (pendingProgress.getAndSet(new double[] {p}) == null) {
            Platform.runLater(() -> {
                double[] v = pendingProgress.getAndSet(null);
                String m = pendingMessage.get();
                if (running.get() && v != null) {
                    progress.set(v[0]);
                    if (cancel != null && !cancel.isCancelled()) {
                        message.set(m);
                    }
                }
            });
        }
    }
}
