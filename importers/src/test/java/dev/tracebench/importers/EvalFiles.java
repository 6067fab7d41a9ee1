package dev.tracebench.importers;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.importers.common.RecordingSession;
import dev.tracebench.importers.evaltable.ColumnMapping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading eval files as an import would (recognition, the format's reader, the shared checks) into a recording session,
 * and reading them a second, independent way (Jackson's tree) to compute what the tests expect.
 */
public final class EvalFiles {
    /** Jackson's tree reader, taking NaN as Python writes it. */
    public static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private EvalFiles() {
    }

    /** An eval fixture of the test resources ({@code evals/...}). */
    public static Path fixture(String relative) {
        try {
            return Path.of(EvalFiles.class.getResource("/evals/" + relative).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing fixture " + relative, e);
        }
    }

    /** Reads {@code file} as an import recognises it. */
    public static RecordingSession read(Path file) throws IOException {
        return read(file, null);
    }

    /** Reads {@code file} with a column mapping ({@code --map} syntax), or none if null. */
    public static RecordingSession read(Path file, String mapping) throws IOException {
        RecordingSession s = new RecordingSession();
        FileImportService.readInto(file, null, mapping == null ? null : ColumnMapping.parse(mapping), s);
        return s;
    }

    /** The results recorded, without their runs. */
    public static List<EvalResultData> results(RecordingSession s) {
        List<EvalResultData> out = new ArrayList<>();
        s.evalResults().forEach(r -> out.add(r.data()));
        return out;
    }

    /** The whole file as a Jackson tree. */
    public static JsonNode tree(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each line of a JSON Lines file as a Jackson tree. */
    public static List<JsonNode> lines(Path file) {
        try {
            List<JsonNode> out = new ArrayList<>();
            for (String l : Files.readAllLines(file)) {
                if (!l.isBlank()) {
                    out.add(JSON.readTree(l));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A number of a tree, or null for a missing or null node. */
    public static Double num(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : n.asDouble();
    }

    /** A text of a tree, or null for a missing or null node. */
    public static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : n.asText();
    }
}
