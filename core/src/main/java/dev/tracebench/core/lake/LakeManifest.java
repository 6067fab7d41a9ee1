package dev.tracebench.core.lake;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code _tracebench_lake.json}, at the root of a lake: what the lake holds and how to read it. The schema version is
 * the workspace schema version whose tables and columns the lake's files have ({@code Workspace.SCHEMA_VERSION} when
 * written). Every export adds an entry to {@code exports}; {@code next_ids} are the offsets the next append adds to
 * the workspace-local ids ({@code import_id}, {@code run_id}, {@code result_id}, {@code span_row}) so that appended
 * workspaces do not collide.
 *
 * @param format always {@value #FORMAT}
 * @param tables per table: its partition keys, row count and the columns of its files with their DuckDB types
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LakeManifest(String format, int schemaVersion, String createdBy, String createdAt, String updatedAt,
        List<Table> tables, List<Export> exports, Map<String, Long> nextIds) {

    public static final String FILE_NAME = "_tracebench_lake.json";
    public static final String FORMAT = "tracebench-lake";

    /** One table: {@code rows} over all its files, the columns of its files (partition keys not included). */
    public record Table(String name, List<String> partitionBy, long rows, List<Column> columns) { }

    public record Column(String name, String type) { }

    /** One export into the lake: when, by what, from which workspace (its file name), the rows it added. */
    public record Export(String at, String createdBy, String workspace, Map<String, Long> rows) { }

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** True if {@code dir} is a folder with a lake manifest. */
    public static boolean isLake(Path dir) {
        return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve(FILE_NAME));
    }

    /** The table entry named {@code name}, or null. */
    public Table table(String name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
    }

    /** Row counts per table, in the manifest's order. */
    public Map<String, Long> rowCounts() {
        Map<String, Long> rows = new LinkedHashMap<>();
        tables.forEach(t -> rows.put(t.name(), t.rows()));
        return rows;
    }

    /**
     * Reads the manifest of the lake at {@code dir}.
     *
     * @throws LakeException naming the file and what is wrong with it
     */
    public static LakeManifest read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        LakeManifest m;
        try {
            m = JSON.readValue(Files.readAllBytes(file), LakeManifest.class);
        } catch (NoSuchFileException e) {
            throw new LakeException(dir + " is not a Tracebench trace lake: it has no " + FILE_NAME + ".");
        } catch (JsonProcessingException e) {
            throw new LakeException(file + " is not a valid lake manifest: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw new LakeException("Cannot read " + file + ": " + e.getMessage());
        }
        if (!FORMAT.equals(m.format()) || m.tables() == null || m.schemaVersion() <= 0) {
            throw new LakeException(file + " is not a Tracebench lake manifest (it needs \"format\": \"" + FORMAT
                    + "\", a \"schema_version\" and \"tables\").");
        }
        return m;
    }

    /** Writes the manifest into {@code dir}: to a temporary file, then one atomic rename over the old one. */
    public void write(Path dir) throws IOException {
        Path tmp = dir.resolve("." + FILE_NAME + ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(this));
        Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
