package dev.tracebench.importers.promptfoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracebench.core.dataset.ChatMessage;
import dev.tracebench.core.dataset.DatasetExample;
import dev.tracebench.core.dataset.DatasetFiles.DatasetFormatException;
import dev.tracebench.importers.datasets.BadRecord;
import dev.tracebench.importers.datasets.Container;
import dev.tracebench.importers.datasets.DatasetCodec;
import dev.tracebench.importers.datasets.ExampleBuilder;
import dev.tracebench.importers.datasets.Fields;
import dev.tracebench.importers.datasets.Rec;
import dev.tracebench.importers.datasets.Shape;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * promptfoo test cases: YAML (a list of tests, or a {@code promptfooconfig.yaml} with {@code tests}), JSON, or CSV
 * (one column per var, {@code __expected}/{@code __expectedN} assertions written as {@code type: value},
 * {@code __description}, {@code __metadata:key}). The question is the var named as people name it (else the only
 * var), passages the {@code context} var, the golden answer the value of the first assertion that compares with one
 * (equals, factuality, similar, contains, ...); other vars and assertions are kept in the metadata. Written as YAML:
 * {@code description} (the id), {@code vars}, {@code assert} (a {@code factuality} check against the expected output
 * unless the example came with another type) and {@code metadata}.
 */
public final class PromptfooTests implements DatasetCodec {
    /** Assertion types whose value is a golden answer, in the order one is taken as the expected output. */
    private static final List<String> EXPECTED_TYPES = List.of("equals", "factuality", "similar",
            "model-graded-closedqa", "levenshtein", "rouge-n", "bleu", "contains", "icontains", "starts-with");
    /** What an example's expected output is checked with when it says nothing else. */
    private static final String DEFAULT_TYPE = "factuality";
    /** Assertion types in promptfoo's CSV {@code __expected} syntax ({@code type}, {@code type(threshold)}). */
    private static final Pattern ASSERTION = Pattern.compile("^(not-)?(equals|contains-any|contains-all|"
            + "icontains-any|icontains-all|contains-json|contains-html|contains-sql|contains-xml|is-json|is-html|"
            + "is-sql|is-xml|is-valid-openai-tools-call|is-valid-function-call|regex|icontains|contains|webhook|"
            + "rouge-n|similar|starts-with|levenshtein|bleu|meteor|gleu|perplexity|perplexity-score|cost|latency|"
            + "classifier|answer-relevance|context-faithfulness|context-recall|context-relevance|factuality|"
            + "model-graded-closedqa|model-graded-factuality|g-eval|llm-rubric|moderation|finish-reason|"
            + "is-refusal|select-best|human)(?:\\((\\d+(?:\\.\\d+)?)\\))?(?::([\\s\\S]*))?$");
    private static final Set<String> LIST_TYPES = Set.of("contains-any", "contains-all", "icontains-any",
            "icontains-all");

    @Override
    public String id() {
        return "promptfoo";
    }

    @Override
    public String displayName() {
        return "promptfoo tests";
    }

    @Override
    public int sniff(Shape shape) {
        if (shape.container() == Container.YAML) {
            return shape.hasAny("vars", "assert", "description") ? 90 : 40;
        }
        if (shape.container() == Container.CSV) {
            return shape.hasPrefix("__expected") || shape.hasPrefix("__metadata:") || shape.has("__description")
                    ? 90 : 0;
        }
        return shape.has("vars") && (shape.isObject("vars") || shape.has("assert")) ? 90 : 0;
    }

    @Override
    public RecordReader reader(Shape shape, Map<String, String> mapping) throws DatasetFormatException {
        return PromptfooTests::read;
    }

    private static void read(Rec rec, ExampleBuilder b) throws BadRecord {
        ObjectNode vars = Fields.NODES.objectNode();
        ArrayNode asserts = Fields.NODES.arrayNode();
        ObjectNode o = rec.fields();
        if (rec.csv()) {
            for (var e : o.properties()) {
                String k = e.getKey();
                String v = e.getValue().asText();
                if (k.startsWith("__expected")) {
                    if (!v.isBlank()) {
                        asserts.add(assertion(v));
                    }
                } else if (k.equals("__description")) {
                    b.id = v;
                } else if (k.startsWith("__metadata:")) {
                    String key = k.substring("__metadata:".length());
                    JsonNode value = key.endsWith("[]") ? Fields.array(splitEscaped(v)) : e.getValue();
                    key = key.endsWith("[]") ? key.substring(0, key.length() - 2) : key;
                    if (!b.curationField(key, value, false)) {
                        b.meta(key, value);
                    }
                } else if (k.startsWith("__")) {
                    b.meta(k.substring(2), e.getValue());
                } else {
                    vars.set(k, e.getValue());
                }
            }
        } else {
            for (var e : o.properties()) {
                JsonNode v = e.getValue();
                switch (e.getKey()) {
                    case "vars" -> {
                        if (!v.isObject()) {
                            throw new BadRecord("its vars are not a map (" + Fields.text(v) + "); vars read from "
                                    + "another file are not followed");
                        }
                        vars.setAll((ObjectNode) v);
                    }
                    case "assert" -> {
                        if (v.isArray()) {
                            asserts.addAll((ArrayNode) v);
                        } else if (!v.isNull()) {
                            throw new BadRecord("'assert' is not a list");
                        }
                    }
                    case "description" -> b.id = Fields.text(v);
                    case "metadata" -> b.curation(v, false, "");
                    default -> b.meta(e.getKey(), v);
                }
            }
        }
        vars(vars, b);
        ArrayNode others = Fields.NODES.arrayNode();
        for (JsonNode a : asserts) {
            String type = Fields.text(a.get("type"));
            JsonNode value = a.get("value");
            if (b.expected.isEmpty() && EXPECTED_TYPES.contains(type) && value != null && value.isValueNode()
                    && !Fields.text(value).isEmpty()) {
                b.expected = Fields.text(value);
                if (!type.equals(DEFAULT_TYPE)) {
                    b.metadata.put("expected_assert", type);
                }
            } else {
                others.add(a);
            }
        }
        if (!others.isEmpty()) {
            b.meta("assert", others);
        }
    }

