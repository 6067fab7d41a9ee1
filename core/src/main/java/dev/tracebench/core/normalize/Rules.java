package dev.tracebench.core.normalize;

import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The user's normalisation rules: span name, service, scope and attribute patterns mapped to stages and field values.
 * They win over every convention. The file is YAML:
 *
 * <pre>
 * rules:
 *   - name: pinecone queries are retrieval        # shown as the source of the values it sets
 *     match:                                     # all given conditions must hold; patterns are regular expressions
 *       span_name: "pinecone\\..*"                #   that must match the whole text
 *       service: "search-.*"
 *       scope: ".*pinecone.*"
 *       attributes: {db.system: pinecone, app.index: "*"}   # "*" only requires the attribute to be present
 *     set: {stage: retrieval, operation: vector_search, provider: pinecone}
 *   - name: our gateway's custom usage attributes
 *     match: {attributes: {gw.model: "*"}}
 *     map: {request_model: gw.model, input_tokens: gw.usage.in, output_tokens: gw.usage.out}   # read from attributes
 * </pre>
 *
 * For each field the first rule that matches and sets (or maps) it wins. Immutable and thread-safe.
 */
public final class Rules {
    public static final Rules NONE = new Rules(List.of(), "");

    /** One rule: conditions and the values it sets (literals) or maps (from attributes). */
    public record Rule(String name, int index, Pattern spanName, Pattern service, Pattern scope,
            Map<String, Pattern> attributes, Map<NormField, Object> set, Map<NormField, String> map) {

        boolean matches(String span, String svc, String scp, Map<String, AttributeValue> attrs) {
            if (spanName != null && !spanName.matcher(span).matches()) {
                return false;
            }
            if (service != null && !service.matcher(svc == null ? "" : svc).matches()) {
                return false;
            }
            if (scope != null && !scope.matcher(scp == null ? "" : scp).matches()) {
                return false;
            }
            for (Map.Entry<String, Pattern> e : attributes.entrySet()) {
                AttributeValue v = attrs.get(e.getKey());
                if (v == null) {
                    return false;
                }
                if (e.getValue() != null && !e.getValue().matcher(text(v)).matches()) {
                    return false;
                }
            }
            return true;
        }

        /** "rule 'name' (rules.yaml #2)". */
        String label(String file) {
            return "rule '" + name + "' (" + file + " #" + (index + 1) + ")";
        }
    }

    private final List<Rule> rules;
    private final String file;

    private Rules(List<Rule> rules, String file) {
        this.rules = List.copyOf(rules);
        this.file = file;
    }

