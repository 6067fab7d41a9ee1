package dev.tracebench.views.datasets;

import dev.tracebench.core.dataset.DatasetExample;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The curator's working copy of one dataset: its examples as edited so far, the version they started from, and the
 * undo and redo histories. Every state is an immutable list (an edit makes a new one sharing the unchanged examples),
 * so undo restores exactly what was there and "unsaved" is "not the list that was loaded or last saved".
 */
final class DatasetDraft {
    /** Undo steps kept; older ones are forgotten (each holds a reference per example, ~40 KB for 10,000). */
    static final int HISTORY = 500;

    private final String name;
    private List<DatasetExample> current;
    private List<DatasetExample> saved;
    private int baseVersion;
    private final Deque<Step> undo = new ArrayDeque<>();
    private final Deque<Step> redo = new ArrayDeque<>();

    /** One change: the list before it and what it did, in words ("edit ex-0003 expected output"). */
    record Step(List<DatasetExample> before, String what) {
    }

    DatasetDraft(String name, List<DatasetExample> loaded, int version) {
        this.name = name;
        this.current = List.copyOf(loaded);
        this.saved = current;
        this.baseVersion = version;
    }

    String name() {
        return name;
    }

    List<DatasetExample> examples() {
        return current;
    }

    /** The version the draft was loaded from or last saved as. */
    int baseVersion() {
        return baseVersion;
    }

    boolean dirty() {
        return current != saved;
    }

    boolean canUndo() {
        return !undo.isEmpty();
    }

    boolean canRedo() {
        return !redo.isEmpty();
    }

    String undoText() {
        return undo.isEmpty() ? "" : undo.peek().what();
    }

    String redoText() {
        return redo.isEmpty() ? "" : redo.peek().what();
    }

    /** Makes {@code next} the current examples (one undo step); a new change forgets what could be redone. */
    void change(List<DatasetExample> next, String what) {
        undo.push(new Step(current, what));
        if (undo.size() > HISTORY) {
            undo.removeLast();
        }
        redo.clear();
        current = List.copyOf(next);
    }

    void undo() {
        if (!undo.isEmpty()) {
            Step s = undo.pop();
            redo.push(new Step(current, s.what()));
            current = s.before();
        }
    }

    void redo() {
        if (!redo.isEmpty()) {
            Step s = redo.pop();
            undo.push(new Step(current, s.what()));
            current = s.before();
        }
    }

    /** The examples {@code examples} were saved as {@code version}: they are the new clean state. */
    void saved(List<DatasetExample> examples, int version) {
        saved = examples;
        baseVersion = version;
    }
}
