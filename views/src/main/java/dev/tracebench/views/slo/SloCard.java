package dev.tracebench.views.slo;

import dev.tracebench.core.slo.Slo;
import dev.tracebench.core.slo.SloStatus;
import dev.tracebench.views.analysis.ChartPane;
import dev.tracebench.views.analysis.Charts;
import dev.tracebench.views.common.Styles;
import java.awt.BasicStroke;
import java.util.Locale;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** One SLO at a glance: its state, objective, current SLI, budget left, and a sparkline of its SLI over time. */
final class SloCard extends VBox {
    private final SloViewModel.Result result;

    SloCard(SloViewModel.Result r) {
        this.result = r;
        Slo slo = r.slo();
        SloStatus st = r.status();
        getStyleClass().addAll("tb-metric-card", "tb-slo-card");
        setId("slo-card-" + slo.name());
        setSpacing(3);
        setPrefWidth(270);
        Label name = new Label(slo.name());
        name.getStyleClass().add("tb-metric-name");
        name.setMinWidth(0);
        name.setTooltip(new Tooltip(slo.name()));
        Label state = new Label(stateText(st.state()));
        state.setId("slo-state-" + slo.name());
        state.getStyleClass().addAll("tb-slo-state", "tb-slo-" + st.state().name().toLowerCase(Locale.ROOT));
        state.setMinWidth(Region.USE_PREF_SIZE);
        Region gap = new Region();
        HBox.setHgrow(gap, javafx.scene.layout.Priority.ALWAYS);
        HBox head = new HBox(6, name, gap, state);
        Label objective = new Label("objective " + slo.objectiveText() + " · " + slo.sli().id() + " · "
                + slo.window().text());
        objective.getStyleClass().add(Styles.MUTED);
        Label sli = new Label("SLI " + sliText(st));
        sli.setId("slo-sli-" + slo.name());
        sli.getStyleClass().add("tb-metric-rate");
        if (st.state() == SloStatus.State.BREACHED) {
            sli.getStyleClass().add("tb-metric-rate-low");
        } else if (st.state() == SloStatus.State.BURNING) {
            sli.getStyleClass().add("tb-slo-rate-burning");
        }
        Label counts = new Label(countsText(st));
        counts.setId("slo-counts-" + slo.name());
        counts.getStyleClass().add(Styles.MUTED);
        Label budget = new Label(budgetText(st));
        budget.setId("slo-budget-" + slo.name());
        if (st.budgetRemaining() < 0) {
            budget.getStyleClass().add(Styles.ERROR);
        }
        ChartPane spark = new ChartPane(sparkline(r));
        spark.setPrefSize(250, 54);
        spark.setMinHeight(48);
        if (r.curves().sparkX().length == 0) {
            spark.setMessage("No events");
        }
        Tooltip.install(this, new Tooltip(slo.name() + ": good when " + slo.goodText()
                + (slo.filter() == null ? "" : "\nfilter: " + slo.filter())));
        getChildren().addAll(head, objective, sli, counts, budget, spark);
    }

    SloViewModel.Result result() {
        return result;
    }

    static String stateText(SloStatus.State s) {
        return switch (s) {
            case MET -> "OK";
            case BURNING -> "BURNING";
            case BREACHED -> "BREACHED";
            case NO_DATA -> "NO DATA";
        };
    }

    /** "99.52%", or "no events". */
    static String sliText(SloStatus st) {
        return st.total() == 0 ? "no events" : String.format(Locale.ROOT, "%.2f%%", st.sli() * 100);
    }

    /** "12,040 of 12,098 good". */
    static String countsText(SloStatus st) {
        return String.format(Locale.ROOT, "%,d of %,d good", st.good(), st.total());
    }

    /** "budget left 41%" (negative when overspent). */
    static String budgetText(SloStatus st) {
        return String.format(Locale.ROOT, "budget left %.0f%%", st.budgetRemaining() * 100);
    }

    private static JFreeChart sparkline(SloViewModel.Result r) {
        XYSeries s = new XYSeries("SLI", false, true);
        double[] x = r.curves().sparkX();
        double[] y = r.curves().sparkSli();
        for (int i = 0; i < x.length; i++) {
            if (!Double.isNaN(y[i])) {
                s.add(x[i], y[i] * 100);
            }
        }
        DateAxis xa = new DateAxis(null);
        xa.setVisible(false);
        NumberAxis ya = new NumberAxis(null);
        ya.setAutoRangeIncludesZero(false);
        ya.setVisible(false);
        XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
        line.setSeriesPaint(0, Charts.ACCENT);
        line.setSeriesStroke(0, new BasicStroke(1.4f));
        XYPlot plot = new XYPlot(new XYSeriesCollection(s), xa, ya, line);
        plot.addRangeMarker(new org.jfree.chart.plot.ValueMarker(r.slo().objective() * 100, Charts.MUTED,
                new BasicStroke(0.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1, new float[] {3, 3}, 0)));
        JFreeChart chart = new JFreeChart(null, Charts.LABEL, plot, false);
        Charts.style(chart, "");
        chart.setTitle((org.jfree.chart.title.TextTitle) null);
        chart.setPadding(new org.jfree.chart.ui.RectangleInsets(1, 1, 1, 1));
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        line.setDefaultToolTipGenerator((d, series, item) -> String.format(Locale.ROOT, "SLI %.2f%%",
                d.getYValue(series, item)));
        return chart;
    }
}