    public List<Rule> rules() {
        return rules;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** The file the rules came from (for messages). */
    public String file() {
        return file;
    }

    /** Loads a rules file; throws IllegalArgumentException naming the file, rule and field for any mistake. */
    public static Rules load(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return parse(in, path.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rules file " + path + ": " + e.getMessage(), e);
        }
    }

    /** Loads rules from a stream; {@code name} names it in messages. */
    @SuppressWarnings("unchecked")
    public static Rules parse(InputStream in, String name) {
        Object doc;
        try {
            doc = new Load(LoadSettings.builder().setLabel(name).build()).loadFromInputStream(in);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + ": not valid YAML (" + firstLine(e.getMessage()) + ")", e);
        }
        if (doc == null) {
            return new Rules(List.of(), name);
        }
        if (!(doc instanceof Map<?, ?> root) || !(root.get("rules") instanceof List<?> list)) {
            throw new IllegalArgumentException(name + ": expected a top-level 'rules:' list");
        }
        List<Rule> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> r)) {
                throw new IllegalArgumentException(name + ": rule #" + (i + 1) + " is not a map");
            }
            String where = name + ": rule #" + (i + 1);
            String ruleName = r.get("name") == null ? "#" + (i + 1) : String.valueOf(r.get("name"));
            Map<String, Object> match = r.get("match") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            Map<String, Pattern> attrs = new LinkedHashMap<>();
            if (match.get("attributes") instanceof Map<?, ?> am) {
                for (Map.Entry<?, ?> e : am.entrySet()) {
                    String v = e.getValue() == null ? "*" : String.valueOf(e.getValue());
                    attrs.put(String.valueOf(e.getKey()), v.equals("*") || v.isEmpty() ? null
                            : pattern(v, where, "attributes." + e.getKey()));
                }
            } else if (match.get("attributes") != null) {
                throw new IllegalArgumentException(where + ": 'match.attributes' must be a map of key to pattern");
            }
            Map<NormField, Object> set = new EnumMap<>(NormField.class);
            if (r.get("set") instanceof Map<?, ?> sm) {
                for (Map.Entry<?, ?> e : sm.entrySet()) {
                    NormField f = field(String.valueOf(e.getKey()), where + ": set");
                    set.put(f, literal(f, e.getValue(), where));
                }
            }
            Map<NormField, String> map = new EnumMap<>(NormField.class);
            if (r.get("map") instanceof Map<?, ?> mm) {
                for (Map.Entry<?, ?> e : mm.entrySet()) {
                    NormField f = field(String.valueOf(e.getKey()), where + ": map");
                    if (f == NormField.STAGE) {
                        throw new IllegalArgumentException(where + ": map: stage must be set, not mapped");
                    }
                    map.put(f, String.valueOf(e.getValue()));
                }
            }
            if (set.isEmpty() && map.isEmpty()) {
                throw new IllegalArgumentException(where + " ('" + ruleName + "') sets nothing: give 'set:' or 'map:'");
            }
            out.add(new Rule(ruleName, i, pattern((String) str(match.get("span_name")), where, "span_name"),
                    pattern((String) str(match.get("service")), where, "service"),
                    pattern((String) str(match.get("scope")), where, "scope"), attrs, set, map));
        }
        return new Rules(out, name);
    }

    private static Object str(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    private static Pattern pattern(String regex, String where, String what) {
        if (regex == null) {
            return null;
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(where + ": " + what + ": '" + regex + "' is not a regular expression ("
                    + e.getDescription() + ")");
        }
    }

    static NormField field(String name, String where) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace(' ', '_');
        return switch (n) {
            case "stage" -> NormField.STAGE;
            case "operation" -> NormField.OPERATION;
            case "provider" -> NormField.PROVIDER;
            case "model", "request_model" -> NormField.REQUEST_MODEL;
            case "response_model" -> NormField.RESPONSE_MODEL;
            case "input_tokens" -> NormField.INPUT_TOKENS;
            case "output_tokens" -> NormField.OUTPUT_TOKENS;
            case "cached_tokens", "cached_input_tokens" -> NormField.CACHED_TOKENS;
            case "reasoning_tokens" -> NormField.REASONING_TOKENS;
            case "cost" -> NormField.COST;
            case "finish_reason" -> NormField.FINISH_REASON;
            case "cache_hit" -> NormField.CACHE_HIT;
            case "ttft", "time_to_first_token" -> NormField.TTFT;
            default -> throw new IllegalArgumentException(where + ": unknown field '" + name + "' (stage, operation, "
                    + "provider, request_model, response_model, input_tokens, output_tokens, cached_tokens, "
                    + "reasoning_tokens, cost, finish_reason, cache_hit, ttft)");
        };
    }

    private static Object literal(NormField f, Object v, String where) {
        switch (f) {
            case STAGE: {
                Stage s = Stage.of(String.valueOf(v));
                if (s == null) {
                    throw new IllegalArgumentException(where + ": stage '" + v + "' is not one of prompt, retrieval, "
                            + "rerank, inference, tool, agent, chain, guardrail, postprocess, other");
                }
                return s;
            }
            case INPUT_TOKENS, OUTPUT_TOKENS, CACHED_TOKENS, REASONING_TOKENS, TTFT: {
                if (v instanceof Number n) {
                    return n.longValue();
                }
                throw new IllegalArgumentException(where + ": " + f.name().toLowerCase(Locale.ROOT)
                        + " must be a number");
            }
            case COST: {
                if (v instanceof Number n) {
                    return n.doubleValue();
                }
                throw new IllegalArgumentException(where + ": cost must be a number (USD)");
            }
            case CACHE_HIT:
                return Boolean.valueOf(String.valueOf(v));
            default:
                return String.valueOf(v);
        }
    }

    /** Every candidate value the matching rules give, in rule order, into {@code sink}. */
    void apply(String spanName, String service, String scope, List<Attribute> attributes, Candidates sink) {
        if (rules.isEmpty()) {
            return;
        }
        Map<String, AttributeValue> attrs = new LinkedHashMap<>();
        for (Attribute a : attributes) {
            attrs.putIfAbsent(a.key(), a.value());
        }
        for (Rule r : rules) {
            if (!r.matches(spanName, service, scope, attrs)) {
                continue;
            }
            String label = r.label(file);
            for (Map.Entry<NormField, Object> e : r.set().entrySet()) {
                sink.put(e.getKey(), NormSource.RULES, e.getValue(), label);
            }
            for (Map.Entry<NormField, String> e : r.map().entrySet()) {
                AttributeValue v = attrs.get(e.getValue());
                if (v != null) {
                    Object value = Candidates.coerce(e.getKey(), v);
                    if (value != null) {
                        sink.put(e.getKey(), NormSource.RULES, value, label + " from " + e.getValue());
                    }
                }
            }
        }
    }

    static String text(AttributeValue v) {
        return v instanceof AttributeValue.Str s ? s.value() : v.display();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
