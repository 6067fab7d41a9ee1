package dev.tracebench.app.cli;

import dev.tracebench.core.dataset.ChatMessage;
import dev.tracebench.core.dataset.Dataset;
import dev.tracebench.core.dataset.DatasetDiff;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetVersion;
import dev.tracebench.core.report.Table;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The tables of the dataset commands ({@code dataset list}, {@code show}, {@code diff}). Every text cell is masked
 * like the eval commands' ({@link EvalTables#masked}): examples carry prompts, answers and passages.
 */
final class DatasetTables {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private DatasetTables() {
    }

    static Table datasets(List<Dataset> datasets) {
        List<List<Object>> rows = new ArrayList<>();
        for (Dataset d : datasets) {
            rows.add(EvalTables.row(d.name(), d.latestVersion(), d.exampleCount(), time(d.created()),
                    time(d.updated()), d.acceptedRun() == 0 ? null : d.acceptedRun(), d.description()));
        }
        return EvalTables.masked(new Table(List.of("name", "version", "examples", "created", "updated",
                "accepted_run", "description"), rows));
    }

    static Table versions(List<DatasetVersion> versions) {
        List<List<Object>> rows = new ArrayList<>();
        for (DatasetVersion v : versions) {
            rows.add(EvalTables.row(v.version(), time(v.created()), v.exampleCount(), v.message()));
        }
        return EvalTables.masked(new Table(List.of("version", "created", "examples", "message"), rows));
    }

    static Table examples(List<DatasetExample> examples) {
        List<List<Object>> rows = new ArrayList<>();
        for (DatasetExample e : examples) {
            List<String> meta = new ArrayList<>();
            e.metadata().forEach((k, v) -> meta.add(k + ": " + v));
            rows.add(EvalTables.row(e.id(), e.input(), e.expectedOutput(), e.actualOutput(),
                    String.join(" | ", e.context()), messages(e.messages()), String.join(", ", e.tags()),
                    e.split().label(), e.difficulty(), e.notes(), String.join("; ", meta),
                    e.provenance().traceId(), e.provenance().source()));
        }
        return EvalTables.masked(new Table(List.of("id", "input", "expected_output", "actual_output", "context",
                "messages", "tags", "split", "difficulty", "notes", "metadata", "trace_id", "source"), rows));
    }

    /**
     * One row per changed field of the first {@code limit} examples the diff names (added, removed, then changed):
     * an added or removed example is one row with its input.
     */
    static Table changes(DatasetDiff diff, int limit) {
        List<List<Object>> rows = new ArrayList<>();
        int left = limit;
        for (DatasetExample e : diff.added()) {
            if (left-- <= 0) {
                break;
            }
            rows.add(EvalTables.row(e.id(), "added", "input", null, e.input()));
        }
        for (DatasetExample e : diff.removed()) {
            if (left-- <= 0) {
                break;
            }
            rows.add(EvalTables.row(e.id(), "removed", "input", e.input(), null));
        }
        for (DatasetDiff.Change c : diff.changed()) {
            if (left-- <= 0) {
                break;
            }
            for (DatasetDiff.FieldChange f : c.fields()) {
                rows.add(EvalTables.row(c.id(), "changed", f.field(), f.before(), f.after()));
            }
        }
        return EvalTables.masked(new Table(List.of("example", "change", "field", "before", "after"), rows));
    }

    private static String messages(List<ChatMessage> messages) {
        List<String> out = new ArrayList<>();
        for (ChatMessage m : messages) {
            out.add(m.role() + (m.name().isEmpty() ? "" : " (" + m.name() + ")") + ": " + m.content());
        }
        return String.join(" | ", out);
    }

    static String time(Instant t) {
        return t == null ? null : TIME.format(t);
    }
}
