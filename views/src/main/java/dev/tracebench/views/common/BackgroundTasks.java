package dev.tracebench.views.common;

import java.util.concurrent.Callable;
import java.util.function.Consumer;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;

/**
 * The long-running work the user may want to watch or stop (imports, exports, slow searches): each runs as a
 * {@link Task} listed in {@link #tasks()} while it runs (the status bar shows them, with Cancel), and a failure is
 * handed to {@link #setOnFailure} (the shell shows a notification). Each task runs on a thread of its own. Methods
 * are called on the FX thread.
 */
public final class BackgroundTasks {
    private final ObservableList<Task<?>> tasks = FXCollections.observableArrayList();
    private java.util.function.BiConsumer<String, Throwable> onFailure = (title, t) -> { };

    /** The running tasks, in the order they started. */
    public ObservableList<Task<?>> tasks() {
        return tasks;
    }

    /** Called on the FX thread with a task's title and failure (not for a cancelled task). */
    public void setOnFailure(java.util.function.BiConsumer<String, Throwable> onFailure) {
        this.onFailure = onFailure;
    }

    /** Work that reports its progress. */
    public interface Work<T> {
        T call(Progress progress) throws Exception;
    }

    /** What work may say while it runs; {@link #cancelled()} turns true when the user cancels. */
    public interface Progress {
        void update(String message, double fraction);

        boolean cancelled();
    }

    /** Runs {@code work} in the background as a listed task; then {@code onSuccess} on the FX thread. */
    public <T> Task<T> run(String title, Callable<T> work, Consumer<? super T> onSuccess) {
        return run(title, p -> work.call(), onSuccess);
    }

    /** As {@link #run(String, Callable, Consumer)}, for work that reports progress. */
    public <T> Task<T> run(String title, Work<T> work, Consumer<? super T> onSuccess) {
        Task<T> task = new Task<>() {
            @Override
            protected T call() throws Exception {
                updateTitle(title);
                updateProgress(-1, 1);
                return work.call(new Progress() {
                    @Override
                    public void update(String message, double fraction) {
                        updateMessage(message);
                        updateProgress(fraction < 0 ? -1 : fraction, 1);
                    }

                    @Override
                    public boolean cancelled() {
                        return isCancelled();
                    }
                });
            }
        };
        return start(task, title, onSuccess);
    }

    /** Lists and starts a task made elsewhere (e.g. one mirroring an import). */
    public <T> Task<T> start(Task<T> task, String title, Consumer<? super T> onSuccess) {
        tasks.add(task);
        task.setOnSucceeded(e -> {
            tasks.remove(task);
            onSuccess.accept(task.getValue());
        });
        task.setOnCancelled(e -> tasks.remove(task));
        task.setOnFailed(e -> {
            tasks.remove(task);
            onFailure.accept(title, task.getException());
        });
        // a thread of its own: long work must not hold up the query threads the views share
        Thread t = new Thread(task, "tracebench-task");
        t.setDaemon(true);
        t.start();
        return task;
    }
}
