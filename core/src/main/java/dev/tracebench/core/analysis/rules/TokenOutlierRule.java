package dev.tracebench.core.analysis.rules;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code token-outliers}: requests sending more than {@code outlierFactor} times the median input tokens of their
 * operation (a notice: runaway context or history).
 */
public final class TokenOutlierRule implements CheckRule<TokenOutlierRule.Outliers> {
    /**
     * Of the requests that sent input tokens, how many sent more than {@code factor} times their operation's median,
     * and the largest of them (looked up only for a finding).
     */
    public record Outliers(long requests, long outliers, double factor, Supplier<List<Finding.Exemplar>> largest) {
    }

    @Override
    public String id() {
        return "token-outliers";
    }

    @Override
    public String title() {
        return "Token outliers";
    }

    @Override
    public List<Finding> evaluate(Outliers d, CheckSettings settings) {
        if (d.outliers() == 0) {
            return List.of();
        }
        return List.of(new Finding(Severity.NOTICE, id(), Words.count(d.outliers()) + (d.outliers() == 1
                ? " request sent more than " : " requests sent more than ") + Words.times(d.factor())
                + " times the median input tokens of their operation.",
                "Very long prompts cost more and are slower; look for runaway context or history.",
                new Finding.Evidence(d.requests(), d.outliers(), 0, 0, (double) d.outliers() / Math.max(1,
                        d.requests()), 0, Map.of("factor", Words.times(d.factor()))), d.largest().get()));
    }
}
