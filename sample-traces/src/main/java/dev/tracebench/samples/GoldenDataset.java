package dev.tracebench.samples;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The hand-checked golden dataset over the knowledge base: 150 questions with the passages that answer them (none for
 * unanswerable ones), the expected answer, tags and difficulty. Shipped as {@code golden-dataset.jsonl}.
 */
public final class GoldenDataset {
    public record Example(String id, String question, List<String> referenceContextIds, String expectedAnswer,
            List<String> tags, String difficulty) {
    }

    public static final String RESOURCE = "golden-dataset.jsonl";
    private static final List<Example> EXAMPLES = load();

    private GoldenDataset() {
    }

    public static List<Example> examples() {
        return EXAMPLES;
    }

    private static List<Example> load() {
        JsonFactory json = new JsonFactory();
        List<Example> out = new ArrayList<>();
        try (InputStream in = GoldenDataset.class.getResourceAsStream(RESOURCE);
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String id = null;
                String q = null;
                String a = null;
                String d = null;
                List<String> refs = new ArrayList<>();
                List<String> tags = new ArrayList<>();
                try (JsonParser p = json.createParser(line)) {
                    p.nextToken();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        p.nextToken();
                        switch (f) {
                            case "id" -> id = p.getText();
                            case "question" -> q = p.getText();
                            case "expected_answer" -> a = p.getText();
                            case "difficulty" -> d = p.getText();
                            case "reference_context_ids" -> readStrings(p, refs);
                            case "tags" -> readStrings(p, tags);
                            default -> p.skipChildren();
                        }
                    }
                }
                out.add(new Example(id, q, List.copyOf(refs), a, List.copyOf(tags), d));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(out);
    }

    private static void readStrings(JsonParser p, List<String> into) throws IOException {
        while (p.nextToken() != JsonToken.END_ARRAY) {
            into.add(p.getText());
        }
    }
}
