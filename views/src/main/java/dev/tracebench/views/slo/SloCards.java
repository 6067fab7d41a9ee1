package dev.tracebench.views.slo;

import dev.tracebench.core.slo.SliSeries;
import dev.tracebench.core.slo.SloStatus;
import javafx.scene.layout.Region;

/** The SLO area's card for an SLO evaluated elsewhere (a remote result's series): the same card, the same sparkline. */
public final class SloCards {
    private SloCards() {
    }

    /** The card of {@code status} (its SLO) over {@code series}. */
    public static Region card(SloStatus status, SliSeries series) {
        return new SloCard(new SloViewModel.Result(status.slo(), series, status, SloViewModel.curves(status.slo(),
                series)));
    }
}
