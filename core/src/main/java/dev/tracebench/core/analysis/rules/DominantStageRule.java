package dev.tracebench.core.analysis.rules;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Finding;
import dev.tracebench.core.analysis.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code dominant-stage}: one stage holds at least {@code dominantStageShare} of all critical-path time. A model call
 * dominating an LLM application is expected and only informative; any other stage is a warning: it holds every
 * request up.
 */
public final class DominantStageRule implements CheckRule<DominantStageRule.StageTotals> {
    /** All request time and each stage's critical-path time, in ns. */
    public record StageTotals(long totalNs, Map<String, Long> stageNs) {
        public StageTotals {
            stageNs = Map.copyOf(stageNs);
        }
    }

    @Override
    public String id() {
        return "dominant-stage";
    }

    @Override
    public String title() {
        return "Dominant stage";
    }

    @Override
    public List<Finding> evaluate(StageTotals data, CheckSettings settings) {
        List<Finding> out = new ArrayList<>();
        if (data.totalNs() <= 0) {
            return out;
        }
        for (Map.Entry<String, Long> e : data.stageNs().entrySet()) {
            String stage = e.getKey();
            double share = (double) e.getValue() / data.totalNs();
            if (share < settings.dominantStageShare()) {
                continue;
            }
            boolean expected = stage.equals("inference");
            out.add(new Finding(expected ? Severity.INFO : Severity.WARNING, id(),
                    Character.toUpperCase(stage.charAt(0)) + stage.substring(1) + " takes " + Words.pct(share)
                            + " of all request time on the critical path.",
                    expected ? "Model calls dominating an LLM application is normal; faster or smaller models, "
                            + "shorter outputs or streaming are where time can be won."
                            : "One stage that is not the model call holds most requests up: the breakdown by "
                            + "operation shows which of its spans.",
                    new Finding.Evidence(0, 0, 0, 0, share, 0, Map.of("stage", stage, "share", Words.pct(share),
                            "threshold", Words.pct(settings.dominantStageShare()))), List.of()));
        }
        return out;
    }
}
