package dev.tracebench.app.gui;

import dev.tracebench.core.ingest.ImportReport;
import dev.tracebench.core.ingest.ImportService;
import dev.tracebench.core.task.CancellationToken;
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
 * file of how many) and cancel. The FX thread only receives progress values and the final reports.
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

    /** Imports {@code files}; {@code done} gets the reports on the FX thread. */
    void start(ImportService service, List<Path> files, Consumer<List<ImportReport>> done) {
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
            for (int i = 0; i < files.size(); i++) {
                Path f = files.get(i);
                String prefix = (files.size() > 1 ? "(" + (i + 1) + "/" + files.size() + ") " : "")
                        + f.getFileName() + ": ";
                if (token.isCancelled()) {
                    reports.add(ImportReport.notImported(f.toString(), ImportReport.Status.CANCELLED,
                            "not started: the import was cancelled", 0));
                    continue;
                }
                post(-1, prefix + "starting");
                try {
                    reports.add(service.importFile(f, (doneBytes, total, msg) ->
                            post(total > 0 ? Math.min(1.0, doneBytes / (double) total) : -1, prefix + msg), token));
                } catch (Throwable e) {
                    // imports report their failures; this is a failure outside one (the runner must still finish)
                    reports.add(ImportReport.notImported(f.toString(), ImportReport.Status.FAILED,
                            "the import failed: " + e + "; nothing from this file was stored", 0));
                }
            }
            Platform.runLater(() -> {
                running.set(false);
                cancel = null;
                progress.set(0);
                message.set("");
                done.accept(reports);
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
