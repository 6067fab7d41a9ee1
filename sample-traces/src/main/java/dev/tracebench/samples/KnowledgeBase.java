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
    private static final java.util.Map<String, Passage> BY_ID = byId();

    private KnowledgeBase() {
    }

    public static List<Passage> passages() {
        return PASSAGES;
    }

    /** The passage with this id; throws if there is none. */
    public static Passage get(String id) {
        Passage p = BY_ID.get(id);
        if (p == null) {
            throw new IllegalArgumentException("no passage " + id);
        }
        return p;
    }

    private static java.util.Map<String, Passage> byId() {
        java.util.Map<String, Passage> m = new java.util.HashMap<>();
        for (Passage p : PASSAGES) {
            m.put(p.id(), p);
        }
        return m;
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
