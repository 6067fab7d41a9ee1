package dev.tracebench.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Loads the store's SQL text from classpath resources under {@code dev/tracebench/core/store/}. */
final class ResourceText {
    private static final String BASE = "/dev/tracebench/core/store/";
    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private ResourceText() {
    }

    /** The text of {@code dev/tracebench/core/store/<relative>}; fails loudly if it is missing. */
    static String load(String relative) {
        return CACHE.computeIfAbsent(relative, r -> {
            try (InputStream in = ResourceText.class.getResourceAsStream(BASE + r)) {
                if (in == null) {
                    throw new IllegalStateException("missing SQL resource " + BASE + r);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The DDL files in the order {@code ddl/_order} lists them. */
    static List<String> ddlOrder() {
        List<String> files = new ArrayList<>();
        for (String line : load("ddl/_order").split("\n")) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                files.add(t);
            }
        }
        return files;
    }
}
