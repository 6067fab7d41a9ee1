package dev.tracebench.core.store;

import dev.tracebench.core.dataset.ChatMessage;
import dev.tracebench.core.dataset.Dataset;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetService;
import dev.tracebench.core.dataset.DatasetVersion;
import dev.tracebench.core.dataset.Provenance;
import dev.tracebench.core.dataset.Split;
import dev.tracebench.core.json.JsonTree;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * {@link DatasetService} over a DuckDB workspace. A version is a list of example revisions
 * ({@code dataset_version_examples}); a revision ({@code dataset_example_revisions}) is an example's content, stored
 * once per dataset under the hash of all its fields. Saving a version with a few changed examples therefore writes
 * only those examples' texts and one small membership row per example; restoring an old version writes membership
 * rows only. Every write is one transaction, and dataset writes of a workspace are serialised (the next version
 * number and the revisions already stored are read inside the transaction that writes after them).
 */
final class DuckDbDatasetService implements DatasetService {
    private final Workspace ws;

    DuckDbDatasetService(Workspace ws) {
        this.ws = ws;
    }

    // ------------------------------------------------------------------ reads

    @Override
    public List<Dataset> datasets() {
        return ws.read(c -> list(c, null));
    }

    @Override
    public Optional<Dataset> dataset(String name) {
        return ws.read(c -> list(c, name)).stream().findFirst();
    }