    /** The question, passages and (as a conversation) messages from the vars; the other vars go to the metadata. */
    private static void vars(ObjectNode vars, ExampleBuilder b) throws BadRecord {
        if (vars.isEmpty()) {
            throw new BadRecord("no vars (a test needs at least the question)");
        }
        String input = Fields.find(vars, Fields.INPUT);
        if (input == null) {
            input = vars.fieldNames().next(); // the only var, else the first
        }
        String context = Fields.find(vars, Fields.CONTEXT);
        for (var e : vars.properties()) {
            String k = e.getKey();
            List<ChatMessage> chat = k.equals("messages") ? Fields.messages(e.getValue(), true) : null;
            if (k.equals(input)) {
                b.input = Fields.text(e.getValue());
            } else if (k.equals(context)) {
                b.context = Fields.list(e.getValue(), false, null);
            } else if (chat != null) {
                b.messages = chat;
            } else {
                b.meta("vars." + k, e.getValue());
            }
        }
    }

    /** An assertion as promptfoo reads a CSV {@code __expected} cell (javascript:, grade:, python:, type:value). */
    static ObjectNode assertion(String text) {
        ObjectNode a = Fields.NODES.objectNode();
        for (String js : List.of("javascript:", "fn:", "eval:")) {
            if (text.startsWith(js)) {
                return a.put("type", "javascript").put("value", text.substring(js.length()).strip());
            }
        }
        if (text.startsWith("grade:") || text.startsWith("llm-rubric:")) {
            return a.put("type", "llm-rubric").put("value", text.substring(text.indexOf(':') + 1));
        }
        if (text.startsWith("python:")) {
            return a.put("type", "python").put("value", text.substring("python:".length()).strip());
        }
        Matcher m = ASSERTION.matcher(text);
        if (!m.matches()) {
            return a.put("type", "equals").put("value", text);
        }
        String type = (m.group(1) == null ? "" : m.group(1)) + m.group(2);
        a.put("type", type);
        if (m.group(4) != null) {
            String value = m.group(4).strip();
            if (LIST_TYPES.contains(m.group(2))) {
                a.set("value", Fields.array(List.of(value.split("\\s*,\\s*"))));
            } else {
                a.put("value", value);
            }
        }
        if (m.group(3) != null) {
            a.put("threshold", Double.parseDouble(m.group(3)));
        }
        return a;
    }

    /** A {@code __metadata:key[]} cell: values separated by commas, {@code \,} a comma inside a value. */
    private static List<String> splitEscaped(String cell) {
        List<String> out = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (c == '\\' && i + 1 < cell.length() && cell.charAt(i + 1) == ',') {
                sb.append(',');
                i++;
            } else if (c == ',') {
                out.add(sb.toString().strip());
                sb.setLength(0);
            } else {
                sb.append(c);
            }
        }
        out.add(sb.toString().strip());
        out.removeIf(String::isEmpty);
        return out;
    }

    @Override
    public void write(List<DatasetExample> examples, Writer out, String fileName) throws IOException {
        List<Object> tests = new ArrayList<>();
        for (DatasetExample e : examples) {
            ObjectNode t = Fields.NODES.objectNode().put("description", e.id());
            ObjectNode vars = t.putObject("vars").put("question", e.input());
            if (!e.context().isEmpty()) {
                // one string: promptfoo runs a test once per item of a list var
                vars.put("context", String.join("\n\n", e.context()));
            }
            if (!e.messages().isEmpty()) {
                vars.put("messages", Fields.messagesJson(e.messages()).toString());
            }
            e.metadata().forEach((k, v) -> {
                if (k.startsWith("vars.")) {
                    vars.set(k.substring(5), Fields.metaValue(v));
                }
            });
            ArrayNode asserts = Fields.NODES.arrayNode();
            if (!e.expectedOutput().isEmpty()) {
                asserts.addObject().put("type", e.metadata().getOrDefault("expected_assert", DEFAULT_TYPE))
                        .put("value", e.expectedOutput());
            }
            if (Fields.metaValue(e.metadata().getOrDefault("assert", "")) instanceof ArrayNode more) {
                asserts.addAll(more);
            }
            if (!asserts.isEmpty()) {
                t.set("assert", asserts);
            }
            ObjectNode meta = ExampleBuilder.curationJson(e, Fields.NODES.objectNode());
            Fields.metaJson(e.metadata(), "assert", "expected_assert").properties().forEach(m -> {
                if (!m.getKey().startsWith("vars.")) {
                    meta.set(m.getKey(), m.getValue());
                }
            });
            if (!meta.isEmpty()) {
                t.set("metadata", meta);
            }
            tests.add(Fields.JSON.convertValue(t, Object.class));
        }
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(2)
                .setIndicatorIndent(2).setIndentWithIndicator(true).setSplitLines(false).build();
        out.write("# promptfoo test cases written by Tracebench; use them with  tests: file://" + fileName + "\n");
        out.write(new Dump(settings).dumpToString(tests));
    }
}
