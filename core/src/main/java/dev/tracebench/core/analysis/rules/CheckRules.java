package dev.tracebench.core.analysis.rules;

import java.util.List;

/** Every automated check, in the order they run. */
public final class CheckRules {
    public static final DominantStageRule DOMINANT_STAGE = new DominantStageRule();
    public static final CacheRule CACHE = new CacheRule();
    public static final QueueingRule QUEUEING = new QueueingRule();
    public static final ErrorHotspotRule ERROR_HOTSPOT = new ErrorHotspotRule();
    public static final LoopsRule LOOPS = new LoopsRule();
    public static final TokenOutlierRule TOKEN_OUTLIERS = new TokenOutlierRule();
    public static final PromptGrowthRule PROMPT_GROWTH = new PromptGrowthRule();

    public static final List<CheckRule<?>> ALL = List.of(DOMINANT_STAGE, CACHE, QUEUEING, ERROR_HOTSPOT, LOOPS,
            TOKEN_OUTLIERS, PROMPT_GROWTH);

    private CheckRules() {
    }
}
