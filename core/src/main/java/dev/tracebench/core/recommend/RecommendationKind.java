package dev.tracebench.core.recommend;

/** What a recommendation asks the systems around the application (or its owners) to do. */
public enum RecommendationKind {
    /** Shift traffic between models or versions (router weights). */
    TRAFFIC("traffic"),
    /** Add capacity: p95 latency or queue time breaches its objective. */
    SCALE_UP("scale-up"),
    /** A cache's hit rate fell, or misses cost latency. */
    CACHE("cache"),
    /** Quality degrades over time: retrain, re-tune or update the prompt. */
    RETRAIN("retrain"),
    /** Spans that cost storage and never explain anything: sample them. */
    SAMPLING("sampling");

    private final String id;

    RecommendationKind(String id) {
        this.id = id;
    }

    /** The id used in JSON/YAML output and on the command line. */
    public String id() {
        return id;
    }
}
