package dev.tracebench.views.datasets;

import dev.tracebench.core.dataset.Dataset;
import dev.tracebench.core.dataset.DatasetDiff;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetService;
import dev.tracebench.core.dataset.DatasetVersion;
import dev.tracebench.core.dataset.Split;
import dev.tracebench.views.common.Background;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.LatestLoads;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/**
 * The Datasets area's state: the workspace's datasets; the selected one's examples as a {@link DatasetDraft} (edits
 * with undo and redo, kept until saved as a new version, and kept per dataset when another is selected, so switching
 * loses nothing); the filter over its examples; its versions, the diff of two of them and restore. Every call of
 * the {@link DatasetService} runs in the background. Used on the FX thread.
 */
public final class DatasetsViewModel {
    private final DatasetService service;
    private final Background background;
    private final LatestLoads listLoads;
    private final LatestLoads exampleLoads;
    private final LatestLoads versionLoads;
    private final LatestLoads diffLoads;
    private final Map<String, DatasetDraft> drafts = new HashMap<>();

    private final ObservableList<Dataset> datasets = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper listed = new ReadOnlyBooleanWrapper(this, "listed");
    private final ObjectProperty<String> selected = new SimpleObjectProperty<>(this, "selected");
    private final ObservableList<DatasetExample> examples = FXCollections.observableArrayList();
    private final FilteredList<DatasetExample> shown = new FilteredList<>(examples);
    private final ObjectProperty<ExampleFilter> filter = new SimpleObjectProperty<>(this, "filter",
            ExampleFilter.NONE);
    private final ObservableList<String> tags = FXCollections.observableArrayList();
    private final ObservableList<DatasetVersion> versions = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<DatasetDiff> diff = new ReadOnlyObjectWrapper<>(this, "diff");
    private final ReadOnlyStringWrapper diffStatus = new ReadOnlyStringWrapper(this, "diffStatus", "");
    private final ReadOnlyBooleanWrapper dirty = new ReadOnlyBooleanWrapper(this, "dirty");
    private final ReadOnlyBooleanWrapper canUndo = new ReadOnlyBooleanWrapper(this, "canUndo");
    private final ReadOnlyBooleanWrapper canRedo = new ReadOnlyBooleanWrapper(this, "canRedo");
    private final ReadOnlyStringWrapper undoText = new ReadOnlyStringWrapper(this, "undoText", "");
    private final ReadOnlyStringWrapper redoText = new ReadOnlyStringWrapper(this, "redoText", "");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
    private final ReadOnlyBooleanWrapper saving = new ReadOnlyBooleanWrapper(this, "saving");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper count = new ReadOnlyStringWrapper(this, "count", "");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private final StringProperty workspaceName = new SimpleStringProperty(this, "workspaceName", "");
    private String wanted;
    private LatestLoads.Ticket listTicket;
    private LatestLoads.Ticket exampleTicket;
    private LatestLoads.Ticket versionTicket;

    public DatasetsViewModel(DatasetService service, Background background) {
        this.service = service;
        this.background = background;
        this.listLoads = new LatestLoads(background);
        this.exampleLoads = new LatestLoads(background);
        this.versionLoads = new LatestLoads(background);
        this.diffLoads = new LatestLoads(background);
        selected.addListener((o, a, b) -> showSelected());
        filter.addListener((o, a, b) -> {
            shown.setPredicate(b == null || b.isEmpty() ? null : b);
            countStatus();
        });
    }

    public DatasetService service() {
        return service;
    }

    public Background background() {
        return background;
    }

    /** The workspace file's name, for the provenance of examples reviewed here. */
    public StringProperty workspaceNameProperty() {
        return workspaceName;
    }

    /** Every dataset of the workspace, by name. */
    public ObservableList<Dataset> datasets() {
        return datasets;
    }

    /** True once the datasets were listed (an empty list then means: none yet). */
    public ReadOnlyBooleanProperty listedProperty() {
        return listed.getReadOnlyProperty();
    }

    /** The name of the dataset shown (null: none). */
    public ObjectProperty<String> selectedProperty() {
        return selected;
    }

    /** The selected dataset's examples as edited so far (the draft). */
    public ObservableList<DatasetExample> examples() {
        return examples;
    }

    /** The examples the filter lets through, in order. */
    public ObservableList<DatasetExample> shown() {
        return shown;
    }

    public ObjectProperty<ExampleFilter> filterProperty() {
        return filter;
    }

