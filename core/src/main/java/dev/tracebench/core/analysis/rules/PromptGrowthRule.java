package dev.tracebench.core.analysis.rules;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code prompt-growth}: a prompt version (with at least 30 requests) whose median input tokens are at least 1.5
 * times those of the other versions (warning), twice (critical: input tokens are most of a call's cost, so twice the
 * tokens is about twice the bill).
 */
public final class PromptGrowthRule implements CheckRule<List<PromptGrowthRule.PromptTokens>> {
    static final double GROWTH = 1.5;

    /**
     * A prompt version's median input tokens, that of all other versions, its request count, and its largest requests
     * (looked up only for a finding).
     */
    public record PromptTokens(String version, double median, double othersMedian, long requests,
            Supplier<List<Finding.Exemplar>> largest) {
    }

    @Override
    public String id() {
        return "prompt-growth";
    }

    @Override
    public String title() {
        return "Prompt growth";
    }

    @Override
    public List<Finding> evaluate(List<PromptTokens> versions, CheckSettings settings) {
        List<Finding> out = new ArrayList<>();
        for (PromptTokens p : versions) {
            if (!(p.othersMedian() > 0) || p.median() < GROWTH * p.othersMedian()) { // (no other version: NaN)
                continue;
            }
            double factor = p.median() / p.othersMedian();
            out.add(new Finding(factor >= 2 ? Severity.CRITICAL : Severity.WARNING, id(), "Prompt version "
                    + p.version() + " sends " + Words.times(factor) + " times the input tokens of the other versions "
                    + "(median " + Words.count((long) p.median()) + " against " + Words.count((long) p.othersMedian())
                    + ").", "Input tokens drive cost and latency; a template change that grew the prompt (longer "
                    + "instructions, more examples, more context) shows up here.",
                    new Finding.Evidence(p.requests(), 0, 0, 0, factor, 0, Map.of("prompt_version", p.version())),
                    p.largest().get()));
        }
        return out;
    }
}
