package dev.tracebench.core.normalize;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Model prices (USD per million input, output and cached-input tokens): the shipped table
 * ({@code prices.yaml}, current public list prices) with the user's own file on top. Immutable and thread-safe.
 */
public final class PriceTable {
    /** One model's prices per million tokens; {@code cachedInput} is the price of a cache read. */
    public record Price(String model, double input, double output, double cachedInput) {

        /** USD for one call: uncached input, cached input and output tokens. */
        public double cost(long inputTokens, long cachedTokens, long outputTokens) {
            long cached = Math.max(0, Math.min(cachedTokens, inputTokens));
            return ((inputTokens - cached) * input + cached * cachedInput + outputTokens * output) / 1e6;
        }
    }

    private static final PriceTable SHIPPED = load(PriceTable.class.getResourceAsStream("prices.yaml"), "prices.yaml");

    private final Map<String, Price> byName;
    /** Names longest first, for prefix matching. */
    private final List<String> names;

    private PriceTable(Map<String, Price> byName) {
        this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
        List<String> n = new ArrayList<>(byName.keySet());
        n.sort((a, b) -> Integer.compare(b.length(), a.length()));
        this.names = List.copyOf(n);
    }

    /** The prices shipped with Tracebench. */
    public static PriceTable shipped() {
        return SHIPPED;
    }

    /** The shipped prices with the entries of {@code userFile} replacing or adding to them (if it exists). */
    public static PriceTable withUserFile(Path userFile) {
        if (userFile == null || !Files.isRegularFile(userFile)) {
            return SHIPPED;
        }
        try (InputStream in = Files.newInputStream(userFile)) {
            PriceTable user = load(in, userFile.toString());
            Map<String, Price> merged = new LinkedHashMap<>(SHIPPED.byName);
            merged.putAll(user.byName);
            return new PriceTable(merged);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read price table " + userFile + ": " + e.getMessage(), e);
        }
    }

    /** All entries, in file order. */
    public Map<String, Price> entries() {
        return byName;
    }

    /** The entries of a user price file alone (empty if there is none); throws for a broken file, naming it. */
    public static PriceTable userFile(Path userFile) {
        if (userFile == null || !Files.isRegularFile(userFile)) {
            return new PriceTable(Map.of());
        }
        try (InputStream in = Files.newInputStream(userFile)) {
            return load(in, userFile.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read price table " + userFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code prices} as a user price file (the form {@link #withUserFile} reads), replacing {@code file}
     * atomically: a crash leaves the old file or the new one, never half of it.
     */
    public static void writeUserFile(Path file, Collection<Price> prices) throws IOException {
        for (Price p : prices) {
            if (p.model() == null || p.model().isBlank()) {
                throw new IllegalArgumentException("a model name is empty");
            }
            for (double d : new double[] {p.input(), p.output(), p.cachedInput()}) {
                if (!Double.isFinite(d) || d < 0) {
                    throw new IllegalArgumentException(p.model() + ": prices must be numbers of 0 or more");
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("# Your prices: USD per million tokens. They replace the shipped entry of the same model, or add one.\n");
        sb.append("# Written by Tracebench (Settings > Price Table); safe to edit by hand.\n");
        sb.append("models:\n");
        for (Price p : prices) {
            sb.append("  \"").append(p.model().trim().toLowerCase(Locale.ROOT).replace("\\", "\\\\")
                    .replace("\"", "\\\"")).append("\": {input: ").append(num(p.input())).append(", output: ")
                    .append(num(p.output())).append(", cached_input: ").append(num(p.cachedInput())).append("}\n");
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".prices", ".yaml");
        try {
            Files.writeString(tmp, sb.toString(), java.nio.charset.StandardCharsets.UTF_8);
            // check it reads back before it replaces anything
            try (InputStream in = Files.newInputStream(tmp)) {
                load(in, file.toString());
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Plain decimal text (no exponent), so the YAML stays readable: 0.075, 2.5, 10. */
    private static String num(double d) {
        return new java.math.BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }

    /**
     * The price of {@code model}: an exact entry, else the longest entry the (prefix-stripped, lowercased) model
     * name starts with; null if there is none.
     */
    public Price lookup(String model) {
        if (model == null || model.isBlank()) {
            return null;
        }
        String m = canonical(model);
        Price exact = byName.get(m);
        if (exact != null) {
            return exact;
        }
        for (String n : names) {
            // a version or date suffix must follow a separator: gpt-4o-2024-08-06 is gpt-4o, gpt-4o-mini is not
            if (m.startsWith(n) && "-.:@_".indexOf(m.charAt(n.length())) >= 0) {
                return byName.get(n);
            }
        }
        return null;
    }

    /** Lowercase, without provider prefixes ("openai/", "models/", Bedrock's "us.anthropic."). */
    static String canonical(String model) {
        String m = model.trim().toLowerCase(Locale.ROOT);
        int slash = m.lastIndexOf('/');
        if (slash >= 0) {
            m = m.substring(slash + 1);
        }
        int anthropic = m.indexOf("anthropic.");
        if (anthropic >= 0) {
            m = m.substring(anthropic + "anthropic.".length());
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    static PriceTable load(InputStream in, String name) {
        if (in == null) {
            throw new IllegalStateException("missing price table " + name);
        }
        Object doc;
        try (in) {
            doc = new Load(LoadSettings.builder().setLabel(name).build()).loadFromInputStream(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + ": not valid YAML (" + e.getMessage() + ")", e);
        }
        if (!(doc instanceof Map<?, ?> root) || !(root.get("models") instanceof Map<?, ?> models)) {
            throw new IllegalArgumentException(name + ": expected a 'models:' map of model name to prices");
        }
        Map<String, Price> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<Object, Object>) models).entrySet()) {
            String model = String.valueOf(e.getKey()).trim().toLowerCase(Locale.ROOT);
            if (!(e.getValue() instanceof Map<?, ?> p)) {
                throw new IllegalArgumentException(name + ": model " + model + ": expected {input, output, "
                        + "cached_input}");
            }
            double input = number(p.get("input"), name, model, "input");
            double output = number(p.get("output"), name, model, "output");
            Object cached = p.get("cached_input");
            out.put(model, new Price(model, input, output, cached == null ? input : number(cached, name, model,
                    "cached_input")));
        }
        return new PriceTable(out);
    }

    private static double number(Object v, String file, String model, String field) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException(file + ": model " + model + ": '" + field + "' must be a number (USD per "
                + "million tokens), found " + v);
    }
}