    /** Sets the filter: text, tags (any of them), split (null: any). */
    public void filter(String text, Set<String> tagSet, Split split) {
        filter.set(new ExampleFilter(text, tagSet, split));
    }

    /** The tags the draft's examples carry. */
    public ObservableList<String> tags() {
        return tags;
    }

    /** The selected dataset's versions, oldest first. */
    public ObservableList<DatasetVersion> versions() {
        return versions;
    }

    public ReadOnlyObjectProperty<DatasetDiff> diffProperty() {
        return diff.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty diffStatusProperty() {
        return diffStatus.getReadOnlyProperty();
    }

    /** The selected dataset has changes not saved as a version. */
    public ReadOnlyBooleanProperty dirtyProperty() {
        return dirty.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canUndoProperty() {
        return canUndo.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canRedoProperty() {
        return canRedo.getReadOnlyProperty();
    }

    /** What Undo would undo, in words. */
    public ReadOnlyStringProperty undoTextProperty() {
        return undoText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty redoTextProperty() {
        return redoText.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty savingProperty() {
        return saving.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** How many examples the filter shows: "120 examples", "12 of 120 examples". */
    public ReadOnlyStringProperty countProperty() {
        return count.getReadOnlyProperty();
    }

    /** A failure in the user's words; empty otherwise. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** Says what just happened in the status line (an export, an import). */
    public void note(String text) {
        status.set(text);
    }

    /** The datasets with changes not saved as a version, by name (the shell asks before they are dropped). */
    public List<String> unsaved() {
        return drafts.values().stream().filter(DatasetDraft::dirty).map(DatasetDraft::name).sorted().toList();
    }

    /** Whether a dataset other than the shown one has unsaved changes too (named in the list with a mark). */
    public boolean isDirty(String name) {
        DatasetDraft d = drafts.get(name);
        return d != null && d.dirty();
    }

    /** The draft's base version (what it was loaded from or last saved as; 0 before loading). */
    public int baseVersion() {
        DatasetDraft d = draft();
        return d == null ? 0 : d.baseVersion();
    }

    // ------------------------------------------------------------------ loading

    /**
     * Lists the datasets (the area's first show, and after every workspace change); the selection is kept by name.
     * Drafts with unsaved changes are kept; clean ones are loaded again when a newer version was saved meanwhile.
     */
    public void load() {
        LatestLoads.Ticket t = listTicket = listLoads.next();
        problem.set("");
        t.run(service::datasets, list -> {
            updateLoading();
            datasets.setAll(list);
            listed.set(true);
            // a clean draft of a dataset saved elsewhere since (the CLI, a review queue) is read again; one still at
            // the latest version keeps its undo history
            Map<String, Integer> latest = new HashMap<>();
            list.forEach(d -> latest.put(d.name(), d.latestVersion()));
            drafts.values().removeIf(d -> !d.dirty() && latest.getOrDefault(d.name(), -1) != d.baseVersion());
            String keep = wanted != null ? wanted : selected.get();
            wanted = null;
            boolean present = keep != null && (list.stream().anyMatch(d -> d.name().equals(keep))
                    || drafts.containsKey(keep));
            String pick = present ? keep : list.isEmpty() ? null : list.get(0).name();
            if (pick != null && pick.equals(selected.get())) {
                showSelected();
            } else {
                selected.set(pick);
            }
        }, this::failed);
        updateLoading();
    }

    /** Selects {@code name} once the datasets are next listed (one just saved elsewhere). */
    public void selectWhenListed(String name) {
        wanted = name;
    }

    private void showSelected() {
        String name = selected.get();
        diffLoads.cancel();
        diff.set(null);
        diffStatus.set("");
        if (name == null) {
            exampleLoads.cancel();
            versionLoads.cancel();
            examples.clear();
            versions.clear();
            updateDraftState();
            return;
        }
        loadVersions(name);
        DatasetDraft d = drafts.get(name);
        if (d != null) {
            exampleLoads.cancel();
            showDraft();
            return;
        }
        examples.clear();
        updateDraftState();
        LatestLoads.Ticket t = exampleTicket = exampleLoads.next();
        status.set("Loading " + name + "…");
        t.run(() -> new Loaded(service.examples(name, 0), latest(name)), l -> {
            updateLoading();
            drafts.put(name, new DatasetDraft(name, l.examples(), l.version()));
            if (name.equals(selected.get())) {
                status.set("");
                showDraft();
            }
        }, this::failed);
        updateLoading();
    }

    private record Loaded(List<DatasetExample> examples, int version) {
    }

    private int latest(String name) {
        return service.dataset(name).map(Dataset::latestVersion).orElse(0);
    }

    private void loadVersions(String name) {
        LatestLoads.Ticket t = versionTicket = versionLoads.next();
        t.run(() -> service.versions(name), v -> {
            updateLoading();
            versions.setAll(v);
        }, this::failed);
        updateLoading();
    }

    private DatasetDraft draft() {
        return selected.get() == null ? null : drafts.get(selected.get());
    }

    private void showDraft() {
        DatasetDraft d = draft();
        examples.setAll(d == null ? List.of() : d.examples());
        tags.setAll(d == null ? List.of() : ExampleFilter.tagsOf(d.examples()));
        updateDraftState();
        countStatus();
    }

    private void countStatus() {
        if (draft() == null) {
            count.set("");
            return;
        }
        int n = examples.size();
        int m = shown.size();
        count.set(m == n ? Format.count(n) + " example" + (n == 1 ? "" : "s")
                : Format.count(m) + " of " + Format.count(n) + " examples");
    }

    private void updateDraftState() {
        DatasetDraft d = draft();
        dirty.set(d != null && d.dirty());
        canUndo.set(d != null && d.canUndo());
        canRedo.set(d != null && d.canRedo());
        undoText.set(d == null ? "" : d.undoText());
        redoText.set(d == null ? "" : d.redoText());
        updateLoading();
    }

    // ------------------------------------------------------------------ editing

    /** Replaces the example with {@code after}'s id by {@code after} (one undo step; nothing when unchanged). */
    public void edit(DatasetExample after, String what) {
        DatasetDraft d = draft();
        if (d == null) {
            return;
        }
        List<DatasetExample> list = d.examples();
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).id().equals(after.id())) {
                if (list.get(i).equals(after)) {
                    return;
                }
                List<DatasetExample> next = new ArrayList<>(list);
                next.set(i, after);
                d.change(next, what);
                examples.set(i, after); // one row changes: the table keeps its selection and scroll
                if (!tags.containsAll(after.tags())) {
                    tags.setAll(ExampleFilter.tagsOf(next));
                }
                updateDraftState();
                return;
            }
        }
    }

    /** Replaces all the examples (a merge, a sample, added examples): one undo step. */
    public void change(List<DatasetExample> next, String what) {
        DatasetDraft d = draft();
        if (d == null) {
            return;
        }
        d.change(next, what);
        showDraft();
    }

    /** Adds an empty example with a fresh id; returns it (null when no dataset is shown). */
    public DatasetExample addExample() {
        DatasetDraft d = draft();
        if (d == null) {
            return null;
        }
        DatasetExample e = DatasetExample.of(freshIds(d.examples(), 1).get(0), "", "");
        List<DatasetExample> next = new ArrayList<>(d.examples());
        next.add(e);
        change(next, "add " + e.id());
        return e;
    }

    /** Removes the examples with these ids (one undo step). */
    public void remove(Set<String> ids) {
        DatasetDraft d = draft();
        if (d == null || ids.isEmpty()) {
            return;
        }
        change(d.examples().stream().filter(e -> !ids.contains(e.id())).toList(),
                "remove " + (ids.size() == 1 ? ids.iterator().next() : ids.size() + " examples"));
    }

    public void undo() {
        DatasetDraft d = draft();
        if (d != null && d.canUndo()) {
            d.undo();
            showDraft();
        }
    }

    public void redo() {
        DatasetDraft d = draft();
        if (d != null && d.canRedo()) {
            d.redo();
            showDraft();
        }
    }

    /** Forgets the unsaved changes of the shown dataset and loads its latest version again. */
    public void discard() {
        String name = selected.get();
        if (name != null) {
            drafts.remove(name);
            showSelected();
        }
    }

    /** {@code n} example ids ("ex-0001"…) that none of {@code examples} uses, counting on from the highest. */
    static List<String> freshIds(List<DatasetExample> examples, int n) {
        Set<String> used = new HashSet<>();
        int next = 1;
        for (DatasetExample e : examples) {
            used.add(e.id());
            if (e.id().matches("ex-\\d{1,9}")) {
                next = Math.max(next, Integer.parseInt(e.id().substring(3)) + 1);
            }
        }
        List<String> out = new ArrayList<>();
        while (out.size() < n) {
            String id = String.format(java.util.Locale.ROOT, "ex-%04d", next++);
            if (!used.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ versions

    /**
     * Saves the shown dataset's draft as a new version with {@code message}; then {@code onSaved} on the FX thread.
     * Edits made while it saves stay in the draft, unsaved.
     */
    public void save(String message, Consumer<DatasetVersion> onSaved) {
        DatasetDraft d = draft();
        if (d == null || saving.get()) {
            return;
        }
        List<DatasetExample> snapshot = d.examples();
        String name = d.name();
        saving.set(true);
        status.set("Saving " + name + "…");
        background.run(() -> service.save(name, message, snapshot), v -> {
            saving.set(false);
            d.saved(snapshot, v.version());
            if (d == draft()) {
                updateDraftState();
            }
            status.set("Saved " + name + " version " + v.version() + " (" + Format.count(v.exampleCount())
                    + " examples)");
            wanted = name;
            onSaved.accept(v);
        }, t -> {
            saving.set(false);
            problem.set("Saving " + name + " failed: " + Background.message(t) + " (the changes are kept)");
        });
    }

    /** Creates a dataset (version 1, no examples) and selects it once listed; then {@code onCreated}. */
    public void create(String name, Consumer<DatasetVersion> onCreated) {
        background.run(() -> {
            if (service.dataset(name).isPresent()) {
                throw new IllegalArgumentException("a dataset named '" + name + "' exists already");
            }
            return service.save(name, "Created", List.of());
        }, v -> {
            wanted = name;
            onCreated.accept(v);
        }, t -> problem.set("Creating " + name + " failed: " + Background.message(t)));
    }

    /**
     * Saves version {@code version} of the shown dataset as its newest version (nothing is overwritten); the
     * shown dataset's unsaved changes are discarded (the view asks first). Then {@code onRestored}.
     */
    public void restore(int version, Consumer<DatasetVersion> onRestored) {
        String name = selected.get();
        if (name == null) {
            return;
        }
        saving.set(true);
        background.run(() -> service.restore(name, version), v -> {
            saving.set(false);
            drafts.remove(name);
            status.set("Restored version " + version + " of " + name + " as version " + v.version());
            wanted = name;
            onRestored.accept(v);
        }, t -> {
            saving.set(false);
            problem.set("Restoring version " + version + " failed: " + Background.message(t));
        });
    }

    /** Diffs version {@code a} with version {@code b} of the shown dataset (b's changes since a), in the background. */
    public void diff(int a, int b) {
        String name = selected.get();
        if (name == null) {
            return;
        }
        LatestLoads.Ticket t = diffLoads.next();
        diff.set(null);
        diffStatus.set("Comparing version " + a + " with version " + b + "…");
        t.run(() -> DatasetDiff.of(service.examples(name, a), service.examples(name, b)), x -> {
            diff.set(x);
            diffStatus.set("Version " + a + " → " + b + ": " + x.summary());
        }, e -> diffStatus.set("The diff failed: " + Background.message(e)));
    }

    /** Diffs the latest saved version with the draft's unsaved changes. */
    public void diffUnsaved() {
        DatasetDraft d = draft();
        if (d == null) {
            return;
        }
        String name = d.name();
        List<DatasetExample> now = d.examples();
        int base = d.baseVersion();
        LatestLoads.Ticket t = diffLoads.next();
        diff.set(null);
        diffStatus.set("Comparing the unsaved changes with version " + base + "…");
        t.run(() -> DatasetDiff.of(base == 0 ? List.of() : service.examples(name, base), now), x -> {
            diff.set(x);
            diffStatus.set("Unsaved changes against version " + base + ": " + x.summary());
        }, e -> diffStatus.set("The diff failed: " + Background.message(e)));
    }

    /** Stops what is loading (results still arriving are dropped). */
    public void cancel() {
        for (LatestLoads l : List.of(listLoads, exampleLoads, versionLoads, diffLoads)) {
            l.cancel();
        }
        updateLoading();
        status.set("Cancelled.");
    }

    private void updateLoading() {
        loading.set(busy(listTicket) || busy(exampleTicket) || busy(versionTicket));
    }

    private static boolean busy(LatestLoads.Ticket t) {
        return t != null && t.isCurrent() && t.pending() > 0;
    }

    private void failed(Throwable t) {
        updateLoading();
        problem.set("Datasets could not be loaded: " + Background.message(t));
    }
}
