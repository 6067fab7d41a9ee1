package dev.tracebench.core.slo;

import java.util.List;

/** An SLO file that cannot be used, with every problem found in it (one bad SLO does not hide the others'). */
public final class SloConfigException extends IllegalArgumentException {
    private final transient List<SloProblem> problems;

    public SloConfigException(List<SloProblem> problems) {
        super(String.join("\n", problems.stream().map(SloProblem::toString).toList()));
        this.problems = List.copyOf(problems);
    }

    public List<SloProblem> problems() {
        return problems;
    }
}
