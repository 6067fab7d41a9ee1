package dev.tracebench.core.eval.evaluators;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.tracebench.core.eval.EvalInput;
import dev.tracebench.core.eval.Evaluator;
import dev.tracebench.core.eval.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Format checks of the answer, as configured per run: valid JSON, valid against a JSON Schema (drafts 4 to 2020-12;
 * 2020-12 when the schema names none), matching a regular expression (found anywhere; anchor it with ^…$ to match
 * the whole), containing given strings, at most so many characters. Score: the share of checks passed; label
 * {@code valid}, or {@code invalid} naming the failed checks.
 */
public final class FormatEvaluator implements Evaluator {
    public static final String ID = "format";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param json      whether the answer must be JSON (implied by {@code schema})
     * @param schema    a JSON Schema the answer must satisfy, as JSON text (null: none)
     * @param regex     a pattern the answer must contain a match of (null: none)
     * @param contains  strings the answer must contain (case-sensitive)
     * @param maxLength the most characters the answer may have (null: no limit)
     */
    public record Settings(boolean json, String schema, String regex, List<String> contains, Integer maxLength) {
        public Settings {
            contains = contains == null ? List.of() : List.copyOf(contains);
        }

        boolean any() {
            return json || schema != null || regex != null || !contains.isEmpty() || maxLength != null;
        }
    }

    private final Settings settings;
    private final Schema schema;
    private final Pattern regex;

    /** @throws IllegalArgumentException when no check is configured, or the schema or the regex is not valid */
    public FormatEvaluator(Settings settings) {
        if (!settings.any()) {
            throw new IllegalArgumentException("the format evaluator needs a check: JSON, a JSON Schema, a regex, "
                    + "strings to contain or a maximum length");
        }
        this.settings = settings;
        try {
            this.schema = settings.schema() == null ? null : SchemaRegistry.withDefaultDialect(
                    SpecificationVersion.DRAFT_2020_12).getSchema(JSON.readTree(settings.schema()));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the JSON Schema is not JSON: " + e.getOriginalMessage(), e);
        }
        this.regex = settings.regex() == null ? null : Pattern.compile(settings.regex());
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String version() {
        return "1";
    }

    @Override
    public Verdict evaluate(EvalInput input) {
        String answer = input.answer();
        List<String> passed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        if (settings.json() || schema != null) {
            JsonNode node = null;
            try {
                node = JSON.readTree(answer.strip());
            } catch (JsonProcessingException e) {
                failed.add("not JSON (" + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr()
                        + ", column " + e.getLocation().getColumnNr() + ")");
            }
            if (node != null && !node.isMissingNode()) {
                passed.add("JSON");
                if (schema != null) {
                    var errors = schema.validate(node);
                    if (errors.isEmpty()) {
                        passed.add("schema");
                    } else {
                        failed.add("schema: " + errors.size() + " error" + (errors.size() == 1 ? "" : "s") + " ("
                                + String.join("; ", errors.stream().limit(3).map(Object::toString).toList()) + ")");
                    }
                }
            } else if (node != null) {
                failed.add("not JSON (empty)");
            }
            if (node == null && schema != null) {
                failed.add("schema: not checked (not JSON)");
            }
        }
        if (regex != null) {
            (regex.matcher(answer).find() ? passed : failed).add("regex /" + settings.regex() + "/");
        }
        for (String s : settings.contains()) {
            (answer.contains(s) ? passed : failed).add("contains \"" + s + "\"");
        }
        if (settings.maxLength() != null) {
            (answer.length() <= settings.maxLength() ? passed : failed).add(answer.length() + " characters (max "
                    + settings.maxLength() + ")");
        }
        int total = passed.size() + failed.size();
        double score = (double) passed.size() / total;
        if (failed.isEmpty()) {
            return new Verdict(ID, 1, "valid", true, "All " + total + " format checks pass: " + String.join(", ",
                    passed) + ".", List.of(), null);
        }
        return new Verdict(ID, score, "invalid", false, failed.size() + " of " + total + " format checks fail: "
                + String.join("; ", failed) + ".", failed, null);
    }
}