    private static List<Dataset> list(Connection c, String name) throws SQLException {
        List<Dataset> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(Query.DATASET_LIST.sql())) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Dataset(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4),
                            DuckDbEvalService.instant(rs.getObject(5)), DuckDbEvalService.instant(rs.getObject(6)),
                            rs.getLong(7)));
                }
            }
        }
        return out;
    }

    @Override
    public List<DatasetVersion> versions(String name) {
        return ws.read(c -> {
            List<DatasetVersion> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT v.version, v.created_at, v.message, "
                    + "v.example_count FROM dataset_versions v JOIN datasets d USING (dataset_id) WHERE d.name = ? "
                    + "ORDER BY v.version")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new DatasetVersion(name, rs.getInt(1), DuckDbEvalService.instant(rs.getObject(2)),
                                rs.getString(3), rs.getInt(4)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public List<DatasetExample> examples(String name, int version) {
        return ws.read(c -> {
            int[] idAndVersion = resolve(c, name, version);
            List<DatasetExample> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(Query.DATASET_EXAMPLES.sql())) {
                ps.setInt(1, idAndVersion[0]);
                ps.setInt(2, idAndVersion[1]);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(example(rs));
                    }
                }
            }
            return out;
        });
    }

    private static DatasetExample example(ResultSet rs) throws SQLException {
        long added = rs.getLong(15);
        Instant addedAt = rs.wasNull() ? null : Instant.ofEpochSecond(Math.floorDiv(added, 1_000_000L),
                Math.floorMod(added, 1_000_000L) * 1_000L);
        return new DatasetExample(rs.getString(1), rs.getString(2), messages(rs.getString(3)), strings(rs.getString(4)),
                rs.getString(5), rs.getString(6), metadata(rs.getString(7)), strings(rs.getString(8)),
                split(rs.getString(9)), rs.getString(10), rs.getString(11), new Provenance(rs.getString(12),
                        rs.getString(13), rs.getLong(14), addedAt, rs.getString(16)));
    }

    private static Split split(String label) {
        return switch (label) {
            case "" -> Split.NONE;
            case "train" -> Split.TRAIN;
            case "dev" -> Split.DEV;
            case "test" -> Split.TEST;
            default -> Split.parse(label);
        };
    }

    /**
     * The dataset's id and the version asked for (0: the latest), or an {@link IllegalArgumentException} naming what
     * does not exist.
     */
    private static int[] resolve(Connection c, String name, int version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT d.dataset_id, max(v.version) FROM datasets d "
                + "JOIN dataset_versions v USING (dataset_id) WHERE d.name = ? GROUP BY ALL")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException(noDataset(c, name));
                }
                int latest = rs.getInt(2);
                if (version < 0 || version > latest) {
                    throw new IllegalArgumentException("dataset '" + name + "' has no version " + version + " (it has "
                            + (latest == 1 ? "version 1" : "versions 1 to " + latest) + ")");
                }
                return new int[] {rs.getInt(1), version == 0 ? latest : version};
            }
        }
    }

    /** "no dataset 'x' (datasets: a, b)". */
    private static String noDataset(Connection c, String name) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name FROM datasets ORDER BY name LIMIT 11")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return "no dataset '" + name + "' (" + (names.isEmpty() ? "the workspace has no datasets"
                : "datasets: " + String.join(", ", names.subList(0, Math.min(10, names.size())))
                        + (names.size() > 10 ? ", ..." : "")) + ")";
    }

    // ------------------------------------------------------------------ writes

    @Override
    public DatasetVersion save(String name, String message, List<DatasetExample> examples) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a dataset needs a name");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < examples.size(); i++) {
            Integer before = seen.putIfAbsent(examples.get(i).id(), i);
            if (before != null) {
                throw new IllegalArgumentException("example id '" + examples.get(i).id() + "' appears more than once "
                        + "(examples " + (before + 1) + " and " + (i + 1) + "); ids must be unique within a dataset");
            }
        }
        String msg = message == null ? "" : message;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        int[] saved = new int[1];
        write("save dataset '" + name + "'", c -> {
            Integer id = datasetId(c, name);
            Set<UUID> known = new HashSet<>();
            if (id == null) {
                id = createDataset(c, name, now);
                saved[0] = 1;
            } else {
                saved[0] = latestVersion(c, id) + 1;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT revision FROM dataset_example_revisions WHERE dataset_id = ?")) {
                    ps.setInt(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            known.add((UUID) rs.getObject(1));
                        }
                    }
                }
            }
            stage(c.unwrap(DuckDBConnection.class), examples, known);
            try (PreparedStatement ps = c.prepareStatement(INSERT_REVISIONS)) {
                ps.setInt(1, id);
                ps.execute();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO dataset_version_examples "
                    + "SELECT ?, ?, position, revision FROM stg_dataset_examples")) {
                ps.setInt(1, id);
                ps.setInt(2, saved[0]);
                ps.execute();
            }
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE stg_dataset_examples");
            }
            insertVersion(c, id, saved[0], now, msg, examples.size());
        });
        return new DatasetVersion(name, saved[0], now, msg, examples.size());
    }

    /** An old version's revisions as the next version: no example text is written again. */
    @Override
    public DatasetVersion restore(String name, int version) {
        if (version < 1) {
            throw new IllegalArgumentException("versions count from 1: " + version);
        }
        String msg = "Restored version " + version;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        int[] saved = new int[2];
        write("restore dataset '" + name + "'", c -> {
            int id = resolve(c, name, version)[0];
            saved[0] = latestVersion(c, id) + 1;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO dataset_version_examples SELECT dataset_id, ?, "
                    + "position, revision FROM dataset_version_examples WHERE dataset_id = ? AND version = ?")) {
                ps.setInt(1, saved[0]);
                ps.setInt(2, id);
                ps.setInt(3, version);
                saved[1] = ps.executeUpdate();
            }
            insertVersion(c, id, saved[0], now, msg, saved[1]);
        });
        return new DatasetVersion(name, saved[0], now, msg, saved[1]);
    }

    @Override
    public void describe(String name, String description) {
        write("describe dataset '" + name + "'", c -> {
            requireDataset(c, name);
            try (PreparedStatement ps = c.prepareStatement("UPDATE datasets SET description = ? WHERE name = ?")) {
                ps.setString(1, description == null ? "" : description);
                ps.setString(2, name);
                ps.execute();
            }
        });
    }

    @Override
    public void delete(String name) {
        write("delete dataset '" + name + "'", c -> {
            int id = requireDataset(c, name);
            for (String table : List.of("dataset_version_examples", "dataset_versions", "dataset_example_revisions",
                    "datasets")) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE dataset_id = ?")) {
                    ps.setInt(1, id);
                    ps.execute();
                }
            }
        });
    }

    @Override
    public void accept(String name, long runId) {
        write("accept a run for dataset '" + name + "'", c -> {
            requireDataset(c, name);
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM eval_runs WHERE run_id = ?")) {
                ps.setLong(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        throw new IllegalArgumentException("no eval run " + runId);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE datasets SET accepted_run = ? WHERE name = ?")) {
                ps.setLong(1, runId);
                ps.setString(2, name);
                ps.execute();
            }
        });
    }

    /**
     * One transaction, serialised with the workspace's other dataset writes; a read-only workspace is refused with a
     * message saying what could not be done.
     */
    private void write(String what, Workspace.WriteWork work) {
        if (ws.isReadOnly()) {
            throw new WorkspaceException("Cannot " + what + ": workspace " + ws.path() + " is open read-only.");
        }
        synchronized (ws.datasetWrites) {
            ws.write(work);
        }
    }

    private static Integer datasetId(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT dataset_id FROM datasets WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    private static int requireDataset(Connection c, String name) throws SQLException {
        Integer id = datasetId(c, name);
        if (id == null) {
            throw new IllegalArgumentException(noDataset(c, name));
        }
        return id;
    }

    private static int createDataset(Connection c, String name, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO datasets SELECT nextval('dataset_id_seq'), ?, '', "
                + "to_timestamp(0) + to_microseconds(?), NULL RETURNING dataset_id")) {
            ps.setString(1, name);
            ps.setLong(2, micros(now));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static int latestVersion(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT coalesce(max(version), 0) FROM dataset_versions WHERE dataset_id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void insertVersion(Connection c, int id, int version, Instant now, String message, int count)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO dataset_versions VALUES (?, ?, "
                + "to_timestamp(0) + to_microseconds(?), ?, ?)")) {
            ps.setInt(1, id);
            ps.setInt(2, version);
            ps.setLong(3, micros(now));
            ps.setString(4, message);
            ps.setInt(5, count);
            ps.execute();
        }
    }

    /** Moves the new revisions' texts from the staging table into the workspace ($1: the dataset). */
    private static final String INSERT_REVISIONS = "INSERT INTO dataset_example_revisions SELECT ?, revision, "
            + "example_id, input, messages, from_json(context_json, '[\"VARCHAR\"]'), expected_output, actual_output, "
            + "metadata, from_json(tags_json, '[\"VARCHAR\"]'), split, difficulty, notes, prov_workspace, "
            + "prov_trace_id, prov_span_id, to_timestamp(0) + to_microseconds(added_us), prov_source "
            + "FROM stg_dataset_examples WHERE is_new";

    /**
     * Every example of the version into a staging table with DuckDB's Appender (no statement per row): its position
     * and revision, and the texts only of revisions the dataset does not hold yet. Lists go as JSON text, which
     * {@link #INSERT_REVISIONS} turns into arrays.
     */
    private static void stage(DuckDBConnection c, List<DatasetExample> examples, Set<UUID> known)
            throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE TEMP TABLE stg_dataset_examples (position INTEGER, revision UUID, "
                    + "is_new BOOLEAN, example_id VARCHAR, input VARCHAR, messages VARCHAR, context_json VARCHAR, "
                    + "expected_output VARCHAR, actual_output VARCHAR, metadata VARCHAR, tags_json VARCHAR, "
                    + "split VARCHAR, difficulty VARCHAR, notes VARCHAR, prov_workspace VARCHAR, "
                    + "prov_trace_id VARCHAR, prov_span_id BIGINT, added_us BIGINT, prov_source VARCHAR)");
        }
        MessageDigest sha = sha256();
        try (DuckDBAppender a = c.createAppender("temp", "main", "stg_dataset_examples")) {
            for (int i = 0; i < examples.size(); i++) {
                DatasetExample e = examples.get(i);
                Instant added = storedTime(e.provenance().addedAt());
                UUID rev = revision(sha, e, added);
                a.beginRow().append(i).appendUUID(rev.getMostSignificantBits(), rev.getLeastSignificantBits());
                if (!known.add(rev)) {
                    a.append(false);
                    for (int k = 0; k < 16; k++) {
                        a.appendNull();
                    }
                    a.endRow();
                    continue;
                }
                Provenance p = e.provenance();
                a.append(true).append(e.id()).append(e.input()).append(messagesJson(e.messages()))
                        .append(JsonTree.write(e.context())).append(e.expectedOutput()).append(e.actualOutput())
                        .append(e.metadata().isEmpty() ? null : JsonTree.write(e.metadata()))
                        .append(JsonTree.write(e.tags())).append(e.split().label()).append(e.difficulty())
                        .append(e.notes()).append(p.workspace()).append(p.traceId()).append(p.spanId())
                        .append(added == null ? null : micros(added)).append(p.source()).endRow();
            }
        }
    }

    // ------------------------------------------------------------------ content hash and encodings

    /**
     * The revision of an example: the first 128 bits of the SHA-256 of every field, each length-prefixed (so no two
     * different examples encode alike), the provenance time as stored.
     */
    static UUID revision(MessageDigest sha, DatasetExample e, Instant addedAt) {
        sha.reset();
        text(sha, e.id());
        text(sha, e.input());
        count(sha, e.messages().size());
        for (ChatMessage m : e.messages()) {
            text(sha, m.role());
            text(sha, m.content());
            text(sha, m.name());
        }
        count(sha, e.context().size());
        e.context().forEach(x -> text(sha, x));
        text(sha, e.expectedOutput());
        text(sha, e.actualOutput());
        count(sha, e.metadata().size());
        e.metadata().forEach((k, v) -> {
            text(sha, k);
            text(sha, v);
        });
        count(sha, e.tags().size());
        e.tags().forEach(x -> text(sha, x));
        text(sha, e.split().label());
        text(sha, e.difficulty());
        text(sha, e.notes());
        Provenance p = e.provenance();
        text(sha, p.workspace());
        text(sha, p.traceId());
        text(sha, Long.toString(p.spanId()));
        text(sha, addedAt == null ? "" : Long.toString(micros(addedAt)));
        text(sha, p.source());
        byte[] d = sha.digest();
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (d[i] & 0xff);
            lo = (lo << 8) | (d[8 + i] & 0xff);
        }
        return new UUID(hi, lo);
    }

    private static void text(MessageDigest sha, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        count(sha, b.length);
        sha.update(b);
    }

    private static void count(MessageDigest sha, int n) {
        sha.update((byte) (n >>> 24));
        sha.update((byte) (n >>> 16));
        sha.update((byte) (n >>> 8));
        sha.update((byte) n);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The time as the workspace keeps it: to the microsecond, years 1 to 9999 (else none). */
    private static Instant storedTime(Instant t) {
        return t == null || !EvalIngest.storable(t) ? null : t.truncatedTo(ChronoUnit.MICROS);
    }

    private static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    private static String messagesJson(List<ChatMessage> messages) {
        if (messages.isEmpty()) {
            return null;
        }
        List<Object> out = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("role", m.role());
            o.put("content", m.content());
            o.put("name", m.name());
            out.add(o);
        }
        return JsonTree.write(out);
    }

    private static List<ChatMessage> messages(String json) {
        if (json == null) {
            return List.of();
        }
        List<ChatMessage> out = new ArrayList<>();
        for (Object o : (List<?>) JsonTree.parse(json)) {
            Map<?, ?> m = (Map<?, ?>) o;
            out.add(new ChatMessage((String) m.get("role"), (String) m.get("content"), (String) m.get("name")));
        }
        return out;
    }

    private static Map<String, String> metadata(String json) {
        if (json == null) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        ((Map<?, ?>) JsonTree.parse(json)).forEach((k, v) -> out.put((String) k, (String) v));
        return out;
    }

    /** A JSON array of strings as DuckDB's {@code to_json} writes it. */
    private static List<String> strings(String json) {
        if (json.equals("[]")) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) JsonTree.parse(json)) {
            out.add((String) o);
        }
        return out;
    }
}
