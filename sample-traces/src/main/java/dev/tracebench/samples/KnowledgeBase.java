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

/** The fictional product documentation ("Acme Flow") that the sample RAG assistant answers from. */
public final class KnowledgeBase {
    public record Passage(String id, String title, String text) {
    }

    private static final List<Passage> PASSAGES = load();

    private KnowledgeBase() {
    }

    public static List<Passage> passages() {
        return PASSAGES;
    }

    private static List<Passage> load() {
        JsonFactory json = new JsonFactory();
        List<Passage> out = new ArrayList<>();
        try (InputStream in = KnowledgeBase.class.getResourceAsStream("knowledge-base.jsonl");
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String id = null;
                String title = null;
                String text = null;
                try (JsonParser p = json.createParser(line)) {
                    p.nextToken();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        p.nextToken();
                        switch (f) {
                            case "id" -> id = p.getText();
                            case "title" -> title = p.getText();
                            case "text" -> text = p.getText();
                            default -> p.skipChildren();
                        }
                    }
                }
                out.add(new Passage(id, title, text));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(out);
    }
}
