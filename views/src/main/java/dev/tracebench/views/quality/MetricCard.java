package dev.tracebench.views.quality;

import dev.tracebench.core.eval.MetricSummary;
import dev.tracebench.views.analysis.ChartPane;
import dev.tracebench.views.analysis.Charts;
import dev.tracebench.views.common.Format;
import dev.tracebench.views.common.Styles;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;

/**
 * One metric of a run: its pass rate and mean score, how many results and labels, the score distribution, and what
 * to do next: list its examples, explain or list the traces of one of its labels (a quality cohort).
 */
final class MetricCard extends VBox {
    private final MetricSummary metric;
    private final ChartPane chart;

    /** What a card asks of the area. */
    interface Actions {
        void examples(String evaluator);

        /** "Why are these answers bad?" for a quality cohort. */
        void explain(String cohort);

        /** Lists the traces of a quality cohort. */
        void showTraces(String cohort);
    }

    MetricCard(MetricSummary m, Actions actions) {
        this.metric = m;
        getStyleClass().add("tb-metric-card");
        setId("metric-card-" + m.evaluator());
        setSpacing(3);
        Label name = new Label(QualityText.mask(m.evaluator()));
        name.getStyleClass().add("tb-metric-name");
        Label rate = new Label(m.passRate() == null ? "no verdicts" : QualityText.percent(m.passRate()) + " pass");
        rate.getStyleClass().add("tb-metric-rate");
        rate.setId("metric-rate-" + m.evaluator());
        if (m.passRate() != null && m.passRate() < 0.9) {
            rate.getStyleClass().add("tb-metric-rate-low");
        }
        Label counts = new Label("mean " + QualityText.score(m.mean()) + " · " + Format.count(m.count())
                + " result" + (m.count() == 1 ? "" : "s") + (m.passed() + m.failed() == 0 ? ""
                : " · " + Format.count(m.failed()) + " failed"));
        counts.getStyleClass().add(Styles.MUTED);
        counts.setId("metric-counts-" + m.evaluator());
        Label labels = new Label(labelsText(m.labels()));
        labels.getStyleClass().add(Styles.MUTED);
        labels.setMinHeight(Label.USE_PREF_SIZE);
        chart = new ChartPane(histogram(m));
        chart.setPrefSize(250, 96);
        chart.setMinHeight(80);
        if (m.histogram().stream().allMatch(c -> c == 0)) {
            chart.setMessage("No scores");
        }

        Button examples = new Button("Examples");
        examples.getStyleClass().add("tb-small-button");
        examples.setTooltip(new Tooltip("List this metric's examples, failing first"));
        examples.setOnAction(e -> actions.examples(m.evaluator()));
        MenuButton why = new MenuButton("Why bad?");
        why.setId("metric-why-" + m.evaluator());
        why.getStyleClass().add("tb-small-button");
        why.setTooltip(new Tooltip("Why are these answers bad? Compare the traces of a label with the others "
                + "(stages, retrieval, models, attributes) in the Findings"));
        MenuButton traces = new MenuButton("Traces");
        traces.setId("metric-traces-" + m.evaluator());
        traces.getStyleClass().add("tb-small-button");
        traces.setTooltip(new Tooltip("List the traces judged with a label in the Traces area"));
        for (Map.Entry<String, Long> l : m.labels().entrySet()) {
            String cohort = QualityCohorts.labelled(m.evaluator(), l.getKey());
            String text = QualityText.mask(l.getKey()) + " (" + Format.count(l.getValue()) + ")";
            MenuItem w = new MenuItem("Answers labelled " + text);
            w.setMnemonicParsing(false);
            w.setOnAction(e -> actions.explain(cohort));
            MenuItem t = new MenuItem(text);
            t.setMnemonicParsing(false);
            t.setOnAction(e -> actions.showTraces(cohort));
            why.getItems().add(w);
            traces.getItems().add(t);
        }
        MenuItem anyFail = new MenuItem("Answers with any failing verdict (every metric)");
        anyFail.setOnAction(e -> actions.explain(QualityCohorts.ANY_FAIL));
        if (!why.getItems().isEmpty()) {
            why.getItems().add(new SeparatorMenuItem());
        }
        why.getItems().add(anyFail);
        traces.setDisable(traces.getItems().isEmpty());
        for (javafx.scene.control.Control c : List.of(examples, why, traces)) {
            c.setMinWidth(Region.USE_PREF_SIZE);
        }
        HBox buttons = new HBox(4, examples, why, traces);
        buttons.setAlignment(Pos.CENTER_LEFT);
        getChildren().addAll(name, rate, counts, labels, chart, buttons);
        setMinWidth(Region.USE_PREF_SIZE);
    }

    MetricSummary metric() {
        return metric;
    }

    ChartPane chart() {
        return chart;
    }

    /** The most frequent labels: "grounded 30 · hallucinated 10 · 1 more". */
    static String labelsText(Map<String, Long> labels) {
        if (labels.isEmpty()) {
            return "no labels";
        }
        List<Map.Entry<String, Long>> top = labels.entrySet().stream().limit(3).toList();
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Long> e : top) {
            sb.append(sb.isEmpty() ? "" : " · ").append(QualityText.mask(e.getKey())).append(' ')
                    .append(Format.count(e.getValue()));
        }
        if (labels.size() > top.size()) {
            sb.append(" · ").append(labels.size() - top.size()).append(" more");
        }
        return sb.toString();
    }

    /** The score distribution: one bar per histogram bin between the lowest and highest score. */
    static JFreeChart histogram(MetricSummary m) {
        XYIntervalSeries s = new XYIntervalSeries("results");
        List<Long> bins = m.histogram();
        double width = bins.isEmpty() ? 1 : (m.max() - m.min()) / bins.size();
        for (int i = 0; i < bins.size(); i++) {
            double lo = m.min() + i * width;
            double hi = width == 0 ? lo + 0.01 : lo + width;
            s.add((lo + hi) / 2, lo, hi, bins.get(i), 0, bins.get(i));
        }
        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        data.addSeries(s);
        NumberAxis x = new NumberAxis(null);
        x.setAutoRangeIncludesZero(false);
        NumberAxis y = new NumberAxis(null);
        y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        y.setTickLabelsVisible(false);
        y.setTickMarksVisible(false);
        XYBarRenderer r = new XYBarRenderer(0.08);
        r.setBarPainter(new StandardXYBarPainter());
        r.setShadowVisible(false);
        r.setSeriesPaint(0, Charts.ACCENT);
        r.setDefaultToolTipGenerator((d, series, item) -> String.format(java.util.Locale.ROOT,
                "%.2f–%.2f: %d", data.getStartXValue(series, item), data.getEndXValue(series, item),
                (long) d.getYValue(series, item)));
        XYPlot plot = new XYPlot(data, x, y, r);
        JFreeChart chart = new JFreeChart(null, Charts.LABEL, plot, false);
        Charts.style(chart, "Scores");
        chart.setTitle((org.jfree.chart.title.TextTitle) null);
        plot.setRangeGridlinesVisible(false);
        x.setTickLabelPaint(Charts.TEXT);
        return chart;
    }
}
