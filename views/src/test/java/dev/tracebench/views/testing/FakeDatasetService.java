package dev.tracebench.views.testing;

import dev.tracebench.core.dataset.ChatMessage;
import dev.tracebench.core.dataset.Dataset;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetService;
import dev.tracebench.core.dataset.DatasetVersion;
import dev.tracebench.core.dataset.Provenance;
import dev.tracebench.core.dataset.Split;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An in-memory {@link DatasetService} for view tests: each save appends an immutable copy as the next version, with
 * the contract's checks (unique ids, a name). Thread-safe (views call it from background threads).
 */
public final class FakeDatasetService implements DatasetService {
    private final Map<String, List<DatasetVersion>> versions = new TreeMap<>();
    private final Map<String, List<List<DatasetExample>>> contents = new TreeMap<>();
    private final Map<String, String> descriptions = new TreeMap<>();
    private long clock = Instant.parse("2026-12-01T09:00:00Z").getEpochSecond();

    /** {@code n} generated examples: tags, splits and difficulties by id (see {@link #example}). */
    public static List<DatasetExample> generated(int n) {
        List<DatasetExample> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(example(i));
        }
        return out;
    }

    /**
     * Example {@code i}: "ex-%04d"; input "Question i about refunds" (i even) or "… about shipping"; tag "refund" when
     * i % 2 == 0, "edge" when i % 5 == 0; split test when i % 3 == 0 else train; difficulty hard when i % 7 == 0;
     * a trace id when i % 4 == 0.
     */
    public static DatasetExample example(int i) {
        List<String> tags = new ArrayList<>();
        if (i % 2 == 0) {
            tags.add("refund");
        }
        if (i % 5 == 0) {
            tags.add("edge");
        }
        Provenance p = i % 4 == 0 ? new Provenance("work.duckdb", String.format("%032x", i), 0x10 + i,
                Instant.parse("2026-11-30T12:00:00Z"), "cohort eval:groundedness=hallucinated")
                : Provenance.ofFile("goldens.jsonl record " + i, null);
        return new DatasetExample(String.format("ex-%04d", i), "Question " + i + " about "
                + (i % 2 == 0 ? "refunds" : "shipping"), List.<ChatMessage>of(), List.of("Passage " + i),
                "Answer " + i, "", Map.of(), tags, i % 3 == 0 ? Split.TEST : Split.TRAIN, i % 7 == 0 ? "hard" : "",
                "", p);
    }

    @Override
    public synchronized List<Dataset> datasets() {
        List<Dataset> out = new ArrayList<>();
        for (String name : versions.keySet()) {
            out.add(dataset(name).orElseThrow());
        }
        return out;
    }

    @Override
    public synchronized Optional<Dataset> dataset(String name) {
        List<DatasetVersion> v = versions.get(name);
        if (v == null) {
            return Optional.empty();
        }
        DatasetVersion last = v.get(v.size() - 1);
        return Optional.of(new Dataset(name, descriptions.getOrDefault(name, ""), last.version(), last.exampleCount(),
                v.get(0).created(), last.created(), 0));
    }

    @Override
    public synchronized List<DatasetVersion> versions(String name) {
        return List.copyOf(versions.getOrDefault(name, List.of()));
    }

    @Override
    public synchronized List<DatasetExample> examples(String name, int version) {
        List<List<DatasetExample>> c = contents.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no dataset '" + name + "'");
        }
        int v = version == 0 ? c.size() : version;
        if (v < 1 || v > c.size()) {
            throw new IllegalArgumentException(name + " has no version " + version);
        }
        return c.get(v - 1);
    }

    @Override
    public synchronized DatasetVersion save(String name, String message, List<DatasetExample> examples) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a dataset needs a name");
        }
        Set<String> ids = new HashSet<>();
        for (DatasetExample e : examples) {
            if (!ids.add(e.id())) {
                throw new IllegalArgumentException("example id '" + e.id() + "' is repeated");
            }
        }
        List<DatasetVersion> v = versions.computeIfAbsent(name, k -> new ArrayList<>());
        contents.computeIfAbsent(name, k -> new ArrayList<>()).add(List.copyOf(examples));
        DatasetVersion saved = new DatasetVersion(name, v.size() + 1, Instant.ofEpochSecond(clock += 3600), message,
                examples.size());
        v.add(saved);
        return saved;
    }

    @Override
    public synchronized void describe(String name, String description) {
        descriptions.put(name, description);
    }

    @Override
    public synchronized void delete(String name) {
        versions.remove(name);
        contents.remove(name);
    }

    @Override
    public void accept(String name, long runId) {
        throw new UnsupportedOperationException("the views accept no runs");
    }
}
