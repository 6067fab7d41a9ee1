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
 * The questions users ask the sample assistants, each with the passages that answer it, the right answer and the
 * fluent wrong answer a model gives without those passages (used when retrieval fails).
 */
public final class QuestionBank {
    public record Question(String id, String question, List<String> passageIds, String answer,
            String hallucinatedAnswer, String kind) {

        public boolean answerable() {
            return !passageIds.isEmpty();
        }
    }

    private static final List<Question> QUESTIONS = load();

    private QuestionBank() {
    }

    public static List<Question> questions() {
        return QUESTIONS;
    }

    private static List<Question> load() {
        JsonFactory json = new JsonFactory();
        List<Question> out = new ArrayList<>();
        try (InputStream in = QuestionBank.class.getResourceAsStream("questions.jsonl");
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String id = null;
                String q = null;
                String a = null;
                String h = null;
                String kind = null;
                List<String> ids = new ArrayList<>();
                try (JsonParser p = json.createParser(line)) {
                    p.nextToken();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        p.nextToken();
                        switch (f) {
                            case "id" -> id = p.getText();
                            case "question" -> q = p.getText();
                            case "answer" -> a = p.getText();
                            case "hallucinated_answer" -> h = p.getText();
                            case "kind" -> kind = p.getText();
                            case "passage_ids" -> {
                                while (p.nextToken() != JsonToken.END_ARRAY) {
                                    ids.add(p.getText());
                                }
                            }
                            default -> p.skipChildren();
                        }
                    }
                }
                out.add(new Question(id, q, List.copyOf(ids), a, h, kind));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(out);
    }
}
