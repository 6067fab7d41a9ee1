package dev.tracebench.core.slo;

import java.util.List;

/** What the SLO computations need from a workspace (implemented by the store, which holds the SQL). */
public interface SloService {

    /**
     * The problems the workspace finds with an SLO before it is computed: a filter or good expression that is not
     * one SQL expression over its table's columns, an evaluator the workspace holds no results of. Messages, each
     * with the field it is about ("filter", "good", "evaluator"); empty when it can be computed.
     */
    List<FieldProblem> check(Slo slo);

    /** A problem of one field of an SLO, found by the store. */
    record FieldProblem(String field, String message) {
    }

    /**
     * The SLO's valid and good events per step ({@link SliSeries#stepFor} the period its events cover: one minute up
     * to 69 days), steps aligned to multiples of the step since the epoch, from the first event's step to the last's
     * (empty, with a one-minute step, when there are no events). An event is at the start of its request (of an eval
     * result: of the request it judged). Aggregated by the database; the caller must {@link #check} the SLO first.
     */
    SliSeries series(Slo slo);

    /** What a workspace holds that a starter SLO file can be written from. */
    Inventory inventory();

    /**
     * @param services    per service: requests, failed requests, p99 duration (ns)
     * @param models      the models requests used, most used first
     * @param costP99     the 99th percentile of the cost of requests with a cost (USD), NaN when none has one
     * @param tokensP99   the 99th percentile of the tokens of requests that used tokens, 0 when none did
     * @param evaluators  per evaluator: results linked to a trace, its labels, and whether results carry scores and
     *                    pass/fail verdicts
     */
    record Inventory(List<ServiceInfo> services, List<String> models, double costP99, long tokensP99,
            List<EvaluatorInfo> evaluators) {
    }

    record ServiceInfo(String name, long requests, long failed, long p99Ns) {
    }

    record EvaluatorInfo(String name, long linkedResults, List<String> labels, boolean scores, boolean verdicts) {
    }
}
