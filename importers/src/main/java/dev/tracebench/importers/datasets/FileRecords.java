package dev.tracebench.importers.datasets;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracebench.importers.common.JsonErrors;
import dev.tracebench.importers.evaltable.CsvParser;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The records of a dataset file, whatever holds them: JSON Lines, one JSON document, CSV or YAML. Damaged records
 * are problems ("line 7: …") and the rest is read; a document that breaks off keeps what came before the break.
 */
public final class FileRecords {
    /** Keys under which one JSON or YAML document holds its list of records. */
    private static final List<String> LIST_KEYS = List.of("tests", "examples", "data", "items", "goldens",
            "samples");
    private static final Pattern YAML_KEY = Pattern.compile("^[A-Za-z_][\\w.-]*:(\\s.*)?$");

    public final Container container;
    public final List<Rec> records = new ArrayList<>();
    /** Records that could not be read, each at the record number it took (damage that ends reading comes last). */
    public final List<Problem> problems = new ArrayList<>();

    /** A record that could not be read: its number in the file, and where and why ("line 3: …; skipped"). */
    public record Problem(int number, String text) {
    }

    private FileRecords(Container container) {
        this.container = container;
    }

    /** How {@code text} holds its records ({@code fileName}'s extension decides for YAML against CSV). */
    public static Container container(String text, String fileName) {
        String t = text.strip();
        String lower = fileName.toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("[")) {
            return Container.JSON;
        }
        if (t.startsWith("{")) {
            int nl = t.indexOf('\n');
            String first = (nl < 0 ? t : t.substring(0, nl)).strip();
            return nl > 0 && first.endsWith("}") && parses(first) ? Container.JSON_LINES : Container.JSON;
        }
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            return Container.YAML;
        }
        for (String line : (Iterable<String>) t.lines()::iterator) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue; // YAML comments; a CSV does not start with one
            }
            return l.startsWith("- ") || l.equals("-") || YAML_KEY.matcher(l).matches() ? Container.YAML
                    : Container.CSV;
        }
        return Container.CSV;
    }

    private static boolean parses(String line) {
        try {
            return Fields.JSON.readTree(line).isObject();
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /** Reads the records of {@code text}. */
    public static FileRecords read(String text, Container container) {
        FileRecords f = new FileRecords(container);
        switch (container) {
            case JSON_LINES -> f.jsonLines(text);
            case JSON -> f.json(text);
            case CSV -> f.csv(text);
            case YAML -> f.yaml(text);
        }
        return f;
    }

    private int nextNumber() {
        return records.size() + problems.size() + 1;
    }

    private void add(String where, JsonNode node, boolean csv) {
        if (node instanceof ObjectNode o) {
            records.add(new Rec(nextNumber(), where, o, csv));
        } else {
            bad(where, "not an object (" + (node == null ? "nothing" : node.getNodeType().toString()
                    .toLowerCase(java.util.Locale.ROOT)) + ")");
        }
    }

    private void bad(String where, String reason) {
        problems.add(new Problem(nextNumber(), where + ": " + reason + "; skipped"));
    }

    /** Damage after which nothing more is read. */
    private void end(String text) {
        problems.add(new Problem(Integer.MAX_VALUE, text));
    }

    private void jsonLines(String text) {
        int line = 0;
        for (String l : (Iterable<String>) text.lines()::iterator) {
            line++;
            if (l.isBlank()) {
                continue;
            }
            try {
                add("line " + line, Fields.JSON.readTree(l), false);
            } catch (JsonProcessingException e) {
                bad("line " + line, JsonErrors.damaged(e, "line"));
            }
        }
    }

    private void json(String text) {
        try (JsonParser p = Fields.JSON.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT) {
                long line = p.currentTokenLocation().getLineNr();
                JsonNode doc = Fields.JSON.readTree(p);
                for (String key : LIST_KEYS) {
                    JsonNode list = doc.get(key);
                    if (list != null && list.isArray()) {
                        int i = 0;
                        for (JsonNode e : list) {
                            add(key + "[" + i++ + "]", e, false);
                        }
                        return;
                    }
                }
                add("line " + line, doc, false);
                return;
            }
            while ((t = p.nextToken()) != null && t != JsonToken.END_ARRAY) {
                long line = p.currentTokenLocation().getLineNr();
                add("line " + line, Fields.JSON.readTree(p), false);
            }
        } catch (JsonProcessingException e) {
            end(JsonErrors.where(0, e) + ": " + JsonErrors.damaged(e, "file") + "; nothing after it was read");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // reading a string
        }
    }

    private void csv(String text) {
        int nl = text.indexOf('\n');
        char delimiter = CsvParser.delimiter(nl < 0 ? text : text.substring(0, nl));
        CsvParser csv = new CsvParser(new StringReader(text), delimiter == 0 ? ',' : delimiter);
        try {
            List<String> header = csv.next();
            if (header == null) {
                return;
            }
            List<String> row;
            while (true) {
                try {
                    row = csv.next();
                } catch (CsvParser.Malformed e) {
                    bad("line " + e.line, e.getMessage()); // the rest of the file is inside the unclosed field
                    return;
                }
                if (row == null) {
                    return;
                }
                String where = "line " + csv.recordLine();
                if (row.size() == 1 && row.get(0).isBlank()) {
                    continue;
                }
                ObjectNode o = Fields.NODES.objectNode();
                int extra = 0;
                for (int i = 0; i < row.size(); i++) {
                    String name = i < header.size() ? header.get(i).strip() : "";
                    if (name.isEmpty()) {
                        extra += row.get(i).isEmpty() ? 0 : 1; // trailing empty columns are fine
                    } else if (!o.has(name)) {
                        o.put(name, row.get(i));
                    }
                }
                if (extra > 0) {
                    bad(where, "has " + row.size() + " fields but the header names " + header.stream()
                            .filter(h -> !h.isBlank()).count() + " columns");
                } else {
                    add(where, o, true);
                }
            }
        } catch (CsvParser.Malformed e) {
            bad("line " + e.line, e.getMessage());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // reading a string
        }
    }

    private void yaml(String text) {
        // snakeyaml's default limit (3 MB) is for untrusted documents; a test file of thousands of cases is larger
        LoadSettings settings = LoadSettings.builder().setUseMarks(true).setCodePointLimit(Integer.MAX_VALUE).build();
        Object doc;
        Optional<Node> root;
        try {
            root = new Compose(settings).composeString(text); // the nodes know their lines
            doc = new StandardConstructor(settings).constructSingleDocument(root);
        } catch (YamlEngineException e) {
            String m = e.getMessage() == null ? "" : e.getMessage().strip();
            end("the YAML cannot be read: " + m.lines().findFirst().orElse(m) + "; nothing was read");
            return;
        }
        List<?> items;
        Node listNode = root.orElse(null);
        if (doc instanceof List<?> l) {
            items = l;
        } else if (doc instanceof Map<?, ?> m && m.get("tests") instanceof List<?> l) {
            items = l;
            listNode = valueOf(listNode, "tests");
        } else if (doc instanceof Map<?, ?> m && m.containsKey("tests")) {
            end("its tests are not a list in this file (" + m.get("tests") + "); nothing was read");
            return;
        } else {
            end("is YAML but neither a list of tests nor a promptfoo config with tests; nothing was read");
            return;
        }
        List<Node> itemNodes = listNode instanceof SequenceNode s ? s.getValue() : List.of();
        for (int i = 0; i < items.size(); i++) {
            String where = i < itemNodes.size() && itemNodes.get(i).getStartMark().isPresent()
                    ? "line " + (itemNodes.get(i).getStartMark().get().getLine() + 1) : "tests[" + i + "]";
            add(where, Fields.JSON.valueToTree(items.get(i)), false);
        }
    }

    private static Node valueOf(Node mapping, String key) {
        if (mapping instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key)) {
                    return t.getValueNode();
                }
            }
        }
        return null;
    }
}
